"""Issue 16: cover decisions that follow the conditions — ceilings per service with "no
cap" (AS-3, AS-5), once per accident across claims (AS-2), the deductible taken off what
is offered (AS-3), AS-4 in Belgium only, exams within the month (AS-2), withdrawn claims
(LA-1). Each table names its rule and tests the boundary on both sides."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.assistance import granted_services, offer_limit
from claims.domain.claim import Claim, OfferRefused
from claims.domain.contract import Contract, GrantedService, PriorClaim
from claims.domain.decision import Decision
from claims.domain.engine import decide
from claims.domain.facts import (
    AssistanceFacts,
    AssistanceService,
    EMerchantGoodsFacts,
    ServiceRequest,
)
from claims.domain.facts import Claim as EngineClaim
from claims.entrypoints.mapping import facts_json
from claims.entrypoints.schema_facts import AssistanceFacts as AssistanceFactsIn
from claims.service.handlers import ClaimsService, Declare
from claims.service.policies import PolicyFacts

from testkit.fakes.claims import ClaimsFakes

CONTRACT = Contract(
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    first_premium_paid=True,
    threshold_pct=5,
    e_protection=True,
)
EVENT = date(2026, 7, 10)
HOSPITALISED = AssistanceFacts(country="BE", hospitalised_days=3)
ABROAD = AssistanceFacts(
    country="MA", trip_departed_on=date(2026, 7, 1), trip_ends_on=None, hospitalised_days=6
)
DEAD = replace(ABROAD, died=True, children_under_18_left_alone=True)
AT = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


def ask(
    service: AssistanceService, quantity: str = "1", amount: str = "0", **kw: Any
) -> ServiceRequest:
    return ServiceRequest(service, Decimal(quantity), Decimal(amount), **kw)


def run(
    facts: AssistanceFacts,
    *requests: ServiceRequest,
    contract: Contract = CONTRACT,
    event: date = EVENT,
) -> Decision:
    return decide(contract, EngineClaim(event, event, replace(facts, requests=requests)))


def limits(decision: Decision) -> list[tuple[str, str | None, str]]:
    return [(x.item, None if x.amount is None else str(x.amount), x.rule) for x in decision.limits]


# -- item 2: limits per service, "no cap" representable ---------------------------------


@pytest.mark.parametrize(
    ("facts", "requests", "ceiling", "items"),
    [
        pytest.param(
            ABROAD,
            (ask("repatriation"), ask("dental_abroad", "1", "125.00")),
            None,
            [("repatriation", None, "AS-3"), ("dental_abroad", "125.00", "AS-3")],
            id="AS-3-repatriation-no-cap-makes-ceiling-null",
        ),
        pytest.param(
            ABROAD,
            (ask("dental_abroad", "1", "125.00"), ask("medical_costs_abroad", "1", "900.00")),
            "7625.00",
            [("dental_abroad", "125.00", "AS-3"), ("medical_costs_abroad", "7500.00", "AS-3")],
            id="AS-3-capped-services-only-ceiling-is-their-sum",
        ),
        pytest.param(
            ABROAD,
            (ask("relative_at_bedside", "6", "480.00", travel_amount=Decimal("2400.00")),),
            None,
            [
                ("relative_at_bedside", "480.00", "AS-3"),
                ("relative_at_bedside_travel", None, "AS-3"),
            ],
            id="AS-3-relative-hotel-capped-travel-not",
        ),
        pytest.param(
            DEAD,
            (ask("guardian", "1", "125.00", travel_amount=Decimal("1900.00")),),
            None,
            [("guardian", "125.00", "AS-5"), ("guardian_travel", None, "AS-5")],
            id="AS-5-guardian-hotel-capped-travel-not",
        ),
    ],
)
def test_assistance_limits_per_service_with_null_for_no_cap(
    facts: AssistanceFacts,
    requests: tuple[ServiceRequest, ...],
    ceiling: str | None,
    items: list[tuple[str, str | None, str]],
) -> None:
    """AS-3/AS-5 (issue 16 item 2): one limit per service, null when the text gives no cap;
    the ceiling is null as soon as one service granted has none."""
    decision = run(facts, *requests)
    assert decision.outcome == "covered", decision.reason.nl
    assert limits(decision) == items
    assert decision.ceiling == (None if ceiling is None else Decimal(ceiling))
    if ceiling is None:
        assert "Maximaal" not in decision.reason.nl


@pytest.mark.parametrize(
    ("facts", "request_", "outcome"),
    [
        pytest.param(
            ABROAD,
            ask("relative_at_bedside", "6", "480.00", travel_amount=Decimal("3000.00")),
            "covered",
            id="AS-3-relative-hotel-480-any-travel",
        ),
        pytest.param(
            ABROAD,
            ask("relative_at_bedside", "6", "480.01", travel_amount=Decimal("10.00")),
            "covered_in_part",
            id="AS-3-relative-hotel-480.01",
        ),
        pytest.param(
            DEAD,
            ask("guardian", "1", "125.00", travel_amount=Decimal("5000.00")),
            "covered",
            id="AS-5-guardian-hotel-125-any-travel",
        ),
        pytest.param(
            DEAD,
            ask("guardian", "1", "125.01", travel_amount=Decimal("10.00")),
            "covered_in_part",
            id="AS-5-guardian-hotel-125.01",
        ),
    ],
)
def test_hotel_capped_travel_not(
    facts: AssistanceFacts, request_: ServiceRequest, outcome: str
) -> None:
    """AS-3 relative at the bedside, AS-5 guardian (issue 16): the text caps the hotel,
    not the journey."""
    assert run(facts, request_).outcome == outcome


# -- item 3: once per accident, across claims ------------------------------------------


def prior(*granted: GrantedService, **kw: Any) -> Contract:
    return replace(CONTRACT, prior_claims=(PriorClaim("assistance", EVENT, granted=granted, **kw),))


HOME_8 = GrantedService("home_help", Decimal(8))
HOME_20 = GrantedService("home_help", Decimal(20))


@pytest.mark.parametrize(
    ("contract", "hours", "outcome", "cap"),
    [
        pytest.param(prior(HOME_8), "12", "covered", "12", id="AS-2-12h-left-after-8-asked-12"),
        pytest.param(prior(HOME_8), "12.5", "covered_in_part", "12", id="AS-2-12h-left-asked-12.5"),
        pytest.param(prior(HOME_20), "1", "rejected", None, id="AS-2-20h-used-nothing-left"),
        pytest.param(
            prior(HOME_20, counts=False), "20", "covered", "20", id="AS-2-rejected-uses-nothing"
        ),
        pytest.param(
            prior(HOME_20, same_insured=False), "20", "covered", "20", id="AS-2-other-insured"
        ),
        pytest.param(
            replace(
                CONTRACT,
                prior_claims=(PriorClaim("assistance", date(2026, 7, 9), granted=(HOME_20,)),),
            ),
            "20",
            "covered",
            "20",
            id="AS-2-other-accident",
        ),
        pytest.param(
            prior(GrantedService("childcare", Decimal(20))),
            "20",
            "covered",
            "20",
            id="AS-2-other-service-granted-before",
        ),
        pytest.param(prior(), "20", "covered", "20", id="AS-2-earlier-claim-granted-nothing"),
    ],
)
def test_as2_once_per_accident_across_claims(
    contract: Contract, hours: str, outcome: str, cap: str | None
) -> None:
    """AS-2 "per gedekt ongeval ... eenmaal" (issue 16 item 3): per insured person and
    accident, only what was granted counts; what is left of a limit stays available
    (docs/rules.md AS-2)."""
    decision = run(HOSPITALISED, ask("home_help", hours), contract=contract)
    assert decision.outcome == outcome
    quantities = [str(x.quantity) for x in decision.limits if x.item == "home_help"]
    assert quantities == ([] if cap is None else [cap])


def test_as2_bedside_nights_and_euros_left_after_an_earlier_claim() -> None:
    """AS-2 (issue 16): 3 of 5 nights (180 of 300 EUR) granted before: 2 nights, 120 EUR."""
    contract = prior(GrantedService("bedside_stay", Decimal(3), Decimal("180.00")))
    decision = run(HOSPITALISED, ask("bedside_stay", "2", "120.00"), contract=contract)
    assert decision.outcome == "covered"
    assert limits(decision) == [("bedside_stay", "120.00", "AS-2")]
    over = run(HOSPITALISED, ask("bedside_stay", "2", "120.01"), contract=contract)
    assert over.outcome == "covered_in_part"


def test_as2_the_order_of_declaration_does_not_matter() -> None:
    """AS-2 (issue 16 item 3): two claims for one accident end with the same grants
    whichever is declared first."""
    first = (ask("home_help", "15"), ask("childcare", "5"))
    second = (ask("home_help", "10"), ask("psychological_support", "6"))

    def total(a: tuple[ServiceRequest, ...], b: tuple[ServiceRequest, ...]) -> dict[str, Decimal]:
        one = run(HOSPITALISED, *a)
        granted_one = granted_services(list(a), one)
        two = run(HOSPITALISED, *b, contract=prior(*granted_one))
        sums: dict[str, Decimal] = {}
        for g in (*granted_one, *granted_services(list(b), two)):
            sums[g.service] = sums.get(g.service, Decimal(0)) + g.quantity
        return sums

    assert total(first, second) == total(second, first)
    assert total(first, second)["home_help"] == Decimal(20)


@pytest.mark.parametrize(
    ("contract", "deductible"),
    [
        pytest.param(CONTRACT, "50.00", id="AS-3-first-claim-bears-the-deductible"),
        pytest.param(
            prior(GrantedService("dental_abroad", Decimal(1), Decimal("80.00"))),
            None,
            id="AS-3-not-again-for-the-same-accident",
        ),
        pytest.param(
            prior(GrantedService("dental_abroad", Decimal(1), Decimal("80.00")), counts=False),
            "50.00",
            id="AS-3-a-rejected-claim-bore-nothing",
        ),
        pytest.param(
            prior(
                GrantedService("dental_abroad", Decimal(1), Decimal("80.00")), same_insured=False
            ),
            "50.00",
            id="AS-3-another-insured-bears-their-own",
        ),
    ],
)
def test_as3_deductible_once_per_insured_and_accident(
    contract: Contract, deductible: str | None
) -> None:
    """AS-3 "eigen risico van 50 EUR per verzekerde en per gedekt ongeval" (issue 16)."""
    decision = run(ABROAD, ask("medical_costs_abroad", "1", "400.00"), contract=contract)
    assert decision.deductible == (None if deductible is None else Decimal(deductible))


# -- deductible taken off what is offered ------------------------------------------------


@pytest.mark.parametrize(
    ("requests", "limit"),
    [
        pytest.param(
            (ask("dental_abroad", "1", "175.00"),), "125.00", id="AS-3-175-less-50-is-cap"
        ),
        pytest.param((ask("dental_abroad", "1", "174.99"),), "124.99", id="AS-3-174.99-below-cap"),
        pytest.param((ask("dental_abroad", "1", "125.00"),), "75.00", id="AS-3-125-less-50"),
        pytest.param((ask("dental_abroad", "1", "50.00"),), "0.00", id="AS-3-all-deductible"),
        pytest.param(
            (ask("medical_costs_abroad", "1", "30.00"), ask("dental_abroad", "1", "100.00")),
            "80.00",
            id="AS-3-deductible-once-over-medical-items",
        ),
        pytest.param(
            (ask("repatriation"), ask("dental_abroad", "1", "125.00")),
            None,
            id="AS-3-repatriation-no-cap-no-limit",
        ),
        pytest.param((ask("dental_abroad"),), "125.00", id="AS-3-costs-not-known-yet-cap"),
    ],
)
def test_as3_offer_limit_deductible_before_caps(
    requests: tuple[ServiceRequest, ...], limit: str | None
) -> None:
    """AS-3 (issue 16): the deductible is taken off what is paid; read in the insured's
    favour it comes off the costs before the cap (docs/rules.md AS-3)."""
    decision = run(ABROAD, *requests)
    assert offer_limit(list(requests), decision) == (None if limit is None else Decimal(limit))


def accepted_assistance(*requests: ServiceRequest, facts: AssistanceFacts = ABROAD) -> Claim:
    facts = replace(facts, requests=requests)
    engine = decide(CONTRACT, EngineClaim(EVENT, EVENT, facts))
    body = facts_json(AssistanceFactsIn.model_validate(_json(facts)))
    claim = Claim.declare(
        claim_id="c1",
        claim_number="CL-2026-000001",
        member_id="m1",
        policy_id="p1",
        cover="assistance",
        event_date=EVENT,
        declared_on=EVENT,
        facts=body,
        engine=engine,
        declared_by="account-m1",
        at=AT,
    )
    claim.decide("follow_engine", None, AT, "staff")
    return claim


def _json(facts: AssistanceFacts) -> dict[str, Any]:
    return {
        "country": facts.country,
        "trip_departed_on": str(facts.trip_departed_on) if facts.trip_departed_on else None,
        "hospitalised_days": facts.hospitalised_days,
        "requests": [
            {
                "service": r.service,
                "quantity": str(r.quantity),
                "amount": str(r.amount),
                "travel_amount": str(r.travel_amount),
            }
            for r in facts.requests
        ],
    }


def offer(claim: Claim, amount: str) -> None:
    claim.make_offer(
        offer_id="o1",
        kind="final",
        amount=Decimal(amount),
        respond_by=None,
        at=AT,
        by="staff",
    )


def test_as3_repatriation_by_ambulance_plane_and_dental_offer_accepted() -> None:
    """AS-3 (issue 16, the case that was refused): repatriation (no cap) + urgent dental
    care; an offer for the repatriation is made and accepted."""
    claim = accepted_assistance(
        ask("repatriation", "1", "18500.00"), ask("dental_abroad", "1", "90.00")
    )
    assert claim.engine.outcome == "covered" and claim.engine.ceiling is None
    offer(claim, "18500.00")
    payout = claim.accept_offer("o1", "BE71096123456769", date(2026, 7, 21), "account-m1")
    assert payout.amount == Decimal("18500.00")


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [
        pytest.param("75.00", True, id="AS-3-offer-125-less-deductible"),
        pytest.param("75.01", False, id="AS-3-offer-above-what-is-paid"),
    ],
)
def test_as3_deductible_taken_off_the_offer(amount: str, accepted: bool) -> None:
    """AS-3 (issue 16): 125 EUR of dental costs, 50 EUR deductible: at most 75 offered."""
    claim = accepted_assistance(ask("dental_abroad", "1", "125.00"))
    if accepted:
        offer(claim, amount)
        assert claim.offers[-1].amount == Decimal(amount)
    else:
        with pytest.raises(OfferRefused) as refused:
            offer(claim, amount)
        assert refused.value.rule == "AS-3"


# -- smaller deviations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "prescribed", "outcome"),
    [
        pytest.param(date(2026, 7, 10), date(2026, 8, 10), "covered", id="AS-2-last-day-of-month"),
        pytest.param(date(2026, 7, 10), date(2026, 8, 11), "rejected", id="AS-2-day-after"),
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), "covered", id="AS-2-31-jan-28-feb"),
        pytest.param(date(2026, 1, 31), date(2026, 3, 1), "rejected", id="AS-2-31-jan-1-mar"),
        pytest.param(date(2026, 7, 10), None, "covered", id="AS-2-prescription-not-given"),
    ],
)
def test_as2_hospital_transport_for_exams_within_the_month(
    event: date, prescribed: date | None, outcome: str
) -> None:
    """AS-2 "voorgeschreven door de arts binnen de maand na het gebeuren van het ongeval"
    (issue 16; art. 1.7 month, docs/rules.md AS-2)."""
    request = ask("hospital_transport", "2", prescribed_on=prescribed)
    assert run(HOSPITALISED, request, event=event).outcome == outcome


@pytest.mark.parametrize(
    ("service", "given_in", "outcome"),
    [
        pytest.param("tutoring", "BE", "covered", id="AS-4-tutoring-in-belgium"),
        pytest.param("tutoring", "FR", "rejected", id="AS-4-tutoring-in-france"),
        pytest.param("information", "BE", "covered", id="AS-4-information-in-belgium"),
        pytest.param("information", "NL", "rejected", id="AS-4-information-elsewhere"),
    ],
)
def test_as4_services_given_in_belgium_only(
    service: AssistanceService, given_in: str, outcome: str
) -> None:
    """AS-4 "Deze prestaties worden enkel verleend in België" (issue 16), even after an
    accident abroad."""
    facts = replace(ABROAD, school_absence_days=15)
    assert run(facts, ask(service, given_in=given_in)).outcome == outcome


@pytest.mark.parametrize(
    ("departed", "outcome"),
    [
        pytest.param(date(2026, 4, 13), "covered", id="AS-3-unknown-return-day-89"),
        pytest.param(date(2026, 4, 12), "rejected", id="AS-3-unknown-return-day-90"),
        pytest.param(None, "covered", id="AS-3-no-trip-dates-flagged-not-refused"),
    ],
)
def test_as3_unknown_return_date_is_not_a_refusal(departed: date | None, outcome: str) -> None:
    """AS-3 / PA-3 (issue 16): outside the EU with no return date known, the services are
    given while the stay up to the accident is under 90 days; AS-6 cannot exclude an
    unknown trip length."""
    facts = replace(ABROAD, trip_departed_on=departed, trip_ends_on=None)
    decision = run(facts, ask("repatriation"))
    assert decision.outcome == outcome
    assert "AS-6" not in [f.rule for f in decision.findings]


# -- in the real flow: ClaimsService passes the claims it holds --------------------------

POLICY = PolicyFacts(
    policy_id="p1",
    policyholder_id="m1",
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    threshold_pct=5,
    e_protection=True,
    first_premium_paid=True,
    signed=True,
)


def claims_service() -> ClaimsService:
    fakes = ClaimsFakes(AT)
    fakes.policies.add(POLICY, "m2")
    return fakes.use_cases().claims


def home_help(hours: str, member: str = "m1") -> Declare:
    facts = replace(HOSPITALISED, requests=(ask("home_help", hours),))
    return Declare(member, "p1", "assistance", EVENT, facts, _json(facts))


async def test_as2_once_per_accident_in_the_real_flow() -> None:
    """AS-2 (issue 16 item 3): the declaration passes the claimant's earlier grants for the
    accident to the engine: 8 h then 20 h asked -> 12 h granted; another insured person
    keeps their own 20 h; a rejected or withdrawn earlier claim uses nothing."""
    svc = claims_service()
    first, _ = await svc.declare(home_help("8"), "account-m1", None)
    assert first.engine.outcome == "covered"
    second, _ = await svc.declare(home_help("20"), "account-m1", None)
    assert second.engine.outcome == "covered_in_part"
    assert [str(x.quantity) for x in second.engine.limits] == ["12"]
    other, _ = await svc.declare(home_help("20", member="m2"), "account-m1", None)
    assert other.engine.outcome == "covered"
    await svc.decide(first.claim_id, "rejected", "not needed after all", "staff")
    await svc.decide(second.claim_id, "rejected", "not needed after all", "staff")
    third, _ = await svc.declare(home_help("20"), "account-m1", None)
    assert third.engine.outcome == "covered"


async def test_la1_a_withdrawn_claim_does_not_use_up_the_insurance_year() -> None:
    """LA-1 (issue 16): a withdrawn e-protection claim is not the year's one claim; an
    open one is (the boundary)."""
    svc = claims_service()
    goods = EMerchantGoodsFacts(
        principal_stake=Decimal("800.00"), price=Decimal("800.00"), defect="broken"
    )
    body = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}
    first, _ = await svc.declare(
        Declare("m1", "p1", "e_merchant_goods", date(2026, 3, 2), goods, body), "a", None
    )
    again, _ = await svc.declare(
        Declare("m1", "p1", "e_merchant_goods", date(2026, 3, 1), goods, body), "a", None
    )
    assert again.engine.outcome == "rejected"
    claim = await svc.claim(first.claim_id)
    assert claim is not None
    claim.close("withdrawn", date(2026, 7, 20), AT, "account-m1")
    assert not claim.as_prior("m1").counts
    contract = replace(CONTRACT, prior_claims=(claim.as_prior("m1"),))
    later = decide(contract, EngineClaim(date(2026, 4, 1), date(2026, 4, 1), goods))
    assert later.outcome == "covered"
