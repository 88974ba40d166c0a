"""Calendar periods as the member terms and the policy conditions count them ("1 maand",
"3 maanden", "30 dagen"): in calendar days, weekends and public holidays included.

Month and year steps keep the day of the month and clamp to the month's last day when
that day does not exist (31 January + 1 month = 28/29 February; 29 February + 1 year =
28 February). Callers step periods from their origin, never chained, so a contract
starting on 29 February gets 29 February back as due date in leap years.
"""

import calendar
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


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


def day_after(day: date) -> date:
    return day + ONE_DAY


def day_before(day: date) -> date:
    return day - ONE_DAY
