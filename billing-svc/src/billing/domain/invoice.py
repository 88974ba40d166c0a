"""Invoices a mutuality issues to a member (EI-1: open invoices and their lines)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.domain import Aggregate

InvoiceStatus = Literal["open", "paid", "cancelled"]
# "care": issued by staff; "premium": an insurance premium (policy_id names the policy).
InvoiceKind = Literal["care", "premium"]
CountedOutcome = Literal["settled", "partial", "overpaid"]
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class InvalidInvoice(ValueError):
    """The invoice breaks a rule; the message says which, for the problem+json detail."""


@dataclass(frozen=True)
class InvoiceLine:
    service_date: date
    description: str
    amount: Decimal

    def __post_init__(self) -> None:
        if not self.amount.is_finite():
            raise InvalidInvoice("a line amount must be a number")
        if self.amount <= 0:
            raise InvalidInvoice("a line amount must be positive")
        if self.amount != self.amount.quantize(CENT):
            raise InvalidInvoice("a line amount has at most two decimals (cents)")
        if not self.description.strip():
            raise InvalidInvoice("a line needs a description")


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
        return max(self.total - self.paid, ZERO)

    def received(self, payment_id: str) -> ReceivedPayment | None:
        return next((p for p in self.payments if p.payment_id == payment_id), None)

    def record_payment(self, payment_id: str, amount: Decimal, value_date: date) -> ReceivedPayment:
        """Count a payment once (a payment id seen before changes nothing and answers as
        it did then). The one that reaches the total settles the invoice (``InvoicePaid``);
        anything beyond what was outstanding is excess, kept for staff to refund."""
        seen = self.received(payment_id)
        if seen is not None:
            return seen
        due = self.outstanding if self.status == "open" else ZERO
        excess = max(amount - due, ZERO)
        settles = self.status == "open" and amount >= due
        outcome: CountedOutcome = "overpaid" if excess else "settled" if settles else "partial"
        payment = ReceivedPayment(payment_id, amount, value_date, outcome, excess)
        self.payments = (*self.payments, payment)
        if settles:
            self.status = "paid"
            self.raise_event(InvoicePaid(self, paid_on=value_date))
        return payment

    def issue(self, structured_reference: str) -> None:
        """The invoice goes out with its payment reference (EI-1, EI-4: the member is told)."""
        if self.structured_reference:
            raise InvalidInvoice("the invoice was issued already")
        self.structured_reference = structured_reference
        self.raise_event(InvoiceIssued(self))


@dataclass(frozen=True)
class InvoiceIssued:
    """Domain event: a new invoice is available to the member."""

    invoice: Invoice


@dataclass(frozen=True)
class InvoicePaid:
    """Domain event: the payments received reach the invoice's total."""

    invoice: Invoice
    paid_on: date
