"""Calendar arithmetic for claim windows (PA-3, PA-7, AS-1, LA-2, LA-3, LA-14).

The arithmetic is ``mylm_shared.periods``, shared with policy-svc: periods are calendar
days, weekends and holidays included (the conditions say "8 dagen", "30 dagen", "1 maand",
"3 maanden" with no working-day rule); month steps keep the day of the month and clamp to
the month's end (31 January + 1 month = 28/29 February), stepped from their origin.

Windows "binnen X dagen na" an event count from the day after the event: the event day is
day 0, so a declaration on day X is in time and on day X + 1 is late.
"""

from mylm_shared.periods import add_days, add_months, add_years

__all__ = ["add_days", "add_months", "add_years"]
