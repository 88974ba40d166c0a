"""Month arithmetic behind every legal date (PC-5, PC-9..PC-11)."""

from datetime import date

import pytest
from policy.domain.dates import add_months, add_years


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),  # common year: clamp to 28
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year: clamp to 29
        (date(2027, 1, 30), 1, date(2027, 2, 28)),
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 1, 15), 1, date(2027, 2, 15)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),  # year boundary
        (date(2027, 5, 31), -3, date(2027, 2, 28)),
        (date(2028, 5, 31), -3, date(2028, 2, 29)),
        (date(2027, 1, 1), -3, date(2026, 10, 1)),
        (date(2027, 12, 31), -3, date(2027, 9, 30)),
        (date(2027, 2, 28), 12, date(2028, 2, 28)),
    ],
)
def test_pc11_add_months_keeps_the_day_and_clamps_to_month_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_pc5_add_years_from_29_february_clamps_in_common_years_only() -> None:
    start = date(2024, 2, 29)
    assert [add_years(start, n) for n in range(1, 5)] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]
