"""Assistance cover (AS-1..AS-6): settings, limits on both sides, deductible."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from claims.domain.assistance import SERVICE_LIMITS
from claims.domain.contract import Contract, GrantedService, PriorClaim
from claims.domain.decision import Decision
from claims.domain.engine import decide
from claims.domain.exclusions import ASSISTANCE_EXCLUSION_CODES
from claims.domain.facts import AssistanceFacts, AssistanceService, Claim, ServiceRequest

CONTRACT = Contract(
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    first_premium_paid=True,
    threshold_pct=5,
    e_protection=False,
)
EVENT = date(2026, 7, 10)
HOSPITALISED = AssistanceFacts(country="BE", hospitalised_days=3)
ABROAD = AssistanceFacts(
    country="MA",
    trip_departed_on=date(2026, 7, 1),
    trip_ends_on=date(2026, 7, 31),
    hospitalised_days=6,
)
DEAD = replace(ABROAD, died=True)


def ask(
    service: AssistanceService, quantity: str = "1", amount: str = "0", **kw: int
) -> ServiceRequest:
    return ServiceRequest(service, Decimal(quantity), Decimal(amount), **kw)


def run(
    facts: AssistanceFacts, *requests: ServiceRequest, contract: Contract = CONTRACT
) -> Decision:
    return decide(contract, Claim(EVENT, EVENT, replace(facts, requests=requests)))


@pytest.mark.parametrize(
    ("facts", "request_", "outcome"),
    [
        pytest.param(HOSPITALISED, ask("psychological_support", "6"), "covered", id="AS-2-6-calls"),
        pytest.param(
            HOSPITALISED, ask("psychological_support", "7"), "covered_in_part", id="AS-2-7-calls"
        ),
        pytest.param(HOSPITALISED, ask("home_help", "20"), "covered", id="AS-2-home-help-20h"),
        pytest.param(
            HOSPITALISED, ask("home_help", "20.5"), "covered_in_part", id="AS-2-home-help-20.5h"
        ),
        pytest.param(HOSPITALISED, ask("sick_care", "20"), "covered", id="AS-2-sick-care-20h"),
        pytest.param(
            HOSPITALISED, ask("childcare", "21"), "covered_in_part", id="AS-2-childcare-21h"
        ),
        pytest.param(
            HOSPITALISED, ask("bedside_stay", "5", "300.00"), "covered", id="AS-2-bedside-5x60"
        ),
        pytest.param(
            HOSPITALISED,
            ask("bedside_stay", "3", "180.01"),
            "covered_in_part",
            id="AS-2-bedside-3-nights-above-60-each",
        ),
        pytest.param(
            HOSPITALISED, ask("bedside_stay", "6", "300.00"), "covered_in_part", id="AS-2-6-nights"
        ),
        pytest.param(
            HOSPITALISED, ask("pet_transfer", "2", "250.00"), "covered", id="AS-2-pets-250"
        ),
        pytest.param(
            HOSPITALISED,
            ask("pet_transfer", "2", "250.01"),
            "covered_in_part",
            id="AS-2-pets-250.01",
        ),
        pytest.param(
            HOSPITALISED, ask("pet_transfer", "3", "100.00"), "covered_in_part", id="AS-2-3-pets"
        ),
        pytest.param(HOSPITALISED, ask("hospital_transport", "5"), "covered", id="AS-2-5-trips"),
        pytest.param(
            HOSPITALISED, ask("hospital_transport", "6"), "covered_in_part", id="AS-2-6-trips"
        ),
        pytest.param(
            ABROAD, ask("relative_at_bedside", "6", "480.00"), "covered", id="AS-3-bedside-6x80"
        ),
        pytest.param(
            ABROAD,
            ask("relative_at_bedside", "7", "480.00"),
            "covered_in_part",
            id="AS-3-bedside-7-nights",
        ),
        pytest.param(
            ABROAD,
            ask("extended_stay", "5", "500.00", beneficiaries=2),
            "covered",
            id="AS-3-extended-stay-500",
        ),
        pytest.param(
            ABROAD,
            ask("extended_stay", "3", "150.01"),
            "covered_in_part",
            id="AS-3-extended-stay-above-50-a-day",
        ),
        pytest.param(
            ABROAD,
            ask("extended_stay", "11", "500.01"),
            "covered_in_part",
            id="AS-3-extended-stay-500.01",
        ),
        pytest.param(
            ABROAD, ask("medical_costs_abroad", "1", "7500.00"), "covered", id="AS-3-medical-7500"
        ),
        pytest.param(
            ABROAD,
            ask("medical_costs_abroad", "1", "7500.01"),
            "covered_in_part",
            id="AS-3-medical-7500.01",
        ),
        pytest.param(ABROAD, ask("dental_abroad", "1", "125.00"), "covered", id="AS-3-dental-125"),
        pytest.param(
            ABROAD, ask("dental_abroad", "1", "125.01"), "covered_in_part", id="AS-3-dental-125.01"
        ),
        pytest.param(ABROAD, ask("repatriation"), "covered", id="AS-3-repatriation"),
        pytest.param(DEAD, ask("coffin", "1", "800.00"), "covered", id="AS-5-coffin-800"),
        pytest.param(
            DEAD, ask("coffin", "1", "800.01"), "covered_in_part", id="AS-5-coffin-800.01"
        ),
        pytest.param(
            DEAD, ask("relative_ticket", "1", "1000.00"), "covered", id="AS-5-ticket-1000"
        ),
        pytest.param(
            DEAD,
            ask("relative_ticket", "1", "1000.01"),
            "covered_in_part",
            id="AS-5-ticket-1000.01",
        ),
        pytest.param(DEAD, ask("post_mortem_repatriation"), "covered", id="AS-5-repatriation"),
    ],
)
def test_assistance_limits_both_sides(
    facts: AssistanceFacts, request_: ServiceRequest, outcome: str
) -> None:
    decision = run(facts, request_)
    assert decision.outcome == outcome
    assert SERVICE_LIMITS[request_.service].rule in decision.rules


@pytest.mark.parametrize(
    ("hospitalised", "immobilised", "outcome"),
    [
        pytest.param(3, 0, "covered", id="AS-2-hospitalised-3-days"),
        pytest.param(2, 0, "rejected", id="AS-2-hospitalised-2-days"),
        pytest.param(0, 5, "covered", id="AS-2-immobilised-5-days"),
        pytest.param(2, 4, "rejected", id="AS-2-immobilised-4-days"),
    ],
)
def test_as2_home_services_after_hospital_over_2_or_home_over_4_days(
    hospitalised: int, immobilised: int, outcome: str
) -> None:
    facts = AssistanceFacts(
        country="BE", hospitalised_days=hospitalised, immobilised_days=immobilised
    )
    decision = run(facts, ask("home_help", "10"))
    assert decision.outcome == outcome


def test_as2_home_services_once_per_accident() -> None:
    """AS-2 "eenmaal" (issue 16): home help fully granted before for this accident."""
    used = PriorClaim("assistance", EVENT, granted=(GrantedService("home_help", Decimal(20)),))
    contract = replace(CONTRACT, prior_claims=(used,))
    decision = run(HOSPITALISED, ask("home_help", "4"), ask("information"), contract=contract)
    assert decision.outcome == "covered_in_part"
    assert "eenmaal" in decision.reason.nl


def test_as2_some_services_granted_others_not_is_covered_in_part() -> None:
    facts = AssistanceFacts(country="BE")
    decision = run(facts, ask("psychological_support", "3"), ask("home_help", "5"))
    assert decision.outcome == "covered_in_part"
    assert [lim.item for lim in decision.limits] == ["psychological_support"]


@pytest.mark.parametrize(
    ("departed", "outcome"),
    [
        pytest.param(date(2026, 4, 13), "covered", id="AS-3-accident-on-day-89-abroad"),
        pytest.param(date(2026, 4, 12), "rejected", id="AS-3-accident-on-day-90-abroad"),
    ],
)
def test_as3_abroad_for_stays_under_90_days(departed: date, outcome: str) -> None:
    """AS-3 "verblijf van minder dan 90 opeenvolgende dagen", read like PA-3 (issue 16,
    docs/rules.md AS-3): the days abroad up to the accident; the return is unknown here."""
    facts = replace(ABROAD, trip_departed_on=departed, trip_ends_on=None)
    assert (EVENT - departed).days + 1 == (89 if outcome == "covered" else 90)
    decision = run(facts, ask("repatriation"))
    assert decision.outcome == outcome
    assert "AS-3" in decision.rules


def test_as3_abroad_services_not_at_home() -> None:
    assert run(HOSPITALISED, ask("repatriation")).outcome == "rejected"


@pytest.mark.parametrize(
    ("days", "outcome"),
    [
        pytest.param(6, "covered", id="AS-3-relative-bedside-hospitalised-6-days"),
        pytest.param(5, "rejected", id="AS-3-relative-bedside-hospitalised-5-days"),
    ],
)
def test_as3_relative_at_bedside_after_more_than_5_days(days: int, outcome: str) -> None:
    facts = replace(ABROAD, hospitalised_days=days)
    assert run(facts, ask("relative_at_bedside", "2", "160.00")).outcome == outcome


def test_as3_deductible_50_on_medical_costs_abroad() -> None:
    """AS-3: the deductible is reported; the repatriation has no cap, so neither has the
    claim (issue 16: ``ceiling`` null); medical costs alone are capped at 7,500."""
    decision = run(ABROAD, ask("medical_costs_abroad", "1", "900.00"), ask("repatriation"))
    assert decision.deductible == Decimal("50.00")
    assert decision.ceiling is None
    assert run(ABROAD, ask("medical_costs_abroad", "1", "900.00")).ceiling == Decimal("7500.00")
    assert run(ABROAD, ask("repatriation")).deductible is None


@pytest.mark.parametrize(
    ("formula", "absence", "outcome"),
    [
        pytest.param("family", 15, "covered", id="AS-4-tutoring-family-absent-15-days"),
        pytest.param("family", 14, "rejected", id="AS-4-tutoring-absent-14-days"),
        pytest.param("single", 30, "rejected", id="AS-4-tutoring-single-formula"),
    ],
)
def test_as4_tutoring(formula: str, absence: int, outcome: str) -> None:
    facts = AssistanceFacts(country="BE", school_absence_days=absence)
    contract = replace(CONTRACT, formula=formula)  # type: ignore[arg-type]
    assert run(facts, ask("tutoring", "12"), contract=contract).outcome == outcome


@pytest.mark.parametrize(
    ("pct", "outcome"),
    [
        pytest.param("5", "covered", id="AS-4-reorientation-threshold-reached"),
        pytest.param("4.9", "rejected", id="AS-4-reorientation-below-threshold"),
    ],
)
def test_as4_reorientation_only_when_the_threshold_is_reached(pct: str, outcome: str) -> None:
    facts = AssistanceFacts(country="BE", disability_pct=Decimal(pct))
    assert run(facts, ask("reorientation", "3"), ask("moving_help")).outcome == outcome


def test_as4_information_granted_even_below_the_threshold() -> None:
    facts = AssistanceFacts(country="BE", disability_pct=Decimal(1))
    assert run(facts, ask("information")).outcome == "covered"


def test_as5_death_services_need_a_death_and_guardian_needs_children_alone() -> None:
    assert run(ABROAD, ask("coffin", "1", "500.00")).outcome == "rejected"
    assert run(DEAD, ask("guardian", "1", "125.00")).outcome == "rejected"
    alone = replace(DEAD, children_under_18_left_alone=True)
    assert run(alone, ask("guardian", "1", "125.00")).outcome == "covered"


@pytest.mark.parametrize(
    ("week", "country", "life_threatening", "outcome"),
    [
        pytest.param(26, "BE", False, "covered", id="AS-6-pregnancy-week-26"),
        pytest.param(27, "BE", False, "rejected", id="AS-6-pregnancy-week-27"),
        pytest.param(27, "MA", True, "covered", id="AS-6-pregnancy-life-threatening-abroad"),
        pytest.param(27, "BE", True, "rejected", id="AS-6-pregnancy-life-threatening-at-home"),
    ],
)
def test_as6_pregnancy_after_week_26(
    week: int, country: str, life_threatening: bool, outcome: str
) -> None:
    facts = replace(
        ABROAD, country=country, pregnancy_week=week, life_threatening_abroad=life_threatening
    )
    assert run(facts, ask("psychological_support", "2")).outcome == outcome


@pytest.mark.parametrize(
    ("days", "excluded"),
    [
        pytest.param(90, False, id="AS-6-trip-90-days-not-excluded"),
        pytest.param(91, True, id="AS-6-trip-91-days-excluded"),
    ],
)
def test_as6_trips_abroad_over_90_days(days: int, excluded: bool) -> None:
    facts = replace(ABROAD, trip_ends_on=date(2026, 7, 1) + timedelta(days=days - 1))
    decision = run(facts, ask("psychological_support", "2"))
    assert ("AS-6" in [f.rule for f in decision.findings]) is excluded
    assert decision.outcome == ("rejected" if excluded else "covered")


@pytest.mark.parametrize("code", ASSISTANCE_EXCLUSION_CODES)
def test_as6_cost_exclusions_limit_the_claim(code: str) -> None:
    facts = replace(HOSPITALISED, assistance_exclusions=frozenset({code}))  # type: ignore[arg-type]
    decision = run(facts, ask("home_help", "4"))
    assert decision.outcome == "covered_in_part"
    assert [f.rule for f in decision.findings] == ["AS-6"]


def test_as6_accident_exclusions_of_pa4_apply_to_assistance() -> None:
    facts = replace(HOSPITALISED, exclusions=frozenset({"work_or_commute"}))
    decision = run(facts, ask("home_help", "4"))
    assert decision.outcome == "rejected"
    assert [f.rule for f in decision.findings] == ["PA-4"]


@pytest.mark.parametrize(
    ("agreement", "force_majeure", "outcome"),
    [
        pytest.param(True, False, "covered", id="AS-1-prior-agreement"),
        pytest.param(False, False, "covered_in_part", id="AS-1-no-prior-agreement"),
        pytest.param(False, True, "covered", id="AS-1-force-majeure"),
    ],
)
def test_as1_costs_only_with_prior_agreement(
    agreement: bool, force_majeure: bool, outcome: str
) -> None:
    facts = replace(HOSPITALISED, prior_agreement=agreement, force_majeure=force_majeure)
    assert run(facts, ask("home_help", "4")).outcome == outcome


def test_as1_granted_even_below_the_threshold() -> None:
    facts = replace(HOSPITALISED, disability_pct=Decimal(0))
    assert run(facts, ask("home_help", "4")).outcome == "covered"


def test_pa3_assistance_needs_a_covered_accident_territory_included() -> None:
    facts = replace(ABROAD, trip_departed_on=date(2026, 3, 1), trip_ends_on=date(2026, 7, 31))
    decision = run(facts, ask("repatriation"))
    assert decision.outcome == "rejected"
    assert "PA-3" in [f.rule for f in decision.findings]
    assert decision.reason.nl.startswith("Geweigerd.")
    assert decision.reason.fr.startswith("Refusé.")
