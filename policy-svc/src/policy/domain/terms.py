"""Contract periods: start, one-year terms, annual due dates, renewal objections (PC-4, PC-5).

Conventions used by every date policy-svc returns:

* A contract starts on the date in the special conditions (art. 4 "Aanvang van het
  contract": "Het contract gaat in op de in de bijzondere voorwaarden vermelde datum").
* A one-year term runs from its first day up to, not including, the next annual due date
  ("hoofdvervaldag"), the anniversary of the start. ``ends_on``/``expires_on`` dates are
  that exclusive bound: the contract runs until 0:00 on that day.
* Annual due dates are stepped from the start date (``add_years(start, n)``), never from
  the previous due date: a 29 February start falls due on 28 February in common years and
  on 29 February again in leap years.

PC-5 (art. 5 "Duur van het contract"): "behalve indien een van de partijen zich er tegen
verzet bij een ter post aangetekende brief, bij deurwaardersexploot of door afgifte van een
aangetekende brief tegen ontvangstbewijs ten minste drie maanden voor zijn afloop, wordt
dit stilzwijgend verlengd voor opeenvolgende periodes van een jaar."
"""

from dataclasses import dataclass
from datetime import date

from policy.domain.dates import add_months, add_years

RENEWAL_OBJECTION_MONTHS = 3  # PC-5: "ten minste drie maanden voor zijn afloop"


@dataclass(frozen=True)
class Term:
    """One insurance year: ``starts_on`` inclusive, ``expires_on`` exclusive (its due date)."""

    number: int  # 1 for the first year
    starts_on: date
    expires_on: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day < self.expires_on


def due_date(start: date, number: int) -> date:
    """The ``number``-th annual due date (1 = end of the first year), stepped from start."""
    if number < 1:
        raise ValueError("annual due dates are numbered from 1")
    return add_years(start, number)


def term(start: date, number: int) -> Term:
    first = start if number == 1 else due_date(start, number - 1)
    return Term(number, first, due_date(start, number))


def term_on(start: date, day: date) -> Term:
    """The insurance year containing ``day`` (assuming the contract kept renewing, PC-5)."""
    if day < start:
        raise ValueError(f"{day} is before the contract start {start}")
    number = max(1, day.year - start.year)
    while due_date(start, number) <= day:
        number += 1
    while number > 1 and due_date(start, number - 1) > day:
        number -= 1
    return term(start, number)


def next_due_date(start: date, after: date) -> date:
    """The first annual due date strictly after ``after`` (the coming expiry)."""
    if after < start:
        return due_date(start, 1)
    return term_on(start, after).expires_on


def objection_deadline(expiry: date) -> date:
    """PC-5: last posting day for an objection to take effect at ``expiry``.

    "Ten minste drie maanden voor zijn afloop" = posted on or before the day three months
    before the due date, clamped to the month's end: expiry 31 May -> 28 (29) February;
    expiry 1 January -> 1 October.
    """
    return add_months(expiry, -RENEWAL_OBJECTION_MONTHS)


def contract_ends_on(start: date, posted_on: date) -> date:
    """PC-5: the expiry a renewal objection posted on ``posted_on`` takes effect at.

    The coming expiry (first due date after the posting day) if the objection was posted at
    least three months before it, else the one after. Same rule for both parties and for the
    three channels; ``posted_on`` is the posting, service or receipt date.
    """
    coming = next_due_date(start, posted_on)
    if posted_on <= objection_deadline(coming):
        return coming
    # Re-stepped from the start so a 29 February start regains 29 February in leap years.
    return next_due_date(start, coming)
