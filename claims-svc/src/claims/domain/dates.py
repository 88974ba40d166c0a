"""Calendar arithmetic for claim windows (PA-3, PA-7, AS-1, LA-2, LA-3, LA-14).

Same conventions as policy-svc's ``policy.domain.dates`` (claims-svc does not import
another service): periods are calendar days, weekends and holidays included (the
conditions say "8 dagen", "30 dagen", "1 maand", "3 maanden" with no working-day rule);
month steps keep the day of the month and clamp to the month's end (31 January + 1 month
= 28/29 February) and are always stepped from their origin.

Windows "binnen X dagen na" an event count from the day after the event: the event day is
day 0, so a declaration on day X is in time and on day X + 1 is late.
"""

import calendar
from datetime import date, timedelta


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), clamped to the target month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
