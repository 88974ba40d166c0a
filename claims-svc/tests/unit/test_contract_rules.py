"""Contract-level rules the engine applies first (PC-2, PC-3, PC-4, LA-1, LA-2, LA-3, CL-1)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from claims.domain.contract import Contract, PriorClaim
from claims.domain.declaration import ClaimInvalid
from claims.domain.engine import decide
from claims.domain.facts import AccidentFacts, Claim, EMerchantServiceFacts

START = date(2026, 1, 15)
CONTRACT = Contract(
    formula="family",
    start_date=START,
    end_date=None,
    first_premium_paid=True,
    threshold_pct=5,
    e_protection=True,
)
ACCIDENT = AccidentFacts(country="BE", disability_pct=Decimal(10))
SERVICE = EMerchantServiceFacts(principal_stake=Decimal("400.00"), defect="not_performed")


def claim(event: date, facts: AccidentFacts | EMerchantServiceFacts = ACCIDENT) -> Claim:
    return Claim(event_date=event, declared_on=event, facts=facts)


@pytest.mark.parametrize(
    ("contract", "event", "outcome"),
    [
        pytest.param(CONTRACT, START, "covered", id="PC-4-event-on-start-date-covered"),
        pytest.param(
            CONTRACT, date(2026, 1, 14), "rejected", id="PC-4-event-day-before-start-rejected"
        ),
        pytest.param(
            replace(CONTRACT, first_premium_paid=False),
            date(2026, 3, 1),
            "rejected",
            id="PC-4-first-premium-unpaid-rejected",
        ),
        pytest.param(
            replace(CONTRACT, end_date=date(2027, 1, 15)),
            date(2027, 1, 14),
            "covered",
            id="PC-4-last-day-before-exclusive-end-covered",
        ),
        pytest.param(
            replace(CONTRACT, end_date=date(2027, 1, 15)),
            date(2027, 1, 15),
            "rejected",
            id="PC-4-event-on-end-date-rejected",
        ),
    ],
)
def test_pc4_first_premium_paid_and_event_within_contract(
    contract: Contract, event: date, outcome: str
) -> None:
    decision = decide(contract, claim(event))
    assert decision.outcome == outcome
    assert decision.rules[0] == "PC-4"
    if outcome == "rejected":
        assert [f.rule for f in decision.findings if f.effect == "reject"] == ["PC-4"]
        assert decision.ceiling is None
        assert decision.reason.nl and decision.reason.fr


@pytest.mark.parametrize(
    ("formula", "rule"),
    [
        pytest.param("single", "PC-2", id="PC-2-single"),
        pytest.param("family", "PC-3", id="PC-3-family"),
    ],
)
def test_pc2_pc3_victim_must_be_insured_on_the_event_date(formula: str, rule: str) -> None:
    contract = replace(CONTRACT, formula=formula)  # type: ignore[arg-type]
    assert rule in decide(contract, claim(date(2026, 3, 1))).rules
    refused = decide(contract, replace(claim(date(2026, 3, 1)), claimant_insured=False))
    assert refused.outcome == "rejected"
    assert [f.rule for f in refused.findings] == [rule]


def test_cl1_a_claim_declared_before_its_event_is_invalid() -> None:
    with pytest.raises(ClaimInvalid) as caught:
        decide(CONTRACT, Claim(date(2026, 3, 2), date(2026, 3, 1), ACCIDENT))
    assert caught.value.rule == "CL-1"
    assert "CL-1" in decide(CONTRACT, claim(date(2026, 3, 2))).rules


def test_la1_e_protection_not_subscribed_is_rejected() -> None:
    decision = decide(replace(CONTRACT, e_protection=False), claim(date(2026, 3, 1), SERVICE))
    assert decision.outcome == "rejected"
    assert [f.rule for f in decision.findings] == ["LA-1"]


@pytest.mark.parametrize(
    ("prior", "outcome"),
    [
        pytest.param(date(2027, 3, 1), "rejected", id="LA-1-prior-claim-same-insurance-year"),
        pytest.param(date(2027, 1, 14), "covered", id="LA-1-prior-on-last-day-of-year-1"),
        pytest.param(date(2027, 1, 15), "rejected", id="LA-1-prior-on-anniversary-same-year-2"),
    ],
)
def test_la1_one_e_protection_claim_per_insurance_year(prior: date, outcome: str) -> None:
    contract = replace(CONTRACT, prior_claims=(PriorClaim("identity_theft", prior),))
    decision = decide(contract, claim(date(2027, 6, 1), SERVICE))
    assert decision.outcome == outcome
    assert "LA-1" in decision.rules


def test_la1_prior_accident_claims_do_not_count() -> None:
    contract = replace(CONTRACT, prior_claims=(PriorClaim("accident", date(2026, 5, 1)),))
    assert decide(contract, claim(date(2026, 6, 1), SERVICE)).outcome == "covered"


def test_la1_insurance_years_run_from_the_start_anniversary() -> None:
    assert CONTRACT.insurance_year(date(2027, 1, 14)) == (START, date(2027, 1, 15))
    assert CONTRACT.insurance_year(date(2027, 1, 15)) == (date(2027, 1, 15), date(2028, 1, 15))
    leap = replace(CONTRACT, start_date=date(2024, 2, 29))
    assert leap.insurance_year(date(2025, 2, 28)) == (date(2025, 2, 28), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("event", "outcome"),
    [
        pytest.param(date(2026, 2, 14), "rejected", id="LA-2-last-day-of-waiting-month"),
        pytest.param(date(2026, 2, 15), "covered", id="LA-2-first-day-after-waiting-month"),
    ],
)
def test_la2_waiting_month_from_the_start(event: date, outcome: str) -> None:
    decision = decide(CONTRACT, claim(event, SERVICE))
    assert decision.outcome == outcome
    assert "LA-2" in decision.rules


@pytest.mark.parametrize(
    ("event", "outcome"),
    [
        pytest.param(date(2026, 2, 27), "rejected", id="LA-2-31-jan-waiting-ends-27-feb"),
        pytest.param(date(2026, 2, 28), "covered", id="LA-2-31-jan-covered-from-28-feb"),
    ],
)
def test_la2_waiting_month_at_month_end(event: date, outcome: str) -> None:
    """LA-2 "1 maand vanaf de uitwerking" at a month end (issue 16 items 1 and 4): no 31
    February, so the month from 31 January ends on its eve read favourably to the insured
    (art. VI.37 §2 WER): covered from 28 February, not only from 1 March."""
    contract = replace(CONTRACT, start_date=date(2026, 1, 31))
    assert decide(contract, claim(event, SERVICE)).outcome == outcome


def test_la2_dispute_known_at_subscription_is_rejected() -> None:
    facts = replace(SERVICE, known_at_subscription=True)
    decision = decide(CONTRACT, claim(date(2026, 3, 1), facts))
    assert decision.outcome == "rejected"
    assert [f.rule for f in decision.findings] == ["LA-2"]


def test_la3_event_after_the_contract_ended_is_rejected() -> None:
    contract = replace(CONTRACT, end_date=date(2026, 6, 1))
    decision = decide(contract, claim(date(2026, 6, 1), SERVICE))
    assert decision.outcome == "rejected"
    assert {f.rule for f in decision.findings} == {"PC-4", "LA-3"}


@pytest.mark.parametrize(
    ("declared_on", "outcome"),
    [
        # last day in force 31 May; day 60 after it is 30 July
        pytest.param(date(2026, 7, 30), "covered", id="LA-3-declared-day-60-after-end"),
        pytest.param(date(2026, 7, 31), "rejected", id="LA-3-declared-day-61-after-end"),
    ],
)
def test_la3_declared_at_the_latest_60_days_after_the_end(declared_on: date, outcome: str) -> None:
    contract = replace(CONTRACT, end_date=date(2026, 6, 1))
    decision = decide(contract, Claim(date(2026, 5, 31), declared_on, SERVICE))
    assert decision.outcome == outcome
    assert decision.late_declaration  # both are past the 8 days of LA-14
    assert "LA-3" in decision.rules


def test_engine_reports_every_rule_checked_in_order_for_a_covered_claim() -> None:
    decision = decide(CONTRACT, claim(date(2026, 3, 1), SERVICE))
    assert decision.outcome == "covered"
    assert decision.rules[:5] == ("PC-4", "PC-3", "LA-1", "LA-2", "LA-3")
    assert {"CL-1", "LA-14", "LA-4", "LA-13", "LA-10", "LA-9", "LA-12", "LA-11"} <= set(
        decision.rules
    )
    assert decision.findings == ()
    assert decision.reason.nl.startswith("Gedekt")
    assert decision.reason.fr.startswith("Couvert")
