"""Contract terms, annual due dates and renewal objections (PC-4, PC-5)."""

from datetime import date, timedelta

import pytest
from policy.domain.terms import (
    contract_ends_on,
    due_date,
    next_due_date,
    objection_deadline,
    term,
    term_on,
)

START = date(2026, 1, 1)


def test_pc5_one_year_terms_run_from_due_date_to_due_date() -> None:
    first = term(START, 1)
    assert (first.starts_on, first.expires_on) == (date(2026, 1, 1), date(2027, 1, 1))
    assert date(2026, 12, 31) in first
    assert date(2027, 1, 1) not in first  # the due date opens the next term
    assert term_on(START, date(2027, 1, 1)).number == 2
    assert term_on(START, date(2026, 12, 31)).number == 1


def test_pc5_term_on_before_start_is_refused() -> None:
    with pytest.raises(ValueError):
        term_on(START, date(2025, 12, 31))


def test_pc5_29_february_start_falls_due_on_28_february_and_29_in_leap_years() -> None:
    start = date(2024, 2, 29)
    assert due_date(start, 1) == date(2025, 2, 28)
    assert due_date(start, 4) == date(2028, 2, 29)
    assert term_on(start, date(2028, 2, 28)) == term(start, 4)
    assert term(start, 4).starts_on == date(2027, 2, 28)
    assert term_on(start, date(2028, 2, 29)).number == 5
    assert next_due_date(start, date(2027, 3, 1)) == date(2028, 2, 29)


def test_pc5_next_due_date_is_strictly_after_the_day() -> None:
    assert next_due_date(START, date(2026, 12, 31)) == date(2027, 1, 1)
    assert next_due_date(START, date(2027, 1, 1)) == date(2028, 1, 1)
    assert next_due_date(START, date(2025, 6, 1)) == date(2027, 1, 1)  # before start


def test_pc5_due_dates_are_numbered_from_one() -> None:
    with pytest.raises(ValueError):
        due_date(START, 0)


@pytest.mark.parametrize(
    ("expiry", "deadline"),
    [
        (date(2027, 1, 1), date(2026, 10, 1)),
        (date(2027, 5, 31), date(2027, 2, 28)),
        (date(2028, 5, 31), date(2028, 2, 29)),
        (date(2027, 12, 31), date(2027, 9, 30)),
        (date(2028, 2, 29), date(2027, 11, 29)),
    ],
)
def test_pc5_objection_deadline_is_three_months_before_expiry_clamped(
    expiry: date, deadline: date
) -> None:
    assert objection_deadline(expiry) == deadline


def test_pc5_objection_posted_exactly_3_months_before_expiry_ends_at_coming_expiry() -> None:
    assert contract_ends_on(START, date(2026, 10, 1)) == date(2027, 1, 1)


def test_pc5_objection_posted_3_months_minus_one_day_before_expiry_is_late() -> None:
    # 2 October is less than three months before 1 January: the contract renews once more.
    assert contract_ends_on(START, date(2026, 10, 2)) == date(2028, 1, 1)


def test_pc5_objection_posted_3_months_plus_one_day_before_expiry_is_in_time() -> None:
    assert contract_ends_on(START, date(2026, 9, 30)) == date(2027, 1, 1)


def test_pc5_objection_posted_on_the_due_date_targets_the_following_one() -> None:
    # On 1 January 2027 the contract has renewed; the coming expiry is 1 January 2028.
    assert contract_ends_on(START, date(2027, 1, 1)) == date(2028, 1, 1)


@pytest.mark.parametrize(
    ("start", "posted_on", "ends_on"),
    [
        # expiry 31 May 2027 (common year): deadline 28 February
        (date(2026, 5, 31), date(2027, 2, 28), date(2027, 5, 31)),
        (date(2026, 5, 31), date(2027, 3, 1), date(2028, 5, 31)),
        (date(2026, 5, 31), date(2027, 2, 27), date(2027, 5, 31)),
        # expiry 31 May 2028 (leap year): deadline 29 February
        (date(2027, 5, 31), date(2028, 2, 29), date(2028, 5, 31)),
        (date(2027, 5, 31), date(2028, 3, 1), date(2029, 5, 31)),
        (date(2027, 5, 31), date(2028, 2, 28), date(2028, 5, 31)),
    ],
)
def test_pc5_objection_for_31_may_expiry_clamps_to_end_of_february(
    start: date, posted_on: date, ends_on: date
) -> None:
    assert contract_ends_on(start, posted_on) == ends_on


def test_pc5_objection_on_29_february_start_regains_29_february_after_a_late_objection() -> None:
    start = date(2024, 2, 29)
    # coming expiry 28 Feb 2027, deadline 28 Nov 2026; one day late -> 29 Feb 2028.
    assert contract_ends_on(start, date(2026, 11, 28)) == date(2027, 2, 28)
    assert contract_ends_on(start, date(2026, 11, 29)) == date(2028, 2, 29)
    # coming expiry 29 Feb 2028, deadline 29 Nov 2027.
    assert contract_ends_on(start, date(2027, 11, 29)) == date(2028, 2, 29)
    assert contract_ends_on(start, date(2027, 11, 30)) == date(2029, 2, 28)


@pytest.mark.parametrize("start", [date(2024, 2, 29), date(2026, 1, 31), date(2026, 5, 31)])
def test_pc5_every_day_falls_in_exactly_one_term_and_terms_chain(start: date) -> None:
    day = start
    while day < date(2033, 1, 1):
        current = term_on(start, day)
        assert day in current
        assert current.starts_on == (
            start if current.number == 1 else due_date(start, current.number - 1)
        )
        ends = contract_ends_on(start, day)
        assert ends in (current.expires_on, term(start, current.number + 1).expires_on)
        assert (ends == current.expires_on) == (day <= objection_deadline(current.expires_on))
        day += timedelta(days=1)
