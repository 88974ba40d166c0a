"""Declaration windows and the late-declaration flag (CL-1, CL-2, PA-7, AS-1, LA-3, LA-14).

Windows, calendar days counted from the day after the event (``dates``):

======================  ===========================================================  ======
cover                   Dutch text                                                   window
======================  ===========================================================  ======
accident (PA-7)         "uiterlijk binnen de 8 dagen na het overkomen van het        8 days
                        ongeval"
assistance (AS-1)       "uiterlijk binnen de 30 dagen na het gebeuren van het gedekt 30 days
                        ongeval of na het verlaten van het ziekenhuis"
e-protection (LA-14)    "uiterlijk binnen 8 dagen na het overkomen van het           8 days
                        schadegeval"
======================  ===========================================================  ======

A declaration after the window is accepted and flagged (CL-2), not refused: general
conditions art. 9 "Wij kunnen er ons echter niet op beroepen dat de in de overeenkomst
gestelde termijn ... niet in acht is genomen, indien die melding zo spoedig als
redelijkerwijze mogelijk is geschiedt", and the sanction is a reduction "tot beloop van
het door ons geleden nadeel" that staff assess. The same holds for judicial documents not
forwarded "binnen 48 uur" (PA-7, LA-14).

One window refuses: e-protection covers only "schadegevallen ... die ons uiterlijk 60
dagen na afloop van het contract zijn aangegeven" (LA-3). The contract's last day is the
day before ``end_date`` (exclusive), so day 60 after that last day is in time and day 61
is refused. The text's exception ("tenzij de verzekerde bewijst dat hij ons heeft
gewaarschuwd zo spoedig als redelijkerwijs mogelijk was") needs proof, so it is left to a
staff override; the reason says so.
"""

from datetime import date

from claims.domain.contract import Contract
from claims.domain.dates import add_days
from claims.domain.decision import Assessment
from claims.domain.facts import AccidentFacts, AssistanceFacts, Claim

PA7_DAYS = 8
AS1_DAYS = 30
LA14_DAYS = 8
LA3_DAYS_AFTER_END = 60


class ClaimInvalid(ValueError):
    """A claim the engine cannot judge (CL-1): its dates contradict each other."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.detail = detail


def check_claim(claim: Claim) -> None:
    """CL-1: a claim has an event date and a declaration date not before it."""
    if claim.declared_on < claim.event_date:
        raise ClaimInvalid(
            "CL-1", f"declared on {claim.declared_on}, before the event on {claim.event_date}"
        )


def declaration_deadline(claim: Claim) -> tuple[str, date]:
    """The rule and the last day on which the claim is declared in time."""
    facts = claim.facts
    if isinstance(facts, AccidentFacts):
        return "PA-7", add_days(claim.event_date, PA7_DAYS)
    if isinstance(facts, AssistanceFacts):
        origin = max(claim.event_date, facts.hospital_discharged_on or claim.event_date)
        return "AS-1", add_days(origin, AS1_DAYS)
    return "LA-14", add_days(claim.event_date, LA14_DAYS)


def check_declaration(contract: Contract, claim: Claim, a: Assessment) -> None:
    a.met("CL-1")
    rule, deadline = declaration_deadline(claim)
    a.met(rule)
    if claim.declared_on > deadline:
        a.late_declaration = True
        a.flag(
            rule,
            f"Laattijdige aangifte: uiterlijk {deadline.isoformat()}, ontvangen op "
            f"{claim.declared_on.isoformat()}.",
            f"Déclaration tardive : au plus tard le {deadline.isoformat()}, reçue le "
            f"{claim.declared_on.isoformat()}.",
        )
        _cl2(a)
    if rule != "AS-1" and getattr(claim.facts, "judicial_documents_late", False):
        a.flag(
            rule,
            "Gerechtelijke stukken niet binnen 48 uur bezorgd.",
            "Actes judiciaires non transmis dans les 48 heures.",
        )
        _cl2(a)
    if rule == "LA-14":
        _after_end(contract, claim, a)


def _after_end(contract: Contract, claim: Claim, a: Assessment) -> None:
    a.met("LA-3")
    if contract.end_date is None:
        return
    last_day = add_days(contract.end_date, -1)
    deadline = add_days(last_day, LA3_DAYS_AFTER_END)
    if claim.declared_on > deadline:
        a.late_declaration = True
        a.reject(
            "LA-3",
            f"Aangegeven meer dan 60 dagen na het einde van het contract ({last_day}), "
            "tenzij u bewijst zo spoedig als redelijkerwijs mogelijk te hebben verwittigd.",
            f"Déclaré plus de 60 jours après la fin du contrat ({last_day}), sauf si vous "
            "prouvez avoir averti aussi vite que raisonnablement possible.",
        )


def _cl2(a: Assessment) -> None:
    if any(f.rule == "CL-2" for f in a.findings):
        return
    a.flag(
        "CL-2",
        "Een medewerker beoordeelt of de vergoeding daardoor vermindert.",
        "Un collaborateur évalue si l'indemnité en est réduite.",
    )
