"""Insured persons on any date (PC-2 single, PC-3 family)."""

from datetime import date

import pytest
from policy.domain.insured import (
    HouseholdPerson,
    InsuredAnswer,
    Policyholder,
    Timeline,
    always,
    insured_on,
)

HOLDER = Policyholder("p-0", "Ann", date(1990, 4, 2))
SIGNED = date(2025, 12, 1)


def child(birth: date, lives_in: Timeline[bool], **facts: Timeline[bool]) -> HouseholdPerson:
    return HouseholdPerson("c-1", "Kid", birth, "child", lives_in, **facts)


def family(day: date, *household: HouseholdPerson) -> list[InsuredAnswer]:
    return insured_on(day, "family", SIGNED, HOLDER, household)


def answer_for(day: date, person: HouseholdPerson) -> InsuredAnswer:
    return family(day, person)[1]


# --- PC-2 single ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed_on", "insured"),
    [
        pytest.param(date(2026, 3, 14), False, id="PC-2-day-before-18th-birthday"),
        pytest.param(date(2026, 3, 15), True, id="PC-2-on-18th-birthday"),
        pytest.param(date(2026, 3, 16), True, id="PC-2-day-after"),
    ],
)
def test_pc2_single_policyholder_must_be_18_or_over_at_signing(
    signed_on: date, insured: bool
) -> None:
    """PC-2 "ouder dan 18 jaar", read as the My LM terms use it (AC-4: 18 or more), the
    reading favourable to the insured (issue 16, docs/rules.md): signing on the 18th
    birthday is enough. Born 15 March 2008: 18 on 15 March 2026."""
    young = Policyholder("p-1", "Bo", date(2008, 3, 15))
    (holder,) = insured_on(date(2026, 6, 1), "single", signed_on, young)
    assert (holder.insured, holder.rule) == (insured, "PC-2")


def test_pc2_single_policyholder_born_29_february_is_18_on_1_march() -> None:
    """PC-2 / issue 16: the 18th birthday of a 29 February birth in a common year is
    1 March (mylm_shared.kernel.periods.birthday, the same day identity-svc uses for AC-6)."""
    leapling = Policyholder("p-1", "Lea", date(2008, 2, 29))
    assert not insured_on(date(2026, 6, 1), "single", date(2026, 2, 28), leapling)[0].insured
    assert insured_on(date(2026, 6, 1), "single", date(2026, 3, 1), leapling)[0].insured


def test_pc2_single_insures_the_policyholder_only() -> None:
    partner = HouseholdPerson("q-1", "Bert", date(1989, 1, 1), "partner", always(True))
    kid = child(date(2020, 1, 1), always(True))
    answers = insured_on(date(2026, 6, 1), "single", SIGNED, HOLDER, [partner, kid])
    assert [(a.person_id, a.insured, a.rule) for a in answers] == [
        ("p-0", True, "PC-2"),
        ("q-1", False, "PC-2"),
        ("c-1", False, "PC-2"),
    ]


def test_pc2_single_policyholder_not_insured_once_living_abroad() -> None:
    moving = Policyholder(
        "p-0", "Ann", date(1990, 4, 2), always(True).then(date(2027, 2, 28), False)
    )
    assert insured_on(date(2027, 2, 27), "single", SIGNED, moving)[0].insured
    gone = insured_on(date(2027, 2, 28), "single", SIGNED, moving)[0]
    assert (gone.insured, gone.rule) == (False, "PC-2")


# --- PC-3 family ---------------------------------------------------------------------


def test_pc3_family_policyholder_is_insured_without_the_single_age_condition() -> None:
    young = Policyholder("p-1", "Bo", date(2008, 3, 15))
    (holder,) = insured_on(date(2026, 6, 1), "family", date(2026, 3, 15), young)
    assert (holder.insured, holder.rule, holder.reason) == (True, "PC-3", "policyholder")


def test_pc3_partner_insured_only_while_cohabiting() -> None:
    lives_in = always(False).then(date(2026, 6, 1), True).then(date(2027, 3, 1), False)
    partner = HouseholdPerson("q-1", "Bert", date(1989, 1, 1), "partner", lives_in)
    assert not answer_for(date(2026, 5, 31), partner).insured
    moved_in = answer_for(date(2026, 6, 1), partner)
    assert (moved_in.insured, moved_in.reason) == (True, "cohabiting spouse or partner")
    assert answer_for(date(2027, 2, 28), partner).insured
    assert not answer_for(date(2027, 3, 1), partner).insured


def test_pc3_child_living_in_is_insured_at_any_age_and_marital_status() -> None:
    adult = child(date(1996, 1, 1), always(True), married=always(True))
    got = answer_for(date(2026, 6, 1), adult)
    assert (got.insured, got.rule, got.reason) == (
        True,
        "PC-3",
        "child living with the policyholder",
    )


def test_pc3_minor_child_living_elsewhere_insured_until_the_18th_birthday() -> None:
    # Born 10 July 2009: 18 on 10 July 2027; not studying.
    kid = child(date(2009, 7, 10), always(False), married=always(True))
    assert answer_for(date(2027, 7, 9), kid).insured  # married minors stay insured
    turned = answer_for(date(2027, 7, 10), kid)
    assert (turned.insured, turned.reason) == (False, "married adult child living elsewhere")


def test_pc3_minor_child_born_29_february_turns_18_on_1_march() -> None:
    """PC-3 / issue 16: minor until the 18th birthday, 1 March in a common year."""
    kid = child(date(2008, 2, 29), always(False))
    assert answer_for(date(2026, 2, 28), kid).insured
    assert not answer_for(date(2026, 3, 1), kid).insured


def test_pc3_student_living_elsewhere_insured_until_the_26th_birthday() -> None:
    student = child(date(2001, 5, 20), always(False), studying=always(True))
    before = answer_for(date(2027, 5, 19), student)
    assert (before.insured, before.rule) == (True, "PC-3")
    assert "student" in before.reason
    after = answer_for(date(2027, 5, 20), student)
    assert (after.insured, after.rule) == (False, "PC-3")
    assert "26" in after.reason


def test_pc3_student_born_29_february_turns_26_on_1_march() -> None:
    """PC-3 / issue 16: 2030 is a common year, the 26th birthday is 1 March (art. 1.7)."""
    student = child(date(2004, 2, 29), always(False), studying=always(True))
    assert answer_for(date(2030, 2, 28), student).insured
    assert not answer_for(date(2030, 3, 1), student).insured


def test_pc3_student_living_elsewhere_loses_cover_on_marriage() -> None:
    student = child(
        date(2004, 1, 1),
        always(False),
        studying=always(True),
        married=always(False).then(date(2026, 9, 12), True),
    )
    assert answer_for(date(2026, 9, 11), student).insured
    assert not answer_for(date(2026, 9, 12), student).insured


def test_pc3_adult_child_leaving_the_household_insured_again_while_studying() -> None:
    kid = child(
        date(2006, 1, 1),
        always(True).then(date(2026, 9, 1), False),
        studying=always(False).then(date(2026, 10, 1), True),
    )
    assert answer_for(date(2026, 8, 31), kid).insured
    left = answer_for(date(2026, 9, 1), kid)
    assert (left.insured, left.reason) == (False, "adult child living elsewhere, not studying")
    assert answer_for(date(2026, 10, 1), kid).insured


def test_pc3_child_living_in_turning_26_stays_insured() -> None:
    kid = child(date(2001, 5, 20), always(True))
    assert answer_for(date(2027, 5, 20), kid).insured


def test_pc3_child_not_born_yet_is_not_insured() -> None:
    baby = child(date(2027, 4, 2), always(True))
    assert not answer_for(date(2027, 4, 1), baby).insured
    assert answer_for(date(2027, 4, 2), baby).insured


def test_pc3_person_not_residing_in_belgium_is_not_insured() -> None:
    abroad = child(
        date(2015, 1, 1),
        always(False),
        resides_in_belgium=always(True).then(date(2026, 9, 1), False),
    )
    assert answer_for(date(2026, 8, 31), abroad).insured
    assert not answer_for(date(2026, 9, 1), abroad).insured


def test_pc3_answers_list_the_policyholder_first_then_the_household_in_order() -> None:
    partner = HouseholdPerson("q-1", "Bert", date(1989, 1, 1), "partner", always(True))
    kid = child(date(2020, 1, 1), always(True))
    assert [a.person_id for a in family(date(2026, 6, 1), partner, kid)] == [
        "p-0",
        "q-1",
        "c-1",
    ]


def test_pc3_timeline_changes_must_be_in_date_order() -> None:
    with pytest.raises(ValueError):
        Timeline(False, ((date(2027, 1, 1), True), (date(2026, 1, 1), False)))
    with pytest.raises(ValueError):
        Timeline(False, ((date(2027, 1, 1), True), (date(2027, 1, 1), False)))
