"""One period arithmetic for identity, policy and claims, checked against art. 1.7 of the
Civil Code Book 1 (issue 16 item 4): months "van de zoveelste tot de dag vóór de
zoveelste", starting the day after the event, ending on the month's last day when the
numbered day does not exist; 29 February birthdays."""

from datetime import date

import pytest
from mylm_shared.kernel.periods import (
    add_months,
    age_on,
    birthday,
    period_last_day,
    term_end,
    within_months_after,
)


@pytest.mark.parametrize(
    ("first", "months", "last"),
    [
        pytest.param(date(2026, 1, 1), 3, date(2026, 3, 31), id="1-jan-3-months-31-mar"),
        pytest.param(date(2026, 1, 15), 1, date(2026, 2, 14), id="mid-month"),
        pytest.param(date(2026, 1, 31), 3, date(2026, 4, 30), id="31-jan-no-31-apr-last-day"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="31-jan-common-feb"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31-jan-leap-feb"),
        pytest.param(date(2026, 1, 30), 1, date(2026, 2, 28), id="30-jan-no-30-feb"),
        pytest.param(date(2026, 1, 29), 1, date(2026, 2, 28), id="29-jan-common"),
        pytest.param(date(2028, 1, 29), 1, date(2028, 2, 28), id="29-jan-leap-eve-of-29-feb"),
        pytest.param(date(2026, 3, 1), 1, date(2026, 3, 31), id="1-mar-whole-month"),
        pytest.param(date(2025, 11, 30), 3, date(2026, 2, 28), id="30-nov-over-year-end"),
        pytest.param(date(2026, 12, 1), 3, date(2027, 2, 28), id="dec-over-year-end"),
    ],
)
def test_period_last_day_art_1_7(first: date, months: int, last: date) -> None:
    """Art. 1.7 BW Book 1: "van de zoveelste tot de dag vóór de zoveelste"; no such day in
    the last month -> its last day (issue 16 item 4; PA-3 "3 opeenvolgende maanden")."""
    assert period_last_day(first, months) == last


@pytest.mark.parametrize(
    ("origin", "months", "end"),
    [
        pytest.param(date(2026, 1, 15), 1, date(2026, 2, 15), id="15-jan-to-15-feb"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="31-jan-to-28-feb"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31-jan-leap-29-feb"),
        pytest.param(date(2026, 2, 28), 1, date(2026, 3, 31), id="28-feb-month-end-to-31-mar"),
        pytest.param(date(2026, 4, 30), 1, date(2026, 5, 31), id="30-apr-to-31-may"),
        pytest.param(date(2026, 3, 31), 1, date(2026, 4, 30), id="31-mar-to-30-apr"),
        pytest.param(date(2026, 10, 31), 4, date(2027, 2, 28), id="4-months-over-year-end"),
    ],
)
def test_term_end_starts_the_day_after(origin: date, months: int, end: date) -> None:
    """Art. 1.7: a term "na" an event starts the next day (issue 16 item 4; AS-2
    "binnen de maand na het gebeuren van het ongeval", PA-8)."""
    assert term_end(origin, months) == end


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        pytest.param(date(2026, 1, 31), True, id="accident-day-inside"),
        pytest.param(date(2026, 2, 28), True, id="last-day-inside"),
        pytest.param(date(2026, 3, 1), False, id="day-after-outside"),
        pytest.param(date(2026, 1, 30), False, id="before-accident-outside"),
    ],
)
def test_binnen_de_maand_boundary(day: date, inside: bool) -> None:
    """ "binnen de maand na" 31 January 2026: up to 28 February inclusive (issue 16)."""
    assert within_months_after(date(2026, 1, 31), day, 1) is inside


@pytest.mark.parametrize(
    ("born", "age", "on"),
    [
        pytest.param(date(2008, 2, 29), 18, date(2026, 3, 1), id="29-feb-common-year-1-mar"),
        pytest.param(date(2008, 2, 29), 24, date(2032, 2, 29), id="29-feb-leap-year-29-feb"),
        pytest.param(date(2008, 5, 10), 18, date(2026, 5, 10), id="ordinary-birthday"),
        pytest.param(date(2008, 2, 28), 18, date(2026, 2, 28), id="28-feb"),
        pytest.param(date(2008, 3, 1), 18, date(2026, 3, 1), id="1-mar"),
    ],
)
def test_birthday(born: date, age: int, on: date) -> None:
    """AC-6 / PC-2 / PC-3: one birthday for identity and policy; born 29 February, 18 on
    1 March in a common year (art. 1.7: the years end on 28 February) (issue 16)."""
    assert birthday(born, age) == on
    assert age_on(born, on) == age
    assert age_on(born, on.fromordinal(on.toordinal() - 1)) == age - 1


def test_add_months_clamps_for_anniversaries() -> None:
    """Due dates are anniversaries stepped from the origin (29 February -> 28 February)."""
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2028, 2, 29), 48) == date(2032, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
