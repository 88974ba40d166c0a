"""E-protection covers (LA-4..LA-13) once the contract-level rules are met."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from claims.domain.contract import Contract
from claims.domain.decision import Decision
from claims.domain.engine import decide
from claims.domain.eprotection import objectivity_refund
from claims.domain.exclusions import EPROTECTION_EXCLUSIONS, EXCLUSION_SCOPES
from claims.domain.facts import (
    Claim,
    ConnectedObjectFacts,
    EMerchantGoodsFacts,
    EMerchantServiceFacts,
    EProtectionFacts,
    EReputationFacts,
    IdentityTheftFacts,
    PaymentFraudFacts,
)

CONTRACT = Contract(
    formula="single",
    start_date=date(2026, 1, 1),
    end_date=None,
    first_premium_paid=True,
    threshold_pct=5,
    e_protection=True,
)
EVENT = date(2026, 3, 2)
STAKE = Decimal("800.00")
GOODS = EMerchantGoodsFacts(principal_stake=STAKE, price=STAKE, defect="broken")
SERVICE = EMerchantServiceFacts(principal_stake=STAKE, defect="badly_performed")
THEFT = IdentityTheftFacts(principal_stake=STAKE)
FRAUD = PaymentFraudFacts(principal_stake=STAKE)
REPUTATION = EReputationFacts(principal_stake=STAKE)
CONNECTED = ConnectedObjectFacts(principal_stake=STAKE, leads_to="identity_theft")
ALL = (GOODS, SERVICE, THEFT, FRAUD, REPUTATION, CONNECTED)


def run(facts: EProtectionFacts, declared_on: date = EVENT) -> Decision:
    return decide(CONTRACT, Claim(EVENT, declared_on, facts))  # type: ignore[arg-type]


def refusals(decision: Decision) -> list[str]:
    return [f.rule for f in decision.findings if f.effect == "reject"]


@pytest.mark.parametrize("facts", ALL, ids=lambda f: f"covered-{f.cover}")
def test_la5_each_cover_covered_in_the_ordinary_case(facts: EProtectionFacts) -> None:
    decision = run(facts)
    assert decision.outcome == "covered", decision.reason.nl
    assert "LA-4" in decision.rules and "LA-13" in decision.rules


def test_la11_a_covered_claim_tells_the_member_its_ceiling_and_rule() -> None:
    """The reason says what LAR pays at most and which rule says so, in nl and fr."""
    decision = run(GOODS)
    assert decision.outcome == "covered" and decision.ceiling == Decimal("5000.00")
    assert decision.reason.nl.endswith("Maximaal €\xa05.000,00 (LA-11).")
    assert decision.reason.fr.endswith("Au maximum 5\u202f000,00\xa0€ (LA-11).")


@pytest.mark.parametrize(
    ("stake", "outcome"),
    [
        pytest.param("150.00", "rejected", id="LA-4-stake-150.00-does-not-exceed-150"),
        pytest.param("150.01", "covered", id="LA-4-stake-150.01"),
    ],
)
def test_la4_minimum_stake(stake: str, outcome: str) -> None:
    decision = run(replace(SERVICE, principal_stake=Decimal(stake)))
    assert decision.outcome == outcome
    assert "LA-4" in decision.rules


@pytest.mark.parametrize(
    ("stake", "ceiling", "outcome"),
    [
        pytest.param("1239.99", None, "covered_in_part", id="LA-4-cassation-stake-1239.99"),
        pytest.param("1240.00", "1750.00", "covered", id="LA-4-cassation-stake-1240.00"),
    ],
)
def test_la4_cassation_costs_need_a_stake_of_1240(
    stake: str, ceiling: str | None, outcome: str
) -> None:
    facts = replace(SERVICE, principal_stake=Decimal(stake), stages=frozenset({"cassation"}))
    decision = run(facts)
    assert decision.outcome == outcome
    assert decision.ceiling == (Decimal(ceiling) if ceiling else None)


@pytest.mark.parametrize(
    ("instrument", "outcome"),
    [
        pytest.param("cheque", "covered", id="LA-5-cheque"),
        pytest.param("bank_card", "covered", id="LA-5-bank-card"),
        pytest.param("electronic_money", "covered", id="LA-5-electronic-money"),
        pytest.param("travel_cheque", "rejected", id="LA-5-travel-cheque"),
        pytest.param("meal_voucher", "rejected", id="LA-5-meal-voucher"),
        pytest.param("eco_voucher", "rejected", id="LA-5-eco-voucher"),
    ],
)
def test_la5_means_of_payment(instrument: str, outcome: str) -> None:
    decision = run(replace(FRAUD, instrument=instrument))  # type: ignore[arg-type]
    assert decision.outcome == outcome


def test_la5_identity_theft_with_a_debited_card_number_is_payment_fraud() -> None:
    decision = run(replace(THEFT, card_number_debited=True))
    assert refusals(decision) == ["LA-5"]
    assert "frauduleus gebruik" in decision.reason.nl


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        pytest.param({"salary_loss_days": 5}, "covered", id="LA-6-salary-loss-5-days"),
        pytest.param({"salary_loss_days": 6}, "covered_in_part", id="LA-6-salary-loss-6-days"),
        pytest.param({"phone_costs_per_month": Decimal("30.00")}, "covered", id="LA-6-phone-30"),
        pytest.param(
            {"phone_costs_per_month": Decimal("30.01")}, "covered_in_part", id="LA-6-phone-30.01"
        ),
        pytest.param({"claimed_amount": Decimal("5000.00")}, "covered", id="LA-6-5000.00"),
        pytest.param({"claimed_amount": Decimal("5000.01")}, "covered_in_part", id="LA-6-5000.01"),
    ],
)
@pytest.mark.parametrize("base", [THEFT, FRAUD], ids=lambda f: f.cover)
def test_la6_indemnity_items_and_cap(
    base: EProtectionFacts, fields: dict[str, object], outcome: str
) -> None:
    decision = run(replace(base, **fields))  # type: ignore[arg-type]
    assert decision.outcome == outcome
    assert "LA-6" in decision.rules
    assert decision.ceiling == Decimal("5000.00")


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        pytest.param({"responsible_identified": False}, "rejected", id="LA-7-no-responsible"),
        pytest.param(
            {"responsible_country": "US"}, "covered", id="LA-7-responsible-outside-defence-ok"
        ),
        pytest.param(
            {"responsible_country": "US", "cleaning_requested": True},
            "covered_in_part",
            id="LA-7-responsible-outside-no-cleaning",
        ),
        pytest.param(
            {"responsible_country": "NO", "cleaning_requested": True},
            "covered",
            id="LA-7-responsible-in-norway-cleaning",
        ),
        pytest.param(
            {"drowning_requested": True}, "covered_in_part", id="LA-7-drowning-without-complaint"
        ),
        pytest.param(
            {"drowning_requested": True, "removal_failed": True, "complaint_filed": True},
            "covered",
            id="LA-7-drowning-after-failed-removal-and-complaint",
        ),
    ],
)
def test_la7_e_reputation_conditions(fields: dict[str, object], outcome: str) -> None:
    decision = run(replace(REPUTATION, **fields))  # type: ignore[arg-type]
    assert decision.outcome == outcome
    assert "LA-7" in decision.rules


def test_la7_cleaning_ceiling_5000_plus_10_percent_with_mediation() -> None:
    facts = replace(REPUTATION, cleaning_requested=True)
    assert run(facts).ceiling == Decimal("5000.00")
    assert run(replace(facts, recognised_mediation=True)).ceiling == Decimal("5500.00")


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        pytest.param({"price": Decimal("149.99")}, "rejected", id="LA-8-price-149.99"),
        pytest.param(
            {"price": Decimal("150.00"), "principal_stake": Decimal("150.01")},
            "covered",
            id="LA-8-price-150.00",
        ),
        pytest.param({"price": Decimal("5000.00")}, "covered", id="LA-8-price-5000.00"),
        pytest.param({"price": Decimal("5000.01")}, "rejected", id="LA-8-price-5000.01"),
        pytest.param({"transportable": False}, "rejected", id="LA-8-not-transportable"),
        pytest.param({"bought_online": False}, "rejected", id="LA-8-not-online"),
        pytest.param({"new": False}, "rejected", id="LA-8-second-hand"),
        pytest.param({"seller_professional": False}, "rejected", id="LA-8-private-seller"),
        pytest.param({"seller_country": "IT"}, "rejected", id="LA-8-seller-in-italy"),
        pytest.param({"seller_country": "LU"}, "covered", id="LA-8-seller-in-luxembourg"),
        pytest.param({"delivery_method": "other"}, "rejected", id="LA-8-untracked-delivery"),
        pytest.param({"delivery_method": "private_carrier"}, "covered", id="LA-8-private-carrier"),
        pytest.param({"delivery_country": "FR"}, "rejected", id="LA-8-delivered-in-france"),
    ],
)
def test_la8_cumulative_conditions(fields: dict[str, object], outcome: str) -> None:
    decision = run(replace(GOODS, **fields))  # type: ignore[arg-type]
    assert decision.outcome == outcome
    if outcome == "rejected":
        assert refusals(decision) == ["LA-8"]


def test_la8_price_150_passes_la8_but_a_stake_of_150_fails_la4() -> None:
    decision = run(replace(GOODS, price=Decimal("150.00"), principal_stake=Decimal("150.00")))
    assert refusals(decision) == ["LA-4"]


@pytest.mark.parametrize(
    "defect", ["broken", "incomplete", "damaged_or_non_conforming", "not_matching_specs"]
)
def test_la8_alternative_conditions(defect: str) -> None:
    assert run(replace(GOODS, defect=defect)).outcome == "covered"  # type: ignore[arg-type]


PROMISED = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("delivered_on", "declared_on", "outcome"),
    [
        pytest.param(date(2026, 3, 6), date(2026, 3, 9), "rejected", id="LA-8-delivered-day-5"),
        pytest.param(date(2026, 3, 7), date(2026, 3, 9), "covered", id="LA-8-delivered-day-6"),
        pytest.param(None, date(2026, 3, 6), "rejected", id="LA-8-undelivered-declared-day-5"),
        pytest.param(None, date(2026, 3, 7), "covered", id="LA-8-undelivered-declared-day-6"),
    ],
)
def test_la8_not_delivered_5_calendar_days_after_the_promised_date(
    delivered_on: date | None, declared_on: date, outcome: str
) -> None:
    facts = replace(
        GOODS, defect="not_delivered", promised_delivery_on=PROMISED, delivered_on=delivered_on
    )
    decision = decide(CONTRACT, Claim(PROMISED, declared_on, facts))
    assert decision.outcome == outcome
    assert "LA-8" in decision.rules


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        pytest.param({}, "covered", id="LA-9-online-professional-in-be"),
        pytest.param({"bought_online": False}, "rejected", id="LA-9-not-online"),
        pytest.param({"seller_professional": False}, "rejected", id="LA-9-private-seller"),
        pytest.param({"seller_country": "ES"}, "rejected", id="LA-9-seller-in-spain"),
        pytest.param({"defect": "not_performed"}, "covered", id="LA-9-not-performed"),
    ],
)
def test_la9_e_merchant_service(fields: dict[str, object], outcome: str) -> None:
    decision = run(replace(SERVICE, **fields))  # type: ignore[arg-type]
    assert decision.outcome == outcome
    assert "LA-9" in decision.rules


EXCLUSION_CASES = [
    pytest.param(facts, code, id=f"LA-10-{facts.cover}-{code}")
    for code, info in EPROTECTION_EXCLUSIONS.items()
    for facts in ALL
    if facts.cover in EXCLUSION_SCOPES[info.scope]
]


@pytest.mark.parametrize(("facts", "code"), EXCLUSION_CASES)
def test_la10_every_exclusion_for_every_cover_it_is_written_for(
    facts: EProtectionFacts, code: str
) -> None:
    decision = run(replace(facts, exclusions=frozenset({code})))  # type: ignore[arg-type]
    assert decision.outcome == "rejected"
    assert refusals(decision) == [EPROTECTION_EXCLUSIONS[code].exclusion.rule]  # type: ignore[index]


def test_la10_an_exclusion_outside_its_scope_is_refused_as_input() -> None:
    with pytest.raises(ValueError, match="LA-10"):
        run(replace(SERVICE, exclusions=frozenset({"press_or_journalist"})))


@pytest.mark.parametrize(
    ("members", "outcome"),
    [
        pytest.param(9, "covered", id="LA-10-class-action-9-people"),
        pytest.param(10, "rejected", id="LA-10-class-action-10-people"),
    ],
)
def test_la10_class_actions_of_at_least_10(members: int, outcome: str) -> None:
    assert run(replace(SERVICE, class_action_members=members)).outcome == outcome


@pytest.mark.parametrize(
    ("medium", "outcome"),
    [
        pytest.param("blog", "covered", id="LA-10-medium-blog"),
        pytest.param("forum", "covered", id="LA-10-medium-forum"),
        pytest.param("website", "covered", id="LA-10-medium-website"),
        pytest.param("other", "rejected", id="LA-10-medium-other"),
    ],
)
def test_la10_e_reputation_media(medium: str, outcome: str) -> None:
    assert run(replace(REPUTATION, medium=medium)).outcome == outcome  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "ceiling", "items"),
    [
        pytest.param(SERVICE, None, [], id="LA-11-amicable-only-no-ceiling"),
        pytest.param(
            GOODS, "5000.00", ["indemnity_e_merchant_goods"], id="LA-11-goods-refund-5000"
        ),
        pytest.param(
            replace(SERVICE, stages=frozenset({"expertise"})),
            "2500.00",
            ["defence_expertise"],
            id="LA-11-expertise-2500",
        ),
        pytest.param(
            replace(SERVICE, stages=frozenset({"expertise", "first_instance", "appeal"})),
            "14000.00",
            ["defence_expertise", "defence_first_instance", "defence_appeal"],
            id="LA-11-each-stage-its-own-amount",
        ),
        pytest.param(
            replace(SERVICE, stages=frozenset({"first_instance"}), recognised_mediation=True),
            "6325.00",
            ["defence_first_instance"],
            id="LA-11-mediation-plus-10-percent",
        ),
        pytest.param(
            replace(THEFT, related_covers=frozenset({"payment_fraud"}), recognised_mediation=True),
            "5000.00",
            ["indemnity_identity_theft"],
            id="LA-11-group-rule-group-ii-covers-once-no-mediation",
        ),
        pytest.param(
            replace(THEFT, stages=frozenset({"first_instance"})),
            "10750.00",
            ["defence_first_instance", "indemnity_identity_theft"],
            id="LA-11-groups-add-up",
        ),
        pytest.param(
            replace(THEFT, stages=frozenset({"expertise", "first_instance", "appeal"})),
            "19000.00",
            [
                "defence_expertise",
                "defence_first_instance",
                "defence_appeal",
                "indemnity_identity_theft",
            ],
            id="LA-11-identity-theft-three-stages-three-amounts",
        ),
        pytest.param(
            replace(CONNECTED, stages=frozenset({"appeal"})),
            "10750.00",
            ["defence_appeal", "indemnity_identity_theft"],
            id="LA-11-connected-object-takes-the-led-to-cover",
        ),
        pytest.param(
            replace(
                REPUTATION,
                stages=frozenset({"first_instance"}),
                cleaning_requested=True,
                recognised_mediation=True,
            ),
            "11825.00",
            ["defence_first_instance", "e_reputation_cleaning"],
            id="LA-11-mediation-on-every-group-i-amount",
        ),
    ],
)
def test_la11_ceilings_per_cover_and_stage(
    facts: EProtectionFacts, ceiling: str | None, items: list[str]
) -> None:
    """LA-11 (issue 16 item 2): one amount per stage, the group rule across covers of one
    group only, +10 % mediation on Group I only."""
    decision = run(facts)
    assert decision.outcome == "covered"
    assert decision.ceiling == (Decimal(ceiling) if ceiling else None)
    assert [lim.item for lim in decision.limits] == items
    assert "LA-11" in decision.rules


def test_la11_no_judicial_defence_for_e_merchant_goods() -> None:
    decision = run(replace(GOODS, stages=frozenset({"first_instance"})))
    assert decision.outcome == "covered_in_part"
    assert decision.ceiling == Decimal("5000.00")
    assert [f.rule for f in decision.findings] == ["LA-11"]


def test_la12_steps_without_prior_agreement_are_not_covered() -> None:
    decision = run(replace(SERVICE, proceedings_without_agreement=True))
    assert decision.outcome == "covered_in_part"
    assert [f.rule for f in decision.findings] == ["LA-12"]


@pytest.mark.parametrize(
    ("confirms", "better", "refund"),
    [
        pytest.param("insurer", False, "150.00", id="LA-12-lawyer-confirms-insurer-half"),
        pytest.param("insurer", True, "300.00", id="LA-12-better-result-full"),
        pytest.param("insured", False, "300.00", id="LA-12-lawyer-confirms-insured-full"),
    ],
)
def test_la12_objectivity_clause(confirms: str, better: bool, refund: str) -> None:
    assert objectivity_refund(Decimal("300.00"), confirms, better) == Decimal(refund)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        pytest.param(replace(THEFT, defence_country="NO"), "covered", id="LA-13-theft-norway"),
        pytest.param(replace(THEFT, defence_country="US"), "rejected", id="LA-13-theft-usa"),
        pytest.param(replace(FRAUD, defence_country="CH"), "covered", id="LA-13-fraud-switzerland"),
        pytest.param(replace(GOODS, defence_country="NL"), "covered", id="LA-13-goods-netherlands"),
        pytest.param(replace(GOODS, defence_country="AT"), "rejected", id="LA-13-goods-austria"),
        pytest.param(replace(SERVICE, defence_country="ES"), "rejected", id="LA-13-service-spain"),
        pytest.param(replace(REPUTATION, host_country="VA"), "covered", id="LA-13-host-vatican"),
        pytest.param(replace(REPUTATION, host_country="US"), "rejected", id="LA-13-host-usa"),
        pytest.param(
            replace(SERVICE, insured_lives_in_belgium=False), "rejected", id="LA-13-lives-abroad"
        ),
    ],
)
def test_la13_territory(facts: EProtectionFacts, outcome: str) -> None:
    decision = run(facts)
    assert decision.outcome == outcome
    if outcome == "rejected":
        assert refusals(decision) == ["LA-13"]
