"""The premium adjustment of an accepted amendment for the terms already requested
(PC-7, PC-8).

PC-8 (art. 1 "Betaling van de premie"): "Bij de afsluiting van het contract, op elke
vervaldag of bij de uitgifte van nieuwe bijzondere voorwaarden ontvangt u een verzoek om
betaling of een vervaldagbericht." An accepted amendment issues new special conditions, so
the premium difference of the running term is requested then.

PC-7 (art. 8): the new premium runs from the amendment's ``effective_on`` — "met
terugwerkende kracht tot de dag van de verzwaring" (aggravation), "vanaf de dag waarop wij
van de vermindering van het risico kennis hebben gekregen" (reduction).

The rule, per term already requested (term 1 at signing, later ones at renewal):

* owed = Σ over the term's days of (yearly premium in force that day) / days in the term,
  counted up to the contract's end when it ends within the term (no premium after it);
  the adjustment = owed with the amendment − owed without it. For one amendment this is
  (new − old yearly premium) × days from ``effective_on`` (or the term's first day) to the
  term's end / days in the term; an earlier amendment taking over part of the term is
  accounted for. Effective on or before the start date: the whole first-term difference.
* Per component (net, taxes, contributions), rounded to the cent ROUND_HALF_UP; the total
  is the sum of the rounded components, so the invoice lines add up to it.
* Terms not requested yet simply carry the premium in force at their renewal (PC-5, PC-12).
* Only an increase is requested (``requested``): billing invoices it as a premium
  invoice. A reduction is a credit billing cannot invoice; it is recorded with the
  amendment on the policy and left to staff (refund or offset against the next premium).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from mylm_shared.kernel.money import to_cents

from policy.domain.product import Premium
from policy.domain.terms import term

# The yearly premium from each day on, in date order; the first entry's day is date.min.
Schedule = Sequence[tuple[date, Premium]]


@dataclass(frozen=True)
class PremiumAdjustment:
    """What an amendment changes in one term's premium (negative parts: a credit)."""

    term_number: int
    due_on: date  # the first day of the term whose premium the amendment changes
    days: int  # days of the term whose premium it changes (up to the contract's end)
    term_days: int
    amount: Premium

    @property
    def requested(self) -> bool:
        """PC-8: an increase is requested from the policyholder; a credit is for staff."""
        parts = (self.amount.net, self.amount.taxes, self.amount.contributions)
        return self.amount.total > 0 and all(p >= 0 for p in parts)


def premium_on(schedule: Schedule, day: date) -> Premium:
    found = schedule[0][1]
    for since, yearly in schedule:
        if since <= day:
            found = yearly
    return found


def premium_adjustments(
    before: Schedule,
    after: Schedule,
    *,
    start: date,
    requested_through: int,
    ends_on: date | None,
) -> tuple[PremiumAdjustment, ...]:
    """PC-7/PC-8: the adjustment of each requested term (1..``requested_through``) the
    amendment changes, in term order; terms it leaves as they were are left out."""
    changes = {d for d, _ in (*before, *after)}
    found: list[PremiumAdjustment] = []
    for number in range(1, requested_through + 1):
        t = term(start, number)
        until = t.expires_on if ends_on is None else min(t.expires_on, ends_on)
        if until <= t.starts_on:
            break
        days = sorted({t.starts_on, until, *(d for d in changes if t.starts_on < d < until)})
        net = taxes = contributions = Decimal(0)
        changed: list[tuple[date, int]] = []  # (first day, length) of each changed stretch
        for since, upto in pairwise(days):
            new, old, length = premium_on(after, since), premium_on(before, since), upto - since
            if new != old:
                changed.append((since, length.days))
            net += (new.net - old.net) * length.days
            taxes += (new.taxes - old.taxes) * length.days
            contributions += (new.contributions - old.contributions) * length.days
        if not (net or taxes or contributions):
            continue
        term_days = (t.expires_on - t.starts_on).days
        amount = Premium(*(_cent(part / term_days) for part in (net, taxes, contributions)))
        if not (amount.net or amount.taxes or amount.contributions):
            continue  # less than half a cent
        due_on = changed[0][0]
        found.append(
            PremiumAdjustment(number, due_on, sum(n for _, n in changed), term_days, amount)
        )
    return tuple(found)


def _cent(value: Decimal) -> Decimal:
    return to_cents(value, rounding=ROUND_HALF_UP)
