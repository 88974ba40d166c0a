"""Private-life accident cover (PA-1..PA-6, PA-9, PA-10)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from claims.domain.accident import medical_expertise_share
from claims.domain.contract import Contract
from claims.domain.decision import Decision
from claims.domain.engine import decide
from claims.domain.exclusions import ACCIDENT_EXCLUSION_CODES, ACCIDENT_EXCLUSIONS
from claims.domain.facts import AccidentFacts, Claim

CONTRACT = Contract(
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    first_premium_paid=True,
    threshold_pct=5,
    e_protection=False,
)
EVENT = date(2026, 7, 10)
BASE = AccidentFacts(country="BE", disability_pct=Decimal(10))


def run(facts: AccidentFacts, contract: Contract = CONTRACT) -> Decision:
    return decide(contract, Claim(EVENT, EVENT, facts))


def rules_of(decision: Decision, effect: str) -> list[str]:
    return [f.rule for f in decision.findings if f.effect == effect]


@pytest.mark.parametrize(
    ("pct", "aesthetic", "outcome", "rule"),
    [
        pytest.param("5", None, "covered", None, id="PA-1-disability-equal-to-threshold"),
        pytest.param("4.99", None, "rejected", "PA-1", id="PA-1-disability-below-threshold"),
        pytest.param("4.99", 3, "covered_in_part", "PA-6", id="PA-6-aesthetic-3-of-7-below"),
        pytest.param("4.99", 2, "rejected", "PA-1", id="PA-6-aesthetic-2-of-7-below"),
        pytest.param("0", 7, "covered_in_part", "PA-6", id="PA-6-aesthetic-7-no-disability"),
    ],
)
def test_pa1_threshold_and_pa6_aesthetic_damage(
    pct: str, aesthetic: int | None, outcome: str, rule: str | None
) -> None:
    decision = run(replace(BASE, disability_pct=Decimal(pct), aesthetic_damage=aesthetic))
    assert decision.outcome == outcome
    assert "PA-1" in decision.rules
    if rule:
        assert [f.rule for f in decision.findings] == [rule]


def test_pa1_before_consolidation_covered_and_flagged() -> None:
    decision = run(replace(BASE, disability_pct=None))
    assert decision.outcome == "covered"
    assert rules_of(decision, "flag") == ["PA-1"]
    assert "consolidatie" in decision.reason.nl


@pytest.mark.parametrize(
    ("solely", "outcome"),
    [
        pytest.param(True, "covered", id="PA-1-death-exclusive-consequence"),
        pytest.param(False, "rejected", id="PA-1-death-not-exclusive-consequence"),
    ],
)
def test_pa1_death(solely: bool, outcome: str) -> None:
    facts = replace(BASE, disability_pct=None, died=True, death_solely_from_accident=solely)
    assert run(facts).outcome == outcome


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        pytest.param({}, "rejected", id="PA-2-motor-traffic-no-exception"),
        pytest.param(
            {
                "motor_exception": "rented_four_wheeler",
                "rental_starts_on": date(2026, 6, 1),
                "rental_ends_on": date(2026, 8, 30),
            },
            "covered",
            id="PA-2-rental-less-than-3-months",
        ),
        pytest.param(
            {
                "motor_exception": "rented_four_wheeler",
                "rental_starts_on": date(2026, 6, 1),
                "rental_ends_on": date(2026, 8, 31),
            },
            "rejected",
            id="PA-2-rental-exactly-3-months",
        ),
        pytest.param(
            {"motor_exception": "child_motor_vehicle", "driver_age": 11},
            "covered",
            id="PA-2-child-aged-11",
        ),
        pytest.param(
            {"motor_exception": "child_motor_vehicle", "driver_age": 12},
            "rejected",
            id="PA-2-child-aged-12",
        ),
        pytest.param(
            {"motor_exception": "garden_or_wheelchair"}, "covered", id="PA-2-garden-or-wheelchair"
        ),
    ],
)
def test_pa2_motor_traffic_exclusion_and_its_exceptions(
    fields: dict[str, object], outcome: str
) -> None:
    decision = run(replace(BASE, motor_vehicle_traffic=True, **fields))  # type: ignore[arg-type]
    assert decision.outcome == outcome
    assert "PA-2" in decision.rules


@pytest.mark.parametrize(
    ("country", "departed", "last_day", "outcome"),
    [
        pytest.param("ES", None, None, "covered", id="PA-3-eu-member-state"),
        pytest.param(
            "US",
            date(2026, 4, 11),
            date(2026, 7, 20),
            "covered",
            id="PA-3-event-on-last-day-of-3-months",
        ),
        pytest.param(
            "US",
            date(2026, 4, 10),
            date(2026, 7, 20),
            "rejected",
            id="PA-3-event-3-months-and-1-day",
        ),
        pytest.param(
            "US", date(2026, 4, 11), None, "covered", id="PA-3-unknown-return-within-3-months"
        ),
        pytest.param(
            "US", date(2026, 6, 22), None, "covered", id="PA-3-unknown-return-day-19-of-trip"
        ),
        pytest.param(
            "US", date(2026, 4, 10), None, "rejected", id="PA-3-unknown-return-beyond-3-months"
        ),
        pytest.param(
            "US",
            date(2026, 4, 11),
            date(2026, 12, 31),
            "covered",
            id="PA-3-long-trip-event-in-month-3",
        ),
        pytest.param(
            "CH", date(2026, 7, 11), date(2026, 7, 20), "rejected", id="PA-3-event-before-trip"
        ),
        pytest.param(
            "CH", date(2026, 7, 1), date(2026, 7, 9), "rejected", id="PA-3-event-after-return"
        ),
    ],
)
def test_pa3_territory_eu_or_worldwide_during_the_first_3_months_abroad(
    country: str, departed: date | None, last_day: date | None, outcome: str
) -> None:
    """PA-3 (issue 16): "wanneer een opeenvolgende periode van drie maanden niet wordt
    overschreden", read in the insured's favour (docs/rules.md PA-3): the stay up to the
    accident must not exceed three months (art. 1.7); an unknown return is no refusal."""
    facts = replace(BASE, country=country, trip_departed_on=departed, trip_ends_on=last_day)
    decision = run(facts)
    assert decision.outcome == outcome
    assert "PA-3" in decision.rules


def test_pa3_unknown_departure_is_covered_and_flagged_for_staff() -> None:
    """PA-3 (issue 16): without any trip date nothing can be counted: no refusal, a flag."""
    decision = run(replace(BASE, country="US"))
    assert decision.outcome == "covered"
    assert [(f.rule, f.effect) for f in decision.findings] == [("PA-3", "flag")]


@pytest.mark.parametrize(
    ("event", "outcome"),
    [
        pytest.param(date(2026, 4, 30), "covered", id="PA-3-31-jan-plus-3-months-ends-30-apr"),
        pytest.param(date(2026, 5, 1), "rejected", id="PA-3-1-may-beyond"),
    ],
)
def test_pa3_three_months_at_a_month_end(event: date, outcome: str) -> None:
    """PA-3 / issue 16 item 4: from 31 January, three months end on 30 April (art. 1.7: no
    31 April, the month's last day)."""
    facts = replace(BASE, country="US", trip_departed_on=date(2026, 1, 31))
    assert decide(CONTRACT, Claim(event, event, facts)).outcome == outcome


@pytest.mark.parametrize("code", ACCIDENT_EXCLUSION_CODES)
def test_pa4_every_exclusion_code(code: str) -> None:
    decision = run(replace(BASE, exclusions=frozenset({code})))  # type: ignore[arg-type]
    expected = "rejected" if ACCIDENT_EXCLUSIONS[code].effect == "whole" else "covered_in_part"  # type: ignore[index]
    assert decision.outcome == expected
    assert [f.rule for f in decision.findings] == ["PA-4"]
    assert ACCIDENT_EXCLUSIONS[code].source in decision.reason.nl  # type: ignore[index]


def test_pa4_part_exclusions_are_caused_by_beneficiary_and_fines() -> None:
    part = {c for c, e in ACCIDENT_EXCLUSIONS.items() if e.effect == "part"}
    assert part == {"caused_by_beneficiary", "fines_and_penal_costs"}


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        pytest.param({"claimed_amount": Decimal("1000000.00")}, "covered", id="PA-5-1000000.00"),
        pytest.param(
            {"claimed_amount": Decimal("1000000.01")}, "covered_in_part", id="PA-5-1000000.01"
        ),
        pytest.param(
            {"died": True, "funeral_costs": Decimal("5000.00")},
            "covered",
            id="PA-5-funeral-5000.00",
        ),
        pytest.param(
            {"died": True, "funeral_costs": Decimal("5000.01")},
            "covered_in_part",
            id="PA-5-funeral-5000.01",
        ),
    ],
)
def test_pa5_caps_per_accident_and_funeral(fields: dict[str, object], outcome: str) -> None:
    decision = run(replace(BASE, **fields))  # type: ignore[arg-type]
    assert decision.outcome == outcome
    assert decision.ceiling == Decimal("1000000.00")
    assert any(lim.item == "per_accident_per_victim" for lim in decision.limits)
    if fields.get("died"):
        funeral = [lim for lim in decision.limits if lim.item == "funeral_costs"]
        assert funeral[0].amount == Decimal("5000.00")


@pytest.mark.parametrize(
    ("formula", "outcome"),
    [
        pytest.param("family", "covered", id="PA-5-relatives-damage-family"),
        pytest.param("single", "covered_in_part", id="PA-5-relatives-damage-single"),
    ],
)
def test_pa5_relatives_income_loss_and_moral_damage_family_only(formula: str, outcome: str) -> None:
    facts = replace(BASE, died=True, relatives_damage_claimed=True)
    assert run(facts, replace(CONTRACT, formula=formula)).outcome == outcome  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "field",
    [
        pytest.param("pre_consolidation_costs_claimed", id="PA-6-costs-before-consolidation"),
        pytest.param("pre_existing_condition", id="PA-6-pre-existing-condition"),
    ],
)
def test_pa6_only_permanent_damage_due_to_the_accident(field: str) -> None:
    decision = run(replace(BASE, **{field: True}))  # type: ignore[arg-type]
    assert decision.outcome == "covered_in_part"
    assert rules_of(decision, "limit") == ["PA-6"]


def test_pa9_benefits_already_received_are_deducted() -> None:
    assert run(BASE).outcome == "covered"
    decision = run(replace(BASE, benefits_received=Decimal("0.01")))
    assert decision.outcome == "covered_in_part"
    assert rules_of(decision, "limit") == ["PA-9"]


def test_pa10_each_party_pays_its_doctor_and_half_the_third() -> None:
    assert medical_expertise_share(Decimal("600.00"), Decimal("900.00")) == Decimal("1050.00")
