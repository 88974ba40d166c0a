"""The cover engine: ``decide(contract, claim) -> Decision``, pure (no I/O).

Order, each rule recorded in ``Decision.rules`` whether met or not, and every rule
evaluated even after a refusal so staff see the whole picture:

1. the claim itself (CL-1; a claim declared before its event raises ``ClaimInvalid``);
2. the contract on the event date: PC-4 "Voor zover dat de eerste premie werd betaald,
   neemt de dekking aanvang op de datum vermeld in de bijzondere voorwaarden. Enkel de
   ongevallen gebeurd na de aanvangsdatum van de dekking zullen in aanmerking worden
   genomen", read with "neemt de dekking aanvang op de datum": an event on the start date
   is covered (the cover runs from 0:00 that day), one the day before is not; the contract
   no longer runs from ``end_date``; PC-8: cover not suspended that day (policy-svc's
   state). PC-2/PC-3: the victim is insured on that date;
3. e-protection: LA-1 (subscribed, one claim per insurance year), LA-2 (waiting month,
   dispute unknown), LA-3 (event "tijdens de geldigheidsduur van het contract");
4. the declaration windows (PA-7, AS-1, LA-3, LA-14; late ones flagged, CL-2);
5. the cover's own rules (``accident``, ``assistance``, ``eprotection``).
"""

from claims.domain.accident import check_accident
from claims.domain.assistance import check_assistance
from claims.domain.contract import Contract
from claims.domain.decision import Assessment, Decision
from claims.domain.declaration import check_claim, check_declaration
from claims.domain.eprotection import check_eprotection, check_subscription
from claims.domain.facts import AccidentFacts, AssistanceFacts, Claim, EProtectionFacts


def decide(contract: Contract, claim: Claim) -> Decision:
    check_claim(claim)
    a = Assessment()
    _contract(contract, claim, a)
    facts = claim.facts
    if isinstance(facts, EProtectionFacts):
        check_subscription(contract, claim, facts, a)
        a.met("LA-3")
        if not contract.runs_on(claim.event_date):
            a.reject(
                "LA-3",
                "De gebeurtenis moet zich voordoen tijdens de looptijd van het contract.",
                "L'événement doit survenir pendant la durée du contrat.",
            )
    check_declaration(contract, claim, a)
    if isinstance(facts, AccidentFacts):
        check_accident(contract, claim, facts, a)
    elif isinstance(facts, AssistanceFacts):
        check_assistance(contract, claim, facts, a)
    else:
        check_eprotection(contract, claim, facts, a)
    return a.decision()


def _contract(contract: Contract, claim: Claim, a: Assessment) -> None:
    a.met("PC-4")
    if not contract.first_premium_paid:
        a.reject(
            "PC-4",
            "De eerste premie is niet betaald: de dekking is niet begonnen.",
            "La première prime n'est pas payée : la couverture n'a pas commencé.",
        )
    if claim.event_date < contract.start_date:
        a.reject(
            "PC-4",
            f"De gebeurtenis ({claim.event_date}) ligt vóór de aanvangsdatum "
            f"({contract.start_date}).",
            f"L'événement ({claim.event_date}) précède la date de prise d'effet "
            f"({contract.start_date}).",
        )
    elif not contract.runs_on(claim.event_date):
        a.reject(
            "PC-4",
            f"Het contract liep niet meer op {claim.event_date} (einde {contract.end_date}).",
            f"Le contrat ne courait plus le {claim.event_date} (fin {contract.end_date}).",
        )
    if contract.suspended:
        a.reject(
            "PC-8",
            "De dekking was op die datum geschorst wegens een onbetaalde premie.",
            "La couverture était suspendue à cette date pour une prime impayée.",
        )
    rule = "PC-3" if contract.formula == "family" else "PC-2"
    a.met(rule)
    if not claim.claimant_insured:
        a.reject(
            rule,
            "Het slachtoffer was op die datum geen verzekerde van het contract.",
            "La victime n'était pas assurée par le contrat à cette date.",
        )
