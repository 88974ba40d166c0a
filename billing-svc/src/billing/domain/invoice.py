"""Invoices a mutuality issues to a member (EI-1: open invoices and their lines).

Issue 18 item 1: detailed lines (service date, beneficiary, care code), the status machine
``open → paid | overdue → paid | cancelled`` of ``billing.domain.invoice_lines``, the
channel decided at issue (EI-2, EI-3), the dunning steps (EI-5) and cancellation by a
credit note (never a deletion)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.domain import Aggregate
from mylm_shared.kernel.money import ZERO

from billing.domain.invoice_document import PostalAddress
from billing.domain.invoice_lines import (
    UNPAID,
    Channel,
    CreditNote,
    IllegalTransition,
    InvalidCreditNote,
    InvalidInvoice,
    InvalidLine,
    Status,
    check_amount,
    is_care_code,
    may_request_print,
    transition,
)

__all__ = [
    "UNPAID",
    "Channel",
    "CountedOutcome",
    "CreditNote",
    "IllegalTransition",
    "InvalidCreditNote",
    "InvalidInvoice",
    "Invoice",
    "InvoiceCancelled",
    "InvoiceIssued",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceOverdue",
    "InvoicePaid",
    "InvoicePrintRequested",
    "InvoiceStatus",
    "ReceivedPayment",
    "ReminderDue",
]

InvoiceStatus = Status  # open | overdue | paid | cancelled (invoice_lines.TRANSITIONS)
# "care": issued by staff; "premium": an insurance premium (policy_id names the policy).
InvoiceKind = Literal["care", "premium"]
CountedOutcome = Literal["settled", "partial", "overpaid"]


@dataclass(frozen=True)
class InvoiceLine:
    """One prestation (EI-1). ``beneficiary_id`` empty: the invoiced member themself
    (lines stored before issue 18); ``care_code`` ``None`` on premium lines."""

    service_date: date
    description: str
    amount: Decimal
    beneficiary_id: str = ""
    care_code: str | None = None

    def __post_init__(self) -> None:
        check_amount(self.amount)
        if not self.description.strip():
            raise InvalidLine("a line needs a description")
        if self.care_code is not None and not is_care_code(self.care_code):
            raise InvalidLine(
                "a care code is a 6-digit nomenclature number or a code such as AV-DENT01"
            )

    def beneficiary(self, member_id: str) -> str:
        """The member the care was for (the invoiced member when the line names nobody)."""
        return self.beneficiary_id or member_id


@dataclass(frozen=True)
class ReceivedPayment:
    """A payment counted on this invoice, with the outcome it had when it arrived."""

    payment_id: str
    amount: Decimal
    value_date: date
    outcome: CountedOutcome
    excess: Decimal = ZERO


@dataclass
class Invoice(Aggregate):
    invoice_id: str
    member_id: str
    issue_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    structured_reference: str
    status: InvoiceStatus = "open"
    # Fingerprint of the request that issued it: an Idempotency-Key replay must match.
    request_fingerprint: str = ""
    kind: InvoiceKind = "care"
    policy_id: str | None = None
    term_number: int | None = None  # premium invoices: the policy's yearly term (PC-8)
    # A premium adjustment (PC-7/PC-8): the amendment whose difference it requests.
    adjustment_of: str | None = None
    payments: tuple[ReceivedPayment, ...] = ()
    # EI-2/EI-3: decided once at issue from the member's e-invoicing state, never changed.
    channel: Channel = "electronic"
    # EI-5: the reminder levels requested (each once).
    reminders_requested: tuple[int, ...] = ()
    # EI-2: a paper invoice's print request went out (at most once).
    print_requested: bool = False
    # The credit note that cancelled it (issue 18 item 1).
    credit_note: CreditNote | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise InvalidInvoice("an invoice needs at least one line")
        if self.due_date < self.issue_date:
            raise InvalidInvoice("the due date cannot be before the issue date")
        if any(line.service_date > self.issue_date for line in self.lines):
            raise InvalidInvoice("a service date cannot be after the issue date")

    @property
    def aggregate_id(self) -> str:
        return self.invoice_id

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        """Everything received for this invoice (more than the total when overpaid)."""
        return sum((p.amount for p in self.payments), ZERO)

    @property
    def outstanding(self) -> Decimal:
        if self.status == "cancelled":
            return ZERO  # the credit note withdrew the claim
        return max(self.total - self.paid, ZERO)

    @property
    def unpaid(self) -> bool:
        """Open or overdue: the member still owes it (their "open invoices", EI-1)."""
        return self.status in UNPAID

    def received(self, payment_id: str) -> ReceivedPayment | None:
        return next((p for p in self.payments if p.payment_id == payment_id), None)

    def record_payment(self, payment_id: str, amount: Decimal, value_date: date) -> ReceivedPayment:
        """Count a payment once (a payment id seen before changes nothing and answers as
        it did then). The one that reaches the total settles the invoice (``InvoicePaid``),
        open or overdue alike (EI-5: a payment after a reminder settles as any other);
        anything beyond what was outstanding is excess, kept for staff to refund."""
        seen = self.received(payment_id)
        if seen is not None:
            return seen
        due = self.outstanding if self.unpaid else ZERO
        excess = max(amount - due, ZERO)
        settles = self.unpaid and amount >= due
        outcome: CountedOutcome = "overpaid" if excess else "settled" if settles else "partial"
        payment = ReceivedPayment(payment_id, amount, value_date, outcome, excess)
        self.payments = (*self.payments, payment)
        if settles:
            self.status = transition(self.status, "paid")
            self.raise_event(InvoicePaid(self, paid_on=value_date))
        return payment

    def issue(self, structured_reference: str, channel: Channel = "electronic") -> None:
        """The invoice goes out with its payment reference on ``channel`` (EI-1, EI-2,
        EI-4: the member is told); the channel is kept and travels on ``invoice.issued``."""
        if self.structured_reference:
            raise InvalidInvoice("the invoice was issued already")
        self.structured_reference = structured_reference
        self.channel = channel
        self.raise_event(InvoiceIssued(self))

    def mark_overdue(self, on: date) -> None:
        """rule EI-5: unpaid past its due date (``on``: the first late day); only from open."""
        self.status = transition(self.status, "overdue")
        self.raise_event(InvoiceOverdue(self, overdue_on=on))

    def request_reminder(self, level: int, on: date, channel: Channel | None = None) -> bool:
        """rule EI-5: reminder ``level`` of an overdue invoice, once: False (nothing
        raised) when that level was requested before. ``channel``: the member's channel
        now (the reminder follows a switch made since the issue); the invoice's own when
        not given."""
        if level in self.reminders_requested:
            return False
        if self.status != "overdue":
            raise IllegalTransition(self.status, f"reminder {level}")
        self.reminders_requested = tuple(sorted((*self.reminders_requested, level)))
        self.raise_event(ReminderDue(self, level=level, due_on=on, channel=channel or self.channel))
        return True

    def request_print(
        self,
        language: str = "nl",
        mutuality: str = "",
        *,
        member_name: str = "",
        address: PostalAddress | None = None,
    ) -> bool:
        """rule EI-2: a paper invoice's print request, once; never for an electronic one.
        ``language``, ``mutuality``, ``member_name`` and ``address``: the member's, for
        the print shop (an unknown address still requests the print, issue 18 item 3)."""
        if not may_request_print(self.channel, self.print_requested):
            return False
        self.print_requested = True
        self.raise_event(
            InvoicePrintRequested(
                self,
                language=language,
                mutuality=mutuality,
                member_name=member_name,
                address=address,
            )
        )
        return True

    def cancel(self, note: CreditNote) -> None:
        """Cancelled by ``note`` (``invoice_lines.credit_note``): the invoice stays,
        ``cancelled``, with its credit note; an open or overdue one only."""
        if note.invoice_id != self.invoice_id:
            raise InvalidCreditNote("the credit note is for another invoice")
        self.status = transition(self.status, "cancelled")
        self.credit_note = note
        self.raise_event(InvoiceCancelled(self, note))


@dataclass(frozen=True)
class InvoiceIssued:
    """Domain event: a new invoice is available to the member (on ``invoice.channel``)."""

    invoice: Invoice


@dataclass(frozen=True)
class InvoicePaid:
    """Domain event: the payments received reach the invoice's total."""

    invoice: Invoice
    paid_on: date


@dataclass(frozen=True)
class InvoiceOverdue:
    """Domain event (EI-5): unpaid the day after its due date."""

    invoice: Invoice
    overdue_on: date


@dataclass(frozen=True)
class ReminderDue:
    """Domain event (EI-5): reminder ``level`` (1, 2) is due, on the member's channel."""

    invoice: Invoice
    level: int
    due_on: date
    channel: Channel = "electronic"


@dataclass(frozen=True)
class InvoicePrintRequested:
    """Domain event (EI-2): a paper invoice goes to the print shop."""

    invoice: Invoice
    language: str = "nl"
    mutuality: str = ""
    member_name: str = ""
    address: PostalAddress | None = None  # None: not known (still printed, issue 18)


@dataclass(frozen=True)
class InvoiceCancelled:
    """Domain event: a credit note cancelled the invoice."""

    invoice: Invoice
    credit_note: CreditNote
