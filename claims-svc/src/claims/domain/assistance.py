"""Assistance cover (AS-1..AS-6), granted for a covered accident "zelfs als de
overeengekomen tegemoetkomingsgrens niet werd bereikt": PA-2, PA-3 and PA-4 apply (Woordenlijst
"Gedekt ongeval: Ongeval dat aan de voorwaarden van de bladzijden 4, 5 en 6 beantwoordt"),
PA-1's threshold does not.

Each service asked for (``ServiceRequest``) is checked against its setting and its limit
in ``SERVICE_LIMITS``. A service outside its setting (no hospitalisation, not abroad, no
death, threshold not reached, single formula) is not granted; a service above its limit is
granted up to the limit; both make the claim covered_in_part, or rejected when nothing at
all is granted. Limits read "maximum", "ten belope van", "binnen de limiet van": the limit
itself is granted (6 calls yes, 7 no; 250.00 EUR yes, 250.01 no).

Conditions, with the Dutch words:

* AS-1 "slechts met ons goedvinden hulpverleningskosten te maken, behalve in geval van
  overmacht"; without agreement "zal onze tussenkomst ... worden beperkt tot ... de kosten
  die wij zouden gemaakt hebben" -> covered_in_part.
* AS-2 Belgian services after "hospitalisatie langer dan 2 dagen of immobilisatie thuis
  langer dan 4 dagen" (3 days / 5 days qualify, 2 / 4 do not), "eenmaal" per accident.
* AS-3 abroad: "voor een verblijf van minder dan 90 opeenvolgende dagen" (89 days yes, 90
  no); relative at the bedside if "gehospitaliseerd gedurende meer dan 5 dagen"; medical
  costs "eigen risico van 50 EUR per verzekerde en per gedekt ongeval".
* AS-4 tutoring: "schoolafwezigheid van meer dan twee opeenvolgende weken" (15 days),
  "enkel ... in de formule Familie"; reorientation and moving "als de vergoedingsgrens
  wordt bereikt".
* AS-5 death services "voor verblijven in het buitenland van minder dan 90 opeenvolgende
  dagen"; guardian "voor zover geen enkele verzekerde ter plaatse zich kan ontfermen".
* AS-6 "zwangerschap na de 26e week tenzij ... in het buitenland ... het leven van de
  moeder of het kind in gevaar" (week 26 covered, 27 not); "verplaatsingen naar het
  buitenland, van meer dan 90 dagen" (91 days). A stay of exactly 90 days is not excluded
  by AS-6 but not covered abroad by AS-3 ("minder dan 90").
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from claims.domain.accident import check_circumstances, check_territory
from claims.domain.contract import Contract
from claims.domain.decision import Assessment, Limit
from claims.domain.exclusions import ASSISTANCE_EXCLUSIONS
from claims.domain.facts import AssistanceFacts, AssistanceService, Claim, ServiceRequest
from claims.domain.territory import stay_days

Setting = Literal["any", "hospital", "abroad", "family", "threshold", "death"]

HOSPITAL_DAYS = 2  # "langer dan 2 dagen"
IMMOBILISED_DAYS = 4  # "langer dan 4 dagen"
BEDSIDE_ABROAD_DAYS = 5  # "meer dan 5 dagen"
STAY_ABROAD_DAYS = 90  # "minder dan 90 opeenvolgende dagen"
EXCLUDED_TRIP_DAYS = 90  # AS-6 "van meer dan 90 dagen"
PREGNANCY_WEEKS = 26  # AS-6 "na de 26e week"
SCHOOL_ABSENCE_DAYS = 14  # "meer dan twee opeenvolgende weken"
DEDUCTIBLE = Decimal("50.00")


@dataclass(frozen=True)
class ServiceLimit:
    rule: str
    setting: Setting
    max_quantity: Decimal | None = None
    max_amount: Decimal | None = None  # per claim
    per_unit: Decimal | None = None  # per night / per day and beneficiary
    source: str = ""


def _d(value: str) -> Decimal:
    return Decimal(value)


SERVICE_LIMITS: dict[AssistanceService, ServiceLimit] = {
    "psychological_support": ServiceLimit(
        "AS-2", "any", _d("6"), source="maximum 6 telefoongesprekken per gedekt ongeval"
    ),
    "home_help": ServiceLimit("AS-2", "hospital", _d("20"), source="maximum van 20 uur"),
    "sick_care": ServiceLimit("AS-2", "hospital", _d("20"), source="maximum van 20 uur"),
    "bedside_stay": ServiceLimit(
        "AS-2",
        "hospital",
        _d("5"),
        _d("300.00"),
        _d("60.00"),
        "binnen de limiet van 5 nachten en 60 EUR per nacht",
    ),
    "childcare": ServiceLimit("AS-2", "hospital", _d("20"), source="maximum 20 uur"),
    "pet_transfer": ServiceLimit(
        "AS-2",
        "hospital",
        _d("2"),
        _d("250.00"),
        source="maximum twee dieren ... ten belope van 250 EUR",
    ),
    "hospital_transport": ServiceLimit(
        "AS-2", "hospital", _d("5"), source="maximum 5 trajecten heen/terug"
    ),
    "repatriation": ServiceLimit("AS-3", "abroad", source="de repatriëring"),
    "relative_at_bedside": ServiceLimit(
        "AS-3",
        "abroad",
        _d("6"),
        _d("480.00"),
        _d("80.00"),
        "80 EUR per nacht gedurende maximum 6 nachten",
    ),
    "extended_stay": ServiceLimit(
        "AS-3",
        "abroad",
        None,
        _d("500.00"),
        _d("50.00"),
        "50 EUR per dag en per begunstigde, ten belope van maximum 500 EUR",
    ),
    "medical_costs_abroad": ServiceLimit(
        "AS-3", "abroad", None, _d("7500.00"), source="ten belope van 7.500 EUR"
    ),
    "dental_abroad": ServiceLimit(
        "AS-3", "abroad", None, _d("125.00"), source="dringende tandverzorgingen ... 125 EUR"
    ),
    "information": ServiceLimit("AS-4", "any", source="Informatie en gepersonaliseerd advies"),
    "tutoring": ServiceLimit("AS-4", "family", _d("12"), source="maximum 12 uur"),
    "reorientation": ServiceLimit(
        "AS-4", "threshold", _d("3"), source="3 gepersonaliseerde gesprekken"
    ),
    "moving_help": ServiceLimit("AS-4", "threshold", source="verhuis naar een instelling"),
    "post_mortem_repatriation": ServiceLimit("AS-5", "death", source="repatriëring post-mortem"),
    "coffin": ServiceLimit("AS-5", "death", None, _d("800.00"), source="lijkkist ... 800 EUR"),
    "guardian": ServiceLimit(
        "AS-5", "death", None, _d("125.00"), source="hotelkosten ... ten belope van 125 EUR"
    ),
    "relative_ticket": ServiceLimit(
        "AS-5", "death", None, _d("1000.00"), source="ten belope van 1000 EUR per gedekt ongeval"
    ),
}


def check_assistance(
    contract: Contract, claim: Claim, facts: AssistanceFacts, a: Assessment
) -> None:
    check_circumstances(claim, facts, a)
    check_territory(claim, facts, a)  # a "gedekt ongeval" meets pages 4-6, territory included
    _exclusions(facts, a)
    _agreement(facts, a)
    if not facts.requests:
        a.met("AS-2")
        return
    granted = [r for r in facts.requests if _grant(contract, claim, facts, r, a)]
    if not granted:
        a.reject(
            "AS-1",
            "Geen van de gevraagde prestaties is gedekt.",
            "Aucune des prestations demandées n'est couverte.",
        )
        return
    money = [lim.amount for lim in a.limits if lim.amount is not None]
    a.ceiling = sum(money, Decimal("0.00")) if money else None
    if any(r.service in ("medical_costs_abroad", "dental_abroad") for r in granted):
        a.deductible = DEDUCTIBLE


def _abroad(facts: AssistanceFacts) -> bool:
    return facts.country != "BE"


def _stay(facts: AssistanceFacts) -> int | None:
    first, last = facts.trip_departed_on, facts.trip_ends_on
    return stay_days(first, last) if first is not None and last is not None else None


def _exclusions(facts: AssistanceFacts, a: Assessment) -> None:
    a.met("AS-6")
    week = facts.pregnancy_week
    excepted = _abroad(facts) and facts.life_threatening_abroad
    if week is not None and week > PREGNANCY_WEEKS and not excepted:
        a.reject(
            "AS-6",
            "Gevolgen van een zwangerschap na de 26e week zijn uitgesloten.",
            "Les suites d'une grossesse après la 26e semaine sont exclues.",
        )
    stay = _stay(facts)
    if _abroad(facts) and stay is not None and stay > EXCLUDED_TRIP_DAYS:
        a.reject(
            "AS-6",
            f"Verplaatsing naar het buitenland van meer dan 90 dagen ({stay} dagen).",
            f"Déplacement à l'étranger de plus de 90 jours ({stay} jours).",
        )
    for code in sorted(facts.assistance_exclusions):
        exclusion = ASSISTANCE_EXCLUSIONS[code]
        a.limit(
            exclusion.rule,
            f"Niet ten laste: \u201c{exclusion.source}\u201d.",
            f"Non pris en charge : exclusion des conditions générales ({code}).",
        )


def _agreement(facts: AssistanceFacts, a: Assessment) -> None:
    a.met("AS-1")
    if not facts.prior_agreement and not facts.force_majeure:
        a.limit(
            "AS-1",
            "Kosten zonder ons voorafgaand akkoord: beperkt tot wat wij zelf zouden hebben "
            "betaald.",
            "Frais engagés sans notre accord préalable : limités à ce que nous aurions "
            "nous-mêmes payé.",
        )


def _grant(
    contract: Contract,
    claim: Claim,
    facts: AssistanceFacts,
    request: ServiceRequest,
    a: Assessment,
) -> bool:
    spec = SERVICE_LIMITS[request.service]
    a.met(spec.rule)
    refusal = _setting_refusal(contract, claim, facts, request.service, spec)
    if refusal is not None:
        nl, fr = refusal
        a.limit(spec.rule, f"{request.service}: {nl}", f"{request.service} : {fr}")
        return False
    amount_cap = spec.max_amount
    if spec.per_unit is not None:
        units = request.quantity * (
            request.beneficiaries if request.service == "extended_stay" else 1
        )
        per_unit_cap = spec.per_unit * units
        amount_cap = per_unit_cap if amount_cap is None else min(amount_cap, per_unit_cap)
    over_quantity = spec.max_quantity is not None and request.quantity > spec.max_quantity
    over_amount = amount_cap is not None and request.amount > amount_cap
    if over_quantity or over_amount:
        a.limit(
            spec.rule,
            f"{request.service}: beperkt tot \u201c{spec.source}\u201d.",
            f"{request.service} : limité aux plafonds de la police.",
        )
    a.cap(Limit(request.service, amount_cap, spec.rule, spec.max_quantity))
    return True


def _setting_refusal(
    contract: Contract,
    claim: Claim,
    facts: AssistanceFacts,
    service: AssistanceService,
    spec: ServiceLimit,
) -> tuple[str, str] | None:
    setting = spec.setting
    if setting == "hospital":
        if facts.hospitalised_days <= HOSPITAL_DAYS and facts.immobilised_days <= IMMOBILISED_DAYS:
            return (
                "enkel na meer dan 2 dagen ziekenhuis of meer dan 4 dagen immobilisatie thuis.",
                "uniquement après plus de 2 jours d'hospitalisation ou plus de 4 jours "
                "d'immobilisation à domicile.",
            )
        if any(
            p.cover == "assistance" and p.event_date == claim.event_date
            for p in contract.prior_claims
        ):
            return (
                "eenmaal per gedekt ongeval, al verleend.",
                "une fois par accident, déjà accordé.",
            )
    if setting in ("abroad", "death") and (setting == "abroad" or _abroad(facts)):
        stay = _stay(facts)
        if not _abroad(facts) or stay is None or stay >= STAY_ABROAD_DAYS:
            return (
                "enkel in het buitenland tijdens een verblijf van minder dan 90 dagen.",
                "uniquement à l'étranger pendant un séjour de moins de 90 jours.",
            )
        if service == "relative_at_bedside" and facts.hospitalised_days <= BEDSIDE_ABROAD_DAYS:
            return (
                "enkel bij ziekenhuisopname van meer dan 5 dagen.",
                "uniquement en cas d'hospitalisation de plus de 5 jours.",
            )
    if setting == "death":
        if not facts.died:
            return ("enkel bij overlijden.", "uniquement en cas de décès.")
        if service == "guardian" and not facts.children_under_18_left_alone:
            return (
                "enkel als geen verzekerde zich over de kinderen kan ontfermen.",
                "uniquement si aucun assuré ne peut s'occuper des enfants.",
            )
    if setting == "family":
        if contract.formula != "family":
            return ("enkel in de formule familie.", "uniquement en formule famille.")
        if facts.school_absence_days <= SCHOOL_ABSENCE_DAYS:
            return (
                "enkel bij schoolafwezigheid van meer dan twee weken.",
                "uniquement en cas d'absence scolaire de plus de deux semaines.",
            )
    if setting == "threshold" and (
        facts.disability_pct is None or facts.disability_pct < contract.threshold_pct
    ):
        return (
            "enkel als de tegemoetkomingsgrens bereikt is.",
            "uniquement si le seuil d'intervention est atteint.",
        )
    return None
