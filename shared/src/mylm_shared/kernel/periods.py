"""Calendar periods, one arithmetic for identity, policy and claims (issue 16 item 4).

The member terms and the policy conditions count in calendar days ("8 dagen", "30 dagen",
"1 maand", "3 maanden"), weekends and public holidays included: they give no working-day
rule. Periods in months and years follow art. 1.7 of the Civil Code, Book 1 (Belgium): a
period runs from midnight to midnight, starts on the day after the act or event that opens
it, is counted "van de zoveelste tot de dag vóór de zoveelste", and ends on the last day of
the last month when that month has no day with the number the period started on.

* ``period_last_day(first, months)``: the last day of a period whose first day is
  ``first`` (a trip that starts on 1 January; 3 months end on 31 March; from 31 January
  they end on 30 April, since 31 April does not exist).
* ``term_end(origin, months)``: the last day of a period of ``months`` "na" (after) an
  event on ``origin``: it starts on the day after, so ``period_last_day(origin + 1 day)``
  (an accident on 15 January: "binnen de maand" ends on 15 February; on 31 January: on
  28/29 February; on 28 February 2026: on 31 March).
* ``birthday(birth_date, age)``: the day a person reaches ``age``. Age counts the birth day
  as the first day, so the ``age`` years end on the eve of the anniversary and the person
  has that age from the anniversary on; born on 29 February, the years end on 28 February
  in a common year (the month has no 29th: its last day) and the birthday is 1 March.
* ``belgian_date`` / ``belgian_today``: the day in Europe/Brussels, the only "today".
* ``add_months`` / ``add_years``: a date moved by whole months, the day of the month kept
  and clamped to the month's end (31 January + 1 month = 28/29 February). Used for
  anniversaries and due dates ("hoofdvervaldag": the start date's anniversary; a contract
  starting on 29 February falls due on 28 February in common years, stepped from its
  origin, never chained) and for the waiting period counted "vanaf" a start date that is
  itself covered (LA-2). Periods "binnen ... na" an event use ``term_end``.
"""

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)
BRUSSELS = ZoneInfo("Europe/Brussels")


def belgian_date(at: datetime) -> date:
    """The calendar day in Belgium at ``at``: a legal date passes at midnight in Brussels
    (a birthday, a declaration's day of receipt, the start of a period)."""
    return at.astimezone(BRUSSELS).date()


def belgian_today() -> date:
    """Today in Belgium. Servers run in UTC: between 22:00/23:00 and midnight UTC this is
    already tomorrow's date, so every "today" a member's rules see comes from here."""
    return belgian_date(datetime.now(UTC))


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def _month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    y, m = divmod(index, 12)
    return y, m + 1


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), clamped to the target month's end."""
    year, month = _month(day.year, day.month, months)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def day_after(day: date) -> date:
    return day + ONE_DAY


def day_before(day: date) -> date:
    return day - ONE_DAY


def period_last_day(first: date, months: int) -> date:
    """Art. 1.7 Civil Code Book 1: the last day of ``months`` months whose first day is
    ``first`` — the eve of the day with ``first``'s number ``months`` later, or the last
    day of that month when it has no such day."""
    if months < 1:
        raise ValueError("a period has at least one month")
    year, month = _month(first.year, first.month, months)
    if first.day > calendar.monthrange(year, month)[1]:
        return last_day_of_month(year, month)
    return day_before(date(year, month, first.day))


def term_end(origin: date, months: int) -> date:
    """The last day of a period of ``months`` after an event on ``origin`` (art. 1.7: it
    starts on the day after). "binnen de maand na het ongeval" on 15 January: 15 February."""
    return period_last_day(day_after(origin), months)


def within_months_after(origin: date, day: date, months: int) -> bool:
    """``day`` falls "binnen" ``months`` months after ``origin`` (``origin`` itself too)."""
    return origin <= day <= term_end(origin, months)


def birthday(birth_date: date, age: int) -> date:
    """The day a person born on ``birth_date`` reaches ``age`` (29 February: 1 March in a
    common year — the years end on the month's last day, 28 February)."""
    if age == 0:
        return birth_date
    return day_after(period_last_day(birth_date, 12 * age))


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day`` (0 before the first birthday)."""
    years = max(0, day.year - birth_date.year - 1)
    while birthday(birth_date, years + 1) <= day:
        years += 1
    return years
