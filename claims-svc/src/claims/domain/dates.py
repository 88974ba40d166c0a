"""Calendar arithmetic for claim windows (PA-3, PA-7, PA-8, AS-1, AS-2, LA-2, LA-3, LA-14).

The arithmetic is ``mylm_shared.kernel.periods``, shared with identity-svc and policy-svc (issue
16 item 4): periods are calendar days, weekends and holidays included (the conditions say
"8 dagen", "30 dagen", "1 maand", "3 maanden" with no working-day rule). Months follow art.
1.7 of the Civil Code Book 1: a term "binnen N maanden na" an event starts the day after
and ends "de dag vóór de zoveelste", or on the last day of the month that has no such day
(``term_end``); a period whose first day is known ends on ``period_last_day``.

Windows "binnen X dagen na" an event count from the day after the event: the event day is
day 0, so a declaration on day X is in time and on day X + 1 is late.
"""

from mylm_shared.kernel.periods import (
    add_days,
    add_months,
    add_years,
    period_last_day,
    term_end,
    within_months_after,
)

__all__ = [
    "add_days",
    "add_months",
    "add_years",
    "period_last_day",
    "term_end",
    "within_months_after",
]
