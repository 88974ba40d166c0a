"""Belgian working days for EI-6 (issue 18 item 5): Monday to Friday minus the Belgian
public holidays, and the earliest day a change of the e-invoicing conditions may take
effect — 15 whole working days between publication and effect, neither day counted
(the reading favourable to the member; "15 werkdagen voor de wijzigingen van kracht
worden")."""

from datetime import date, timedelta

import pytest
from mylm_shared.kernel.working_days import (
    add_working_days,
    earliest_effective_on,
    is_announced_in_time,
    is_public_holiday,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # Whit Monday
        date(2026, 7, 21),
        date(2026, 11, 11),
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 3, 29),  # Easter Monday
        date(2027, 7, 21),
        date(2027, 11, 1),
    ],
)
def test_belgian_public_holidays_on_weekdays_are_no_working_days(day: date) -> None:
    """EI-6: "working days" are Mon–Fri minus Belgian public holidays (DOMAIN.md)."""
    assert day.weekday() < 5
    assert is_public_holiday(day)
    assert not is_working_day(day)


def test_weekends_are_no_working_days_and_ordinary_weekdays_are() -> None:
    """EI-6: Saturday and Sunday never count; Good Friday and 26 December are no public
    holidays in Belgium (bank holidays only), so they count."""
    assert not is_working_day(date(2026, 7, 25))  # Saturday
    assert not is_working_day(date(2026, 7, 26))  # Sunday
    assert is_working_day(date(2026, 7, 22))
    assert is_working_day(date(2026, 4, 3))  # Good Friday
    assert is_working_day(date(2025, 12, 26))  # Friday 26 December


def test_add_working_days_skips_weekends_and_holidays() -> None:
    """EI-6: the n-th working day after a day, the day itself not counted."""
    assert add_working_days(date(2026, 7, 24), 1) == date(2026, 7, 27)  # Fri -> Mon
    assert add_working_days(date(2026, 7, 20), 1) == date(2026, 7, 22)  # over 21 July
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)  # over Easter Monday
    assert add_working_days(date(2026, 7, 20), 0) == date(2026, 7, 20)
    with pytest.raises(ValueError, match="working days"):
        add_working_days(date(2026, 7, 20), -1)


@pytest.mark.parametrize(
    ("published_on", "earliest"),
    [
        # Easter Monday 6 April 2026: 31/3 … 21/4 are the 15 days, effect 22/4 at the earliest
        pytest.param(date(2026, 3, 30), date(2026, 4, 22), id="easter-monday-2026"),
        # Easter Monday 29 March 2027
        pytest.param(date(2027, 3, 12), date(2027, 4, 6), id="easter-monday-2027"),
        # 21 July 2026 (a Tuesday)
        pytest.param(date(2026, 7, 6), date(2026, 7, 29), id="21-july-2026"),
        # 21 July 2027 (a Wednesday)
        pytest.param(date(2027, 7, 7), date(2027, 7, 30), id="21-july-2027"),
        # Christmas (Fri 25/12/2026) and New Year (Fri 1/1/2027) both fall on weekdays
        pytest.param(date(2026, 12, 14), date(2027, 1, 7), id="christmas-new-year-2026-27"),
        # Christmas 2027 and New Year 2028 fall on Saturdays: they cost the member nothing
        pytest.param(date(2027, 12, 13), date(2028, 1, 4), id="christmas-new-year-2027-28"),
        # published on a Saturday: the count starts on Monday
        pytest.param(date(2026, 1, 3), date(2026, 1, 24), id="published-on-saturday"),
        # an ordinary span: Monday 5 January 2026 -> 6 … 26 January, effect 27 January
        pytest.param(date(2026, 1, 5), date(2026, 1, 27), id="ordinary-three-weeks"),
    ],
)
def test_ei6_earliest_effective_date_leaves_15_whole_working_days(
    published_on: date, earliest: date
) -> None:
    """EI-6: a change of the e-invoicing conditions takes effect at the earliest on the day
    after the 15th working day after publication — 15 working days lie strictly between
    the two days (neither the publication day nor the effective day counts)."""
    assert earliest_effective_on(published_on) == earliest
    assert working_days_between(published_on, earliest) == 15
    assert is_announced_in_time(published_on, earliest)
    day_before = earliest - timedelta(days=1)
    assert not is_announced_in_time(published_on, day_before)
    assert working_days_between(published_on, day_before) == 14


def test_ei6_the_member_favourable_reading_is_one_day_stricter_than_counting_the_15th() -> None:
    """EI-6: letting the 15th working day itself be the effective day (set aside) would
    give the member only 14 whole working days of notice."""
    published_on = date(2026, 7, 6)
    fifteenth = add_working_days(published_on, 15)
    assert fifteenth == date(2026, 7, 28)
    assert working_days_between(published_on, fifteenth) == 14
    assert not is_announced_in_time(published_on, fifteenth)
    assert earliest_effective_on(published_on) == fifteenth + timedelta(days=1)


def test_ei6_notice_must_be_positive() -> None:
    """EI-6: a notice of zero working days is no announcement."""
    with pytest.raises(ValueError, match="at least one"):
        earliest_effective_on(date(2026, 7, 6), 0)
