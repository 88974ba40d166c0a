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
  langer dan 4 dagen" (3 days / 5 days qualify, 2 / 4 do not). "Per gedekt ongeval,
  organiseren en betalen wij eenmaal volgende prestaties" (and "6 telefoongesprekken per
  gedekt ongeval", "maximum 500 EUR per gedekt ongeval", "1000 EUR per gedekt ongeval"):
  the service and its limit hold once per accident and insured person across all that
  person's claims for the accident, whatever their order (issue 16 item 3). Only what was
  granted counts (``PriorClaim.granted``; a rejected or withdrawn claim uses nothing), and
  read in the insured's favour what is left of a limit stays available (20 hours of home
  help, 8 granted before: 12 left) (docs/rules.md AS-2). Transport to hospital "voor de
  medische onderzoeken voorgeschreven door de arts binnen de maand na het gebeuren van het
  ongeval": the prescription falls within the month after the accident (art. 1.7: accident
  on 31 January, prescribed on 28 February yes, 1 March no).
* AS-3 abroad: "voor een verblijf van minder dan 90 opeenvolgende dagen", read like PA-3
  in the insured's favour (docs/rules.md AS-3): the stay up to the accident day is less
  than 90 days (accident on day 89 yes, day 90 no); an unknown return date is no refusal.
  The repatriation (and the post-mortem repatriation) has no amount cap; the relative at
  the bedside gets the hotel "80 EUR per nacht gedurende maximum 6 nachten" and the journey
  with no cap. Medical costs "eigen risico van 50 EUR per verzekerde en per gedekt
  ongeval": once per accident and insured person (not again when an earlier claim for the
  accident bore it), taken off what is paid (``offer_limit``).
* AS-4 "Deze prestaties worden enkel verleend in België" (a service asked for elsewhere is
  not granted, wherever the accident happened); tutoring: "schoolafwezigheid van meer dan
  twee opeenvolgende weken" (15 days), "enkel ... in de formule Familie"; reorientation and
  moving "als de vergoedingsgrens wordt bereikt". Information and the help with moving are
  advice: "De kosten van deze dienstverleningen blijven ten laste van de verzekerde"
  (0.00 EUR).
* AS-5 death services "voor verblijven in het buitenland van minder dan 90 opeenvolgende
  dagen"; guardian "voor zover geen enkele verzekerde ter plaatse zich kan ontfermen": the
  journey with no cap and "de hotelkosten ... ten belope van 125 EUR".

Limits (issue 16 item 2): one ``Limit`` per service granted, and one more for the journey
of the relative at the bedside and of the guardian, with the euro cap or None (no cap:
the repatriation, the journeys, services limited in units only). ``Decision.ceiling`` is
their sum, None as soon as one of them has no cap.
* AS-6 "zwangerschap na de 26e week tenzij ... in het buitenland ... het leven van de
  moeder of het kind in gevaar" (week 26 covered, 27 not); "verplaatsingen naar het
  buitenland, van meer dan 90 dagen" (91 days). A stay of exactly 90 days is not excluded
  by AS-6 but not covered abroad by AS-3 ("minder dan 90").
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.money import ZERO

from claims.domain.accident import check_circumstances, check_territory
from claims.domain.contract import Contract, GrantedService, PriorClaim
from claims.domain.dates import within_months_after
from claims.domain.decision import Assessment, Decision, Limit
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
EXAMS_MONTHS = 1  # AS-2 "binnen de maand na het gebeuren van het ongeval"
DEDUCTIBLE = Decimal("50.00")
MEDICAL: frozenset[AssistanceService] = frozenset({"medical_costs_abroad", "dental_abroad"})


@dataclass(frozen=True)
class ServiceLimit:
    rule: str
    setting: Setting
    max_quantity: Decimal | None = None
    max_amount: Decimal | None = None  # euros; None = no cap in euros
    per_unit: Decimal | None = None  # per night / per day and beneficiary
    source: str = ""
    per_accident: bool = False  # "eenmaal" / "per gedekt ongeval": across the claims
    travel: bool = False  # plus a journey with no cap (``ServiceRequest.travel_amount``)


def _d(value: str) -> Decimal:
    return Decimal(value)


SERVICE_LIMITS: dict[AssistanceService, ServiceLimit] = {
    "psychological_support": ServiceLimit(
        "AS-2",
        "any",
        _d("6"),
        source="maximum 6 telefoongesprekken per gedekt ongeval",
        per_accident=True,
    ),
    "home_help": ServiceLimit(
        "AS-2", "hospital", _d("20"), source="maximum van 20 uur", per_accident=True
    ),
    "sick_care": ServiceLimit(
        "AS-2", "hospital", _d("20"), source="maximum van 20 uur", per_accident=True
    ),
    "bedside_stay": ServiceLimit(
        "AS-2",
        "hospital",
        _d("5"),
        _d("300.00"),
        _d("60.00"),
        "binnen de limiet van 5 nachten en 60 EUR per nacht",
        per_accident=True,
    ),
    "childcare": ServiceLimit(
        "AS-2", "hospital", _d("20"), source="maximum 20 uur", per_accident=True
    ),
    "pet_transfer": ServiceLimit(
        "AS-2",
        "hospital",
        _d("2"),
        _d("250.00"),
        source="maximum twee dieren ... ten belope van 250 EUR",
        per_accident=True,
    ),
    "hospital_transport": ServiceLimit(
        "AS-2",
        "hospital",
        _d("5"),
        source="maximum 5 trajecten heen/terug",
        per_accident=True,
    ),
    "repatriation": ServiceLimit("AS-3", "abroad", source="de repatriëring"),
    "relative_at_bedside": ServiceLimit(
        "AS-3",
        "abroad",
        _d("6"),
        _d("480.00"),
        _d("80.00"),
        "80 EUR per nacht gedurende maximum 6 nachten",
        travel=True,
    ),
    "extended_stay": ServiceLimit(
        "AS-3",
        "abroad",
        None,
        _d("500.00"),
        _d("50.00"),
        "50 EUR per dag en per begunstigde, ten belope van maximum 500 EUR",
        per_accident=True,
    ),
    "medical_costs_abroad": ServiceLimit(
        "AS-3", "abroad", None, _d("7500.00"), source="ten belope van 7.500 EUR"
    ),
    "dental_abroad": ServiceLimit(
        "AS-3", "abroad", None, _d("125.00"), source="dringende tandverzorgingen ... 125 EUR"
    ),
    "information": ServiceLimit(
        "AS-4",
        "any",
        max_amount=ZERO,
        source="De kosten van deze dienstverleningen blijven ten laste van de verzekerde",
    ),
    "tutoring": ServiceLimit("AS-4", "family", _d("12"), source="maximum 12 uur"),
    "reorientation": ServiceLimit(
        "AS-4", "threshold", _d("3"), source="3 gepersonaliseerde gesprekken"
    ),
    "moving_help": ServiceLimit(
        "AS-4", "threshold", max_amount=ZERO, source="informatie, advies en in contact brengen"
    ),
    "post_mortem_repatriation": ServiceLimit("AS-5", "death", source="repatriëring post-mortem"),
    "coffin": ServiceLimit("AS-5", "death", None, _d("800.00"), source="lijkkist ... 800 EUR"),
    "guardian": ServiceLimit(
        "AS-5",
        "death",
        None,
        _d("125.00"),
        source="hotelkosten ... ten belope van 125 EUR",
        travel=True,
    ),
    "relative_ticket": ServiceLimit(
        "AS-5",
        "death",
        None,
        _d("1000.00"),
        source="ten belope van 1000 EUR per gedekt ongeval",
        per_accident=True,
    ),
}
AS4_SERVICES = frozenset(s for s, spec in SERVICE_LIMITS.items() if spec.rule == "AS-4")


def travel_item(service: AssistanceService) -> str:
    """The limit item of the journey that goes with a hotel (AS-3, AS-5): no cap."""
    return f"{service}_travel"


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
    earlier = _earlier_grants(contract, claim)
    granted = [r for r in facts.requests if _grant(contract, claim, facts, r, earlier, a)]
    if not granted:
        a.reject(
            "AS-1",
            "Geen van de gevraagde prestaties is gedekt.",
            "Aucune des prestations demandées n'est couverte.",
        )
        return
    amounts = [lim.amount for lim in a.limits]
    capped = [m for m in amounts if m is not None]
    a.ceiling = sum(capped, ZERO) if len(capped) == len(amounts) else None
    medical = any(r.service in MEDICAL for r in granted)
    if medical and not any(g.service in MEDICAL for g in earlier):
        a.deductible = DEDUCTIBLE


def _earlier_grants(contract: Contract, claim: Claim) -> list[GrantedService]:
    """What the insured person's other claims for this accident were granted (AS-2)."""
    return [g for p in contract.prior_claims if _same_accident(p, claim) for g in p.granted]


def _same_accident(prior: PriorClaim, claim: Claim) -> bool:
    return (
        prior.cover == "assistance"
        and prior.counts
        and prior.same_insured
        and prior.event_date == claim.event_date
    )


def _abroad(facts: AssistanceFacts) -> bool:
    return facts.country != "BE"


def _stay(facts: AssistanceFacts) -> int | None:
    """The whole trip in days (AS-6), None while the return is unknown."""
    first, last = facts.trip_departed_on, facts.trip_ends_on
    return stay_days(first, last) if first is not None and last is not None else None


def _stay_at(facts: AssistanceFacts, day: date) -> int | None:
    """Days abroad up to ``day`` (AS-3, AS-5), None when the departure is unknown."""
    first = facts.trip_departed_on
    return stay_days(first, day) if first is not None else None


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
    earlier: list[GrantedService],
    a: Assessment,
) -> bool:
    spec = SERVICE_LIMITS[request.service]
    a.met(spec.rule)
    refusal = _setting_refusal(contract, claim, facts, request, spec)
    if refusal is None and spec.per_accident:
        refusal = _used_up(request.service, spec, earlier)
    if refusal is not None:
        nl, fr = refusal
        a.limit(spec.rule, f"{request.service}: {nl}", f"{request.service} : {fr}")
        return False
    quantity_cap, amount_cap = _caps(request, spec, earlier)
    over_quantity = quantity_cap is not None and request.quantity > quantity_cap
    over_amount = amount_cap is not None and request.amount > amount_cap
    if over_quantity or over_amount:
        a.limit(
            spec.rule,
            f"{request.service}: beperkt tot \u201c{spec.source}\u201d.",
            f"{request.service} : limité aux plafonds de la police.",
        )
    a.cap(Limit(request.service, amount_cap, spec.rule, quantity_cap))
    if spec.travel:
        a.cap(Limit(travel_item(request.service), None, spec.rule))
    return True


def _used(service: AssistanceService, earlier: Iterable[GrantedService]) -> tuple[Decimal, Decimal]:
    mine = [g for g in earlier if g.service == service]
    return sum((g.quantity for g in mine), Decimal(0)), sum((g.amount for g in mine), ZERO)


def _caps(
    request: ServiceRequest, spec: ServiceLimit, earlier: list[GrantedService]
) -> tuple[Decimal | None, Decimal | None]:
    """The quantity and euro caps for this request: the service's limits less what the
    person's earlier claims for the accident were granted (per-accident services)."""
    used_quantity, used_amount = (
        _used(request.service, earlier) if spec.per_accident else (Decimal(0), ZERO)
    )
    quantity_cap = None if spec.max_quantity is None else spec.max_quantity - used_quantity
    amount_cap = None if spec.max_amount is None else spec.max_amount - used_amount
    if spec.per_unit is not None:
        units = request.quantity * (
            request.beneficiaries if request.service == "extended_stay" else 1
        )
        if quantity_cap is not None:
            units = min(units, quantity_cap)
        per_unit_cap = spec.per_unit * units
        amount_cap = per_unit_cap if amount_cap is None else min(amount_cap, per_unit_cap)
    return quantity_cap, amount_cap


def _used_up(
    service: AssistanceService, spec: ServiceLimit, earlier: list[GrantedService]
) -> tuple[str, str] | None:
    if not any(g.service == service for g in earlier):
        return None
    used_quantity, used_amount = _used(service, earlier)
    quantity_left = spec.max_quantity is None or used_quantity < spec.max_quantity
    amount_left = spec.max_amount is None or used_amount < spec.max_amount
    if quantity_left and amount_left:
        return None
    return (
        "eenmaal per gedekt ongeval, al volledig verleend.",
        "une fois par accident, déjà entièrement accordé.",
    )


def _setting_refusal(
    contract: Contract,
    claim: Claim,
    facts: AssistanceFacts,
    request: ServiceRequest,
    spec: ServiceLimit,
) -> tuple[str, str] | None:
    service, setting = request.service, spec.setting
    if service in AS4_SERVICES and request.given_in != "BE":
        return ("enkel verleend in België.", "uniquement fournie en Belgique.")
    if setting == "hospital":
        if facts.hospitalised_days <= HOSPITAL_DAYS and facts.immobilised_days <= IMMOBILISED_DAYS:
            return (
                "enkel na meer dan 2 dagen ziekenhuis of meer dan 4 dagen immobilisatie thuis.",
                "uniquement après plus de 2 jours d'hospitalisation ou plus de 4 jours "
                "d'immobilisation à domicile.",
            )
        prescribed = request.prescribed_on
        if (
            service == "hospital_transport"
            and prescribed is not None
            and not within_months_after(claim.event_date, prescribed, EXAMS_MONTHS)
        ):
            return (
                "enkel voor onderzoeken voorgeschreven binnen de maand na het ongeval.",
                "uniquement pour des examens prescrits dans le mois qui suit l'accident.",
            )
    if setting in ("abroad", "death") and (setting == "abroad" or _abroad(facts)):
        stay = _stay_at(facts, claim.event_date)
        if not _abroad(facts) or (stay is not None and stay >= STAY_ABROAD_DAYS):
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


# -- after the decision: what was granted, what may be offered (issue 16) -------------


def requests_from(facts: dict[str, object]) -> list[ServiceRequest]:
    """The services asked for, from a claim's stored facts (the facts schema's JSON)."""
    found: list[ServiceRequest] = []
    raw = facts.get("requests")
    for item in raw if isinstance(raw, list) else []:
        found.append(
            ServiceRequest(
                service=item["service"],
                quantity=Decimal(str(item.get("quantity", "1"))),
                amount=Decimal(str(item.get("amount", "0"))),
                beneficiaries=int(item.get("beneficiaries", 1)),
                travel_amount=Decimal(str(item.get("travel_amount", "0"))),
            )
        )
    return found


def granted_services(
    requests: list[ServiceRequest], decision: Decision, *, everything: bool = False
) -> tuple[GrantedService, ...]:
    """What a claim was granted (AS-2): each service with a limit in the decision, up to
    that limit. ``everything``: staff accepted a claim the engine rejected (no limits),
    so every service asked for, up to its limit in the conditions."""
    limits = {lim.item: lim for lim in decision.limits}
    granted: list[GrantedService] = []
    for request in requests:
        spec = SERVICE_LIMITS[request.service]
        limit = limits.get(request.service)
        if limit is None and not everything:
            continue
        quantity_cap = limit.quantity if limit is not None else spec.max_quantity
        amount_cap = limit.amount if limit is not None else spec.max_amount
        quantity = request.quantity if quantity_cap is None else min(request.quantity, quantity_cap)
        amount = request.amount if amount_cap is None else min(request.amount, amount_cap)
        granted.append(GrantedService(request.service, quantity, amount))
    return tuple(granted)


def offer_limit(requests: list[ServiceRequest], decision: Decision) -> Decimal | None:
    """The most staff may offer on an assistance claim (issue 16): per service granted,
    what was asked up to its cap (the cap when no amount was asked), the journeys as asked;
    the deductible (AS-3) taken off the medical costs asked before their caps apply — of
    the two readings of "Wij passen een eigen risico toe van 50 EUR", the one favourable to
    the insured (docs/rules.md AS-3): dental costs of 200 give min(200 - 50, 125) = 125,
    of 150 give 100. None when a service granted has no cap and no amount asked."""
    limits = {lim.item: lim for lim in decision.limits}
    deductible = decision.deductible or ZERO
    total = ZERO
    for request in requests:
        limit = limits.get(request.service)
        if limit is None:
            continue  # not granted
        asked = request.amount
        if request.service in MEDICAL and asked > 0 and deductible > 0:
            taken = min(deductible, asked)
            asked, deductible = asked - taken, deductible - taken
            if asked == 0:
                continue
        item = _payable(asked, limit.amount)
        if item is None:
            return None
        total += item
        if SERVICE_LIMITS[request.service].travel:
            if request.travel_amount <= 0:
                return None  # the journey has no cap and no amount was asked
            total += request.travel_amount
    return total


def _payable(asked: Decimal, cap: Decimal | None) -> Decimal | None:
    if asked > 0:
        return asked if cap is None else min(asked, cap)
    return cap
