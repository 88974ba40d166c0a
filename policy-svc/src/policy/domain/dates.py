"""Calendar arithmetic the contract's legal dates are built on (PC-5, PC-9..PC-11).

All periods are in calendar days, weekends and public holidays included: the conditions
speak of "1 maand", "30 dagen", "3 maanden" without any working-day rule, so a registered
letter posted on a Friday starts its period on the Saturday.

Month and year steps keep the day of the month and clamp to the month's last day when
that day does not exist (31 January + 1 month = 28/29 February; 29 February + 1 year =
28 February). Periods are always stepped from their origin, never chained, so a contract
starting on 29 February gets 29 February back as due date in leap years.

Terms "binnen N maanden na" an event are counted as art. 1.7 Civil Code Book 1 does
(``term_end``, ``period_last_day``; issue 16 item 4, ``mylm_shared.kernel.periods``); ages use
``birthday`` (29 February: 1 March in a common year, the same day identity-svc uses).
"""

from mylm_shared.kernel.periods import (
    ONE_DAY,
    add_months,
    add_years,
    birthday,
    day_after,
    day_before,
    period_last_day,
    term_end,
)

__all__ = [
    "ONE_DAY",
    "add_months",
    "add_years",
    "birthday",
    "day_after",
    "day_before",
    "period_last_day",
    "term_end",
]
