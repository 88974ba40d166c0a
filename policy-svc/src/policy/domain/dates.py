"""Calendar arithmetic the contract's legal dates are built on (PC-5, PC-9..PC-11).

All periods are in calendar days, weekends and public holidays included: the conditions
speak of "1 maand", "30 dagen", "3 maanden" without any working-day rule, so a registered
letter posted on a Friday starts its period on the Saturday.

Month and year steps keep the day of the month and clamp to the month's last day when
that day does not exist (31 January + 1 month = 28/29 February; 29 February + 1 year =
28 February). Periods are always stepped from their origin, never chained, so a contract
starting on 29 February gets 29 February back as due date in leap years.
"""

from mylm_shared.periods import ONE_DAY, add_months, add_years, day_after, day_before

__all__ = ["ONE_DAY", "add_months", "add_years", "day_after", "day_before"]
