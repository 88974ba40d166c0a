"""Declaration windows, late flags (PA-7, AS-1, LA-14, CL-2), deadlines (PA-8, LA-6, LA-8)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from claims.domain import deadlines
from claims.domain.contract import Contract
from claims.domain.engine import decide
from claims.domain.facts import AccidentFacts, AssistanceFacts, Claim, EMerchantServiceFacts, Facts

CONTRACT = Contract(
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    first_premium_paid=True,
    threshold_pct=5,
    e_protection=True,
)
EVENT = date(2026, 3, 10)
ACCIDENT = AccidentFacts(country="BE", disability_pct=Decimal(10))
ASSISTANCE = AssistanceFacts(country="BE")
SERVICE = EMerchantServiceFacts(principal_stake=Decimal("400.00"), defect="badly_performed")


@pytest.mark.parametrize(
    ("facts", "rule", "days", "late"),
    [
        pytest.param(ACCIDENT, "PA-7", 8, False, id="PA-7-day-8-in-time"),
        pytest.param(ACCIDENT, "PA-7", 9, True, id="PA-7-day-9-late"),
        pytest.param(ASSISTANCE, "AS-1", 30, False, id="AS-1-day-30-in-time"),
        pytest.param(ASSISTANCE, "AS-1", 31, True, id="AS-1-day-31-late"),
        pytest.param(SERVICE, "LA-14", 8, False, id="LA-14-day-8-in-time"),
        pytest.param(SERVICE, "LA-14", 9, True, id="LA-14-day-9-late"),
    ],
)
def test_declaration_window_late_is_flagged_cl2_not_rejected(
    facts: Facts, rule: str, days: int, late: bool
) -> None:
    decision = decide(CONTRACT, Claim(EVENT, EVENT + timedelta(days=days), facts))
    assert decision.outcome == "covered"  # CL-2: flagged, staff decide on a reduction
    assert decision.late_declaration is late
    assert rule in decision.rules
    flagged = [f.rule for f in decision.findings if f.effect == "flag"]
    assert flagged == ([rule, "CL-2"] if late else [])
    if late:
        assert "Laattijdige aangifte" in decision.reason.nl
        assert "Déclaration tardive" in decision.reason.fr


@pytest.mark.parametrize(
    ("days_after_discharge", "late"),
    [
        pytest.param(30, False, id="AS-1-day-30-after-hospital-discharge"),
        pytest.param(31, True, id="AS-1-day-31-after-hospital-discharge"),
    ],
)
def test_as1_window_also_runs_from_hospital_discharge(
    days_after_discharge: int, late: bool
) -> None:
    discharged = EVENT + timedelta(days=40)
    facts = replace(ASSISTANCE, hospital_discharged_on=discharged)
    declared = discharged + timedelta(days=days_after_discharge)
    assert decide(CONTRACT, Claim(EVENT, declared, facts)).late_declaration is late


@pytest.mark.parametrize(
    ("facts", "rule"),
    [
        pytest.param(replace(ACCIDENT, judicial_documents_late=True), "PA-7", id="PA-7-48-hours"),
        pytest.param(replace(SERVICE, judicial_documents_late=True), "LA-14", id="LA-14-48-hours"),
    ],
)
def test_judicial_documents_after_48_hours_are_flagged(facts: Facts, rule: str) -> None:
    decision = decide(CONTRACT, Claim(EVENT, EVENT, facts))
    assert decision.outcome == "covered"
    assert [f.rule for f in decision.findings] == [rule, "CL-2"]
    assert decision.late_declaration is False


def test_cl2_flag_appears_once_when_late_and_documents_late() -> None:
    facts = replace(ACCIDENT, judicial_documents_late=True)
    decision = decide(CONTRACT, Claim(EVENT, EVENT + timedelta(days=20), facts))
    assert [f.rule for f in decision.findings].count("CL-2") == 1


def test_pa8_insurer_deadlines() -> None:
    assert deadlines.advance_due(date(2026, 10, 31)) == date(2027, 2, 28)
    assert deadlines.final_offer_due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert deadlines.accident_payment_due(date(2027, 1, 31)) == date(2027, 2, 28)
    assert deadlines.provisional_offer_due(EVENT, Decimal(51), consolidated=False) == date(
        2028, 3, 10
    )
    assert deadlines.provisional_offer_due(EVENT, Decimal(50), consolidated=False) is None
    assert deadlines.provisional_offer_due(EVENT, Decimal(80), consolidated=True) is None
    assert deadlines.provisional_offer_amount(Decimal("100000.00")) == Decimal("25000.00")


def test_la6_la8_e_protection_deadlines() -> None:
    assert deadlines.eprotection_resolution_due(date(2026, 9, 30)) == date(2027, 2, 28)
    assert deadlines.eprotection_payment_due(date(2026, 3, 1)) == date(2026, 3, 31)
    assert deadlines.merchant_settlement_due(date(2026, 11, 30)) == date(2027, 2, 28)
