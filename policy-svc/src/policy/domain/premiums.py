"""Premiums of a contract: payment per term, formal notices for non-payment, suspension,
termination for non-payment and tacit renewal (PC-4, PC-5, PC-8, PC-10).

Everything here is computed from three facts the Policy keeps in its ``PremiumAccount``:
which term's premium was paid on which (value) date, the formal notices posted, and up
to which term the renewals were announced. No job is needed for a date to be right; the
scheduler only emits the events when a date passes (``next_step``).

PC-4 (art. 5 "Aanvang van de dekking"): "Voor zover dat de eerste premie werd betaald,
neemt de dekking aanvang op de datum vermeld in de bijzondere voorwaarden. Enkel de
ongevallen gebeurd na de aanvangsdatum van de dekking zullen in aanmerking worden
genomen." Read as: once the first premium is paid, cover runs from the start date (0:00,
inclusive, as in ``terms``), also for days before the payment; no cover before the start
date. ``policy.activated`` carries ``cover_from`` = the start date and ``paid_on``.

PC-8 (art. 2.2 "Wanbetaling van de premie": "Ze kan u immers ons dekkingen doen verliezen
of leiden tot opzegging van het contract volgens de bepalingen van de wet"; art. 1.13
"Administratiekosten": "twee en een halve keer het officiële tarief van de aangetekende
verzending van bpost" per registered letter). The law (wet 4 april 2014, art. 69-71):

* A formal notice (registered letter or bailiff) for a premium that fell due and is
  unpaid suspends cover after 15 days counted from the day after posting/service: posted
  on Friday 5 March 2027, day 1 is Saturday 6 March, day 15 Saturday 20 March, cover is
  suspended from Sunday 21 March, 0:00 (``termination.non_payment_earliest``, shared
  with the ``non_payment`` termination ground).
* If the notice announces it, the contract terminates at least 15 days from the first day
  of the suspension, that day being day 1: suspended from 21 March -> days 21 March ..
  4 April -> terminated from 5 April 2027. A later notice posted during the suspension
  terminates at least 15 days from the day after its own posting (art. 71 §2).
* Paying the overdue premium before ``suspended_from`` cancels the suspension; paying
  during it ends the suspension from the payment (value) date, and also cancels an
  announced termination not yet effective. A payment on or after ``terminates_on`` is
  too late: the contract stays terminated.

A term whose premium is unpaid without a formal notice keeps its cover: the law makes the
notice the condition of any suspension. A suspension only shows while the contract was
activated (before the first premium no cover runs anyway: ``awaiting_first_premium``).

PC-5: after the first premium is paid, term n+1 starts on ``add_years(start, n)`` unless
the contract ends on or before that day; then ``policy.renewed`` and the next
``premium.due`` (the current premium, no indexation: PC-12) are emitted once each.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from mylm_shared.kernel.money import to_cents

from policy.domain.product import Premium
from policy.domain.termination import NON_PAYMENT_MIN_DAYS, non_payment_earliest
from policy.domain.terms import Term, due_date, term

NoticeChannel = Literal["registered_letter", "bailiff"]
ADMIN_COST_FACTOR = Decimal("2.5")  # PC-8: "twee en een halve keer het officiële tarief"


def admin_costs(registered_letter_tariff: Decimal) -> Decimal:
    """PC-8: the admin costs of one formal notice, in EUR, rounded to the cent."""
    return to_cents(registered_letter_tariff * ADMIN_COST_FACTOR, rounding=ROUND_HALF_UP)


def premium_due_on(start: date, term_number: int) -> date:
    """The first premium is due on the start date; term n's on the (n-1)-th due date."""
    return start if term_number == 1 else due_date(start, term_number - 1)


@dataclass(frozen=True)
class PaidPremium:
    term_number: int
    paid_on: date  # the value date of the payment that settled the invoice


@dataclass(frozen=True)
class PaymentNotice:
    """A formal notice for an unpaid premium (PC-8) and the dates the law gives it."""

    notice_id: str
    term_number: int
    posted_on: date  # posting (registered letter) or service (bailiff) date
    channel: NoticeChannel
    announces_termination: bool
    admin_costs: Decimal
    suspended_from: date
    terminates_on: date | None
    suspension_reported: bool = False  # policy.suspended was emitted for it


@dataclass(frozen=True)
class Suspension:
    """Cover suspended from ``starts_on`` up to (excluding) ``ends_on`` (None: open)."""

    starts_on: date
    ends_on: date | None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date) or day < self.starts_on:
            return False
        return self.ends_on is None or day < self.ends_on


StepKind = Literal["renew", "suspend", "terminate"]


@dataclass(frozen=True)
class Step:
    """A dated event the scheduler must emit once ``on`` has come."""

    on: date
    kind: StepKind
    notice: PaymentNotice | None = None


class NoticeRefused(ValueError):
    """A formal notice the rules do not allow (422 naming PC-8)."""


@dataclass(frozen=True)
class PremiumAccount:
    """The premium facts of one contract (stored in the Policy aggregate)."""

    paid: tuple[PaidPremium, ...] = ()
    notices: tuple[PaymentNotice, ...] = ()
    renewed_through: int = 1  # the last term whose renewal was announced (1: none yet)

    def paid_on(self, term_number: int) -> date | None:
        return next((p.paid_on for p in self.paid if p.term_number == term_number), None)

    @property
    def activated(self) -> bool:
        """PC-4: the first premium is paid."""
        return self.paid_on(1) is not None

    def with_payment(self, term_number: int, paid_on: date) -> "PremiumAccount | None":
        """The account with this payment recorded; None if it was recorded before."""
        if self.paid_on(term_number) is not None:
            return None
        return replace(self, paid=(*self.paid, PaidPremium(term_number, paid_on)))

    def with_notice(
        self,
        *,
        start: date,
        notice_id: str,
        term_number: int,
        posted_on: date,
        channel: NoticeChannel,
        announces_termination: bool,
        costs: Decimal,
    ) -> tuple["PremiumAccount", PaymentNotice]:
        """PC-8: a formal notice for a premium that fell due and is unpaid."""
        if term_number < 1:
            raise NoticeRefused("terms are numbered from 1")
        due = premium_due_on(start, term_number)
        if posted_on < due:
            raise NoticeRefused(
                f"the premium of term {term_number} falls due on {due}; a formal notice "
                f"posted on {posted_on} comes before it"
            )
        paid = self.paid_on(term_number)
        if paid is not None:
            raise NoticeRefused(f"the premium of term {term_number} was paid on {paid}")
        suspended_from = non_payment_earliest(posted_on)
        earlier = [n.suspended_from for n in self._notices_of(term_number)]
        first_day = min([*earlier, suspended_from])
        # Art. 71 §1: >= 15 days from the first day of the suspension (day 1); §2 a later
        # notice: >= 15 days from the day after its own posting.
        terminates_on = (
            max(first_day + timedelta(days=NON_PAYMENT_MIN_DAYS), suspended_from)
            if announces_termination
            else None
        )
        notice = PaymentNotice(
            notice_id,
            term_number,
            posted_on,
            channel,
            announces_termination,
            costs,
            suspended_from,
            terminates_on,
        )
        return replace(self, notices=(*self.notices, notice)), notice

    def _notices_of(self, term_number: int) -> list[PaymentNotice]:
        return [n for n in self.notices if n.term_number == term_number]

    def _terms_noticed(self) -> list[int]:
        return sorted({n.term_number for n in self.notices})

    def suspension(self, term_number: int) -> Suspension | None:
        """The suspension a term's unpaid premium causes, None if payment prevented it."""
        notices = self._notices_of(term_number)
        if not notices:
            return None
        starts_on = min(n.suspended_from for n in notices)
        paid = self.paid_on(term_number)
        if paid is not None and paid <= starts_on:
            return None
        return Suspension(starts_on, paid)

    def suspended_on(self, day: date) -> bool:
        return any(
            (found := self.suspension(n)) is not None and day in found
            for n in self._terms_noticed()
        )

    def termination(self) -> PaymentNotice | None:
        """The notice whose announced termination takes effect first and was not
        cancelled by paying the premium before its date."""
        pending = [
            n
            for n in self.notices
            if n.terminates_on is not None
            and ((paid := self.paid_on(n.term_number)) is None or paid >= n.terminates_on)
        ]
        return min(pending, key=lambda n: n.terminates_on or date.max, default=None)

    def terminates_on(self) -> date | None:
        found = self.termination()
        return found.terminates_on if found else None

    def next_step(self, start: date, ends_on: date | None) -> Step | None:
        """The earliest dated event still to emit; ``ends_on``: when the contract ends
        by a recorded Ending (None: it keeps renewing)."""
        steps: list[Step] = []
        if self.activated:
            renewal = due_date(start, self.renewed_through)
            if ends_on is None or renewal < ends_on:
                steps.append(Step(renewal, "renew"))
            for term_number in self._terms_noticed():
                first = min(self._notices_of(term_number), key=lambda n: n.suspended_from)
                suspension = self.suspension(term_number)
                if (
                    not first.suspension_reported
                    and suspension is not None
                    and (ends_on is None or suspension.starts_on < ends_on)
                ):
                    steps.append(Step(suspension.starts_on, "suspend", first))
        found = self.termination()
        if (
            found is not None
            and found.terminates_on is not None
            and (ends_on is None or found.terminates_on < ends_on)
        ):
            steps.append(Step(found.terminates_on, "terminate", found))
        return min(steps, key=lambda s: s.on, default=None)

    def renewed(self, start: date) -> tuple["PremiumAccount", Term]:
        """PC-5: the next term's renewal announced."""
        number = self.renewed_through + 1
        return replace(self, renewed_through=number), term(start, number)

    def reported(self, notice: PaymentNotice) -> "PremiumAccount":
        done = replace(notice, suspension_reported=True)
        notices = tuple(done if n.notice_id == notice.notice_id else n for n in self.notices)
        return replace(self, notices=notices)


# Domain events (plain values: the mapper turns them into bus messages).


@dataclass(frozen=True)
class PolicyActivated:
    policy_id: str
    member_id: str
    cover_from: date
    paid_on: date


@dataclass(frozen=True)
class PolicyRenewed:
    policy_id: str
    member_id: str
    term: Term
    premium: Premium


@dataclass(frozen=True)
class PolicySuspended:
    policy_id: str
    member_id: str
    notice_posted_on: date
    suspended_from: date
