"""What the daily dunning job does with one invoice today (issue 18 item 4; EI-5, PC-8).

rule EI-5: "De facturen moeten worden betaald voor de datum die erop wordt vermeld,
ongeacht of de klant de elektronische meldingen over de facturen wel of niet heeft
ontvangen, geopend of gelezen. De betalingsmodaliteiten en de aanmaningsprocedures volgens
de voorwaarden die gelden voor de geleverde producten/diensten blijven ongewijzigd van
toepassing."

* "voor de datum die erop wordt vermeld" can be read as "before that day" or "by that
  day"; the reading favourable to the member applies: a payment on the due date itself is
  on time. An unpaid care invoice is overdue from the **day after** its due date.
* A first reminder (level 1) is due ``first_reminder_days`` (15) after that day, a second
  (level 2) ``second_reminder_days`` (30) after it; each is requested once. The days count
  from the overdue day, not from the day the job ran: an invoice imported 40 days past due
  gets, in one run, ``overdue`` then reminder 1 then reminder 2, in that order.
* Nothing here reads whether a notice was opened or read ("ongeacht of … gelezen"): the
  input has no such fact.
* rule PC-8: premium invoices are left to policy-svc's formal notices (their admin costs
  are the law's and the policy's, "aanmaningsprocedures … blijven ongewijzigd"): this job
  never marks nor reminds them, so a policyholder is never reminded twice for one premium.
* Idempotent: the job applies the actions (status ``overdue``, the levels requested); run
  again the same day on the result, ``actions`` answers an empty list.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from billing.domain.invoice_lines import UNPAID, Status

Kind = Literal["care", "premium"]
LEVELS = (1, 2)


class InvalidDunningPolicy(ValueError):
    """The configured reminder offsets are not usable (not positive, not increasing)."""


@dataclass(frozen=True)
class DunningPolicy:
    """Days after the overdue day at which each reminder level is requested."""

    first_reminder_days: int = 15
    second_reminder_days: int = 30

    def __post_init__(self) -> None:
        if self.first_reminder_days < 1:
            raise InvalidDunningPolicy("the first reminder comes at least a day after overdue")
        if self.second_reminder_days <= self.first_reminder_days:
            raise InvalidDunningPolicy("the second reminder comes after the first")

    def offset(self, level: int) -> int:
        return {1: self.first_reminder_days, 2: self.second_reminder_days}[level]


@dataclass(frozen=True)
class DunningInvoice:
    """What the job reads of an invoice."""

    invoice_id: str
    kind: Kind
    due_date: date
    status: Status
    reminders_requested: Collection[int] = ()


@dataclass(frozen=True)
class MarkOverdue:
    """Set the status ``overdue`` and publish ``invoice.overdue`` (from ``overdue_on``)."""

    invoice_id: str
    overdue_on: date


@dataclass(frozen=True)
class RequestReminder:
    """Record the level as requested and publish ``invoice.reminder_due`` with it."""

    invoice_id: str
    level: int
    due_on: date  # the day this level fell due (earlier than today when catching up)


DunningAction = MarkOverdue | RequestReminder


def overdue_on(due_date: date) -> date:
    """rule EI-5: the first day an unpaid invoice is late (paying on the due date is on time)."""
    return due_date + timedelta(days=1)


def reminder_on(due_date: date, level: int, policy: DunningPolicy) -> date:
    return overdue_on(due_date) + timedelta(days=policy.offset(level))


def actions(
    invoice: DunningInvoice, today: date, policy: DunningPolicy | None = None
) -> list[DunningAction]:
    """What the job does with ``invoice`` on ``today`` (the Belgian date), in order."""
    policy = policy or DunningPolicy()
    if invoice.kind != "care":  # rule PC-8: premiums are policy-svc's formal notices
        return []
    if invoice.status not in UNPAID:
        return []
    late_from = overdue_on(invoice.due_date)
    if today < late_from:
        return []
    done: list[DunningAction] = []
    if invoice.status == "open":
        done.append(MarkOverdue(invoice.invoice_id, late_from))
    # Never a lower level after a higher one: a level is only caught up before its successors.
    highest = max(invoice.reminders_requested, default=0)
    for level in LEVELS:
        on = reminder_on(invoice.due_date, level, policy)
        if level > highest and today >= on:
            done.append(RequestReminder(invoice.invoice_id, level, on))
    return done


def apply(invoice: DunningInvoice, done: list[DunningAction]) -> DunningInvoice:
    """``invoice`` after the job applied ``done`` (what the store then holds)."""
    status = invoice.status
    levels = set(invoice.reminders_requested)
    for action in done:
        if isinstance(action, MarkOverdue):
            status = "overdue"
        else:
            levels.add(action.level)
    return DunningInvoice(
        invoice.invoice_id, invoice.kind, invoice.due_date, status, tuple(sorted(levels))
    )
