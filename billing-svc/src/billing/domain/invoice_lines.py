"""The invoice, extended (issue 18 item 1): detailed lines, the status machine, the channel
and the credit note. Pure: built for ``billing.domain.invoice`` to adopt.

* **Lines** (EI-1: "de details van de op de laatste factuur aangerekende prestaties"): the
  day of the care, the member it was for (a titular's invoice may carry lines for the
  dependants), a care code, a description and an amount in euros and whole cents. A line
  is a charge, so its amount is positive: a correction is a credit note, never a negative
  line (the rule ``InvoiceLine`` already enforces; its test keeps that assertion).
* **Care codes**: an RIZIV/INAMI nomenclature number (six digits, ``101032``) or a code of
  the mutuality's own services (capitals and digits, an optional single ``-`` or ``.``
  group separator: ``AV-DENT01``, ``HOSPI.2``). Premium lines carry no care code.
* **Status**: ``open → paid | overdue → paid | cancelled``: an open invoice is paid, falls
  overdue (EI-5) or is cancelled by a credit note; an overdue one is paid or cancelled;
  ``paid`` and ``cancelled`` are final. ``transition`` refuses anything else.
* **Credit note** (staff only, a reason required, never a deletion): it cancels an open or
  an overdue invoice. It cancels an overdue one too, although the issue's arrow could be
  read as "cancelled only from open": the reading favourable to the member (DOMAIN.md,
  "Readings") lets staff withdraw a wrong invoice whatever the reminders have said, instead
  of leaving a claim the member does not owe running into reminders (EI-5). A **paid**
  invoice is not cancelled: there is no claim left to withdraw, and what the member needs
  then is their money back, which is a refund, not a status. What was already paid on a
  cancelled invoice is on the credit note as ``refund_due``, so nothing paid is forgotten.
* **Channel** (EI-2, EI-3): ``electronic`` or ``paper``, decided once at issue from the
  member's e-invoicing state (``billing.domain.einvoicing.channel_at``) and kept on the
  invoice: a later switch never touches it, and only a paper invoice is ever printed
  ("LM zal geen duplicaten op papier leveren van de elektronische facturen").
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

from mylm_shared.kernel.money import ZERO, is_whole_cents

Status = Literal["open", "overdue", "paid", "cancelled"]
Channel = Literal["electronic", "paper"]
CHANNELS: tuple[Channel, ...] = ("electronic", "paper")

# rule EI-5: overdue is reached from open only; paid and cancelled are final.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    "open": frozenset({"paid", "overdue", "cancelled"}),
    "overdue": frozenset({"paid", "cancelled"}),
    "paid": frozenset(),
    "cancelled": frozenset(),
}
# Statuses a credit note may cancel, and those the dunning job and the member's open list see.
CANCELLABLE: frozenset[Status] = frozenset({"open", "overdue"})
UNPAID: frozenset[Status] = frozenset({"open", "overdue"})

NOMENCLATURE_CODE = re.compile(r"[0-9]{6}")  # RIZIV/INAMI nomenclature number
OWN_SERVICE_CODE = re.compile(r"[A-Z][A-Z0-9]{1,9}(?:[-.][A-Z0-9]{1,8})?")
DESCRIPTION_MAX = 200
REASON_MAX = 500


class InvalidInvoice(ValueError):
    """The invoice breaks a rule; the message says which, for the problem+json detail.
    ``billing.domain.invoice`` is to import this one instead of declaring its own, so that
    every ``except InvalidInvoice`` also catches the line and credit-note errors below."""


class InvalidLine(InvalidInvoice):
    """A line breaks a rule."""


class IllegalTransition(ValueError):
    """The invoice cannot go from its status to the one asked (e.g. a paid one overdue)."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"an invoice cannot go from {current} to {target}")
        self.current = current
        self.target = target


class InvalidCreditNote(InvalidInvoice):
    """A credit note breaks a rule (no reason, not staff, an invoice it cannot cancel)."""


def is_care_code(code: str) -> bool:
    """A nomenclature number (``101032``) or one of the mutuality's own codes (``AV-DENT01``)."""
    return bool(NOMENCLATURE_CODE.fullmatch(code) or OWN_SERVICE_CODE.fullmatch(code))


def check_amount(amount: Decimal) -> None:
    """A line's amount: a finite, positive number of euros in whole cents."""
    if not amount.is_finite():
        raise InvalidLine("a line amount must be a number")
    if amount <= ZERO:
        raise InvalidLine("a line amount must be positive")
    if not is_whole_cents(amount):
        raise InvalidLine("a line amount has at most two decimals (cents)")


@dataclass(frozen=True)
class DetailedLine:
    """One prestation on an invoice (EI-1). ``care_code`` is ``None`` on premium lines."""

    service_date: date
    beneficiary_id: str
    care_code: str | None
    description: str
    amount: Decimal

    def __post_init__(self) -> None:
        check_amount(self.amount)
        if not self.beneficiary_id.strip():
            raise InvalidLine("a line names the member the care was for")
        if self.care_code is not None and not is_care_code(self.care_code):
            raise InvalidLine(
                "a care code is a 6-digit nomenclature number or a code such as AV-DENT01"
            )
        if not self.description.strip():
            raise InvalidLine("a line needs a description")
        if len(self.description) > DESCRIPTION_MAX:
            raise InvalidLine(f"a line's description has at most {DESCRIPTION_MAX} characters")


def check_lines(
    lines: Iterable[DetailedLine], member_id: str, dependants: Collection[str], issue_date: date
) -> tuple[DetailedLine, ...]:
    """The lines of one invoice to ``member_id``: at least one; each for the member or one
    of their ``dependants`` (as the caller knows them on ``issue_date``); none after the
    issue date (a service not yet given is not invoiced)."""
    checked = tuple(lines)
    if not checked:
        raise InvalidLine("an invoice needs at least one line")
    for line in checked:
        if line.beneficiary_id != member_id and line.beneficiary_id not in dependants:
            raise InvalidLine("a line is for the invoiced member or one of their dependants")
        if line.service_date > issue_date:
            raise InvalidLine("a service date cannot be after the issue date")
    return checked


def total(lines: Iterable[DetailedLine]) -> Decimal:
    return sum((line.amount for line in lines), ZERO)


def can_transition(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


def transition(current: Status, target: Status) -> Status:
    """``target`` when the table allows it; ``IllegalTransition`` otherwise."""
    if not can_transition(current, target):
        raise IllegalTransition(current, target)
    return target


class Cancellable(Protocol):
    """What a credit note reads of an invoice (``billing.domain.invoice.Invoice`` has it)."""

    @property
    def invoice_id(self) -> str: ...
    @property
    def member_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def paid(self) -> Decimal: ...


@dataclass(frozen=True)
class CreditNote:
    """Cancels one invoice in full (never a deletion: the invoice stays, ``cancelled``).
    ``refund_due``: what the member had already paid on it, to be paid back."""

    credit_note_id: str
    invoice_id: str
    member_id: str
    amount: Decimal
    refund_due: Decimal
    reason: str
    issued_by: str  # the staff member's id
    issued_at: datetime


def credit_note(
    invoice: Cancellable,
    *,
    credit_note_id: str,
    reason: str,
    staff_id: str,
    issued_at: datetime,
) -> CreditNote:
    """The credit note that cancels ``invoice`` (an open or overdue one), by staff, with a
    reason. The caller then moves the invoice to ``cancelled`` (``transition``) and raises
    ``invoice.cancelled``."""
    if invoice.status not in CANCELLABLE:
        if invoice.status == "paid":
            raise InvalidCreditNote(
                "a paid invoice is not cancelled: what the member paid is refunded instead"
            )
        raise InvalidCreditNote(f"a {invoice.status} invoice cannot be cancelled")
    reason = reason.strip()
    if not reason:
        raise InvalidCreditNote("a credit note needs a reason")
    if len(reason) > REASON_MAX:
        raise InvalidCreditNote(f"a credit note's reason has at most {REASON_MAX} characters")
    if not staff_id.strip():
        raise InvalidCreditNote("only staff issue a credit note")
    if issued_at.tzinfo is None:
        raise InvalidCreditNote("the time of a credit note carries its time zone")
    return CreditNote(
        credit_note_id=credit_note_id,
        invoice_id=invoice.invoice_id,
        member_id=invoice.member_id,
        amount=invoice.total,
        refund_due=min(invoice.paid, invoice.total),
        reason=reason,
        issued_by=staff_id,
        issued_at=issued_at,
    )


def may_request_print(channel: Channel, already_requested: bool) -> bool:
    """rule EI-2: a print request only for an invoice issued on paper, and once. An
    electronic invoice is never printed, not even after the member switched to paper."""
    return channel == "paper" and not already_requested
