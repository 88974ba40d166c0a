"""Belgian working days (EI-6; issue 18 item 5).

DOMAIN.md: "Working days" are Belgian working days, Monday to Friday minus the Belgian
public holidays. The holidays come from the ``holidays`` library (country ``BE``, the
public category: New Year, Easter Monday, 1 May, Ascension, Whit Monday, 21 July,
15 August, 1 November, 11 November, Christmas — the ten legal holidays of the law of
4 January 1974; those falling on a weekend change nothing here, and no replacement day
is taken, as none is owed to a member).

EI-6, the Dutch sentence (terms, "Duur en opzegging"): "LM behoudt zich het recht voor om
deze specifieke voorwaarden te wijzigen. Het verbindt zich ertoe om dit 15 werkdagen voor
de wijzigingen van kracht worden via elk gepast middel aan het lid mee te delen."

Reading (the one favourable to the member, DOMAIN.md "Readings"): the member gets 15
*whole* working days of notice, strictly between the day the change is published and the
day it takes effect:

* the publication day does not count — the announcement may reach the member at any hour
  of it, and a period starts on the day after the act that opens it (art. 1.7 Civil Code,
  Book 1, as ``mylm_shared.kernel.periods`` counts);
* the effective day does not count either — on that day the new conditions already apply,
  so it is no longer a day "voor de wijzigingen van kracht worden".

Set aside: counting the publication day, or letting the 15th working day itself be the
effective day (each gives the member one working day less). So the earliest effective
date is the day after the 15th working day after publication
(``earliest_effective_on``); it may be a weekend or holiday — the notice is complete.

Pure: no I/O; the holiday table is computed, not fetched.
"""

from datetime import date, timedelta
from functools import cache

import holidays

ONE_DAY = timedelta(days=1)
TERMS_NOTICE_WORKING_DAYS = 15  # rule EI-6
SATURDAY = 5


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def is_public_holiday(day: date) -> bool:
    """A Belgian public holiday (``holidays``, country BE)."""
    return day in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Belgian public holiday."""
    return day.weekday() < SATURDAY and not is_public_holiday(day)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``day`` itself never counts; ``n == 0``
    gives ``day``). Friday 24 July 2026 + 1 = Monday 27 July; Monday 20 July + 1 =
    Wednesday 22 July (21 July is the National Day)."""
    if n < 0:
        raise ValueError("n must be zero or more working days")
    current = day
    counted = 0
    while counted < n:
        current += ONE_DAY
        if is_working_day(current):
            counted += 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days lie strictly between ``start`` and ``end`` (both excluded);
    0 when ``end`` is not after the day after ``start``."""
    count = 0
    current = start + ONE_DAY
    while current < end:
        if is_working_day(current):
            count += 1
        current += ONE_DAY
    return count


def earliest_effective_on(published_on: date, notice: int = TERMS_NOTICE_WORKING_DAYS) -> date:
    """EI-6: the first day a change of the e-invoicing conditions published on
    ``published_on`` may take effect: ``notice`` whole working days must lie between the
    two days (the module docstring gives the reading). Published Monday 5 January 2026:
    15 working days run from 6 to 26 January, so 27 January at the earliest."""
    if notice < 1:
        raise ValueError("the notice is at least one working day")
    return add_working_days(published_on, notice) + ONE_DAY


def is_announced_in_time(
    published_on: date, effective_on: date, notice: int = TERMS_NOTICE_WORKING_DAYS
) -> bool:
    """EI-6: ``effective_on`` leaves the member ``notice`` whole working days after
    ``published_on``."""
    return effective_on >= earliest_effective_on(published_on, notice)
