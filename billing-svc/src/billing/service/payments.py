"""Payments use cases: receive a bank payment (idempotently), match it to an invoice by
its structured reference, and staff's worklist of payments nobody can place (unmatched)
or that were more than was due (overpaid). They depend on ports only.

Idempotency: the caller sends the bank's transaction id as ``Idempotency-Key``; the
payment id is derived from it (whoever sends it: one bank transaction, one payment).
Without a key every request is a new payment — two equal transfers are two payments.

Order of writes, so that a payment counts once even across a crash and a retry: the
invoice aggregate records the payment id with the amount (``Invoice.record_payment``
ignores an id it has), then the payment document is inserted with the outcome. A retry
after a crash in between finds the payment on the invoice and inserts the document.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol

from mylm_shared.aggregates import AggregateStore, change
from mylm_shared.kernel import idempotency
from mylm_shared.kernel.domain import AggregateExists

from billing.domain.invoice import Invoice, ReceivedPayment
from billing.domain.payment import Payment, PaymentOutcome, RecordedPayment

# Concurrent payments on one invoice each retry on fresh state until theirs is stored;
# with 50 at once the last one may need ~50 rounds.
CHANGE_ATTEMPTS = 200


class PaymentJournal(Protocol):
    """Insert-only store of received payments (``adapters/payments.py``)."""

    async def get(self, payment_id: str) -> RecordedPayment | None: ...

    async def add(self, record: RecordedPayment) -> bool:
        """False when the payment id is stored already."""

    async def worklist(self, *, limit: int, offset: int) -> list[RecordedPayment]: ...


@dataclass(frozen=True)
class ReceivePayment:
    structured_reference: str
    amount: Decimal
    value_date: date
    counterparty_iban: str


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PaymentsService:
    invoices: AggregateStore[Invoice]
    payments: PaymentJournal
    clock: Callable[[], datetime] = field(default=_now)

    async def receive(
        self, command: ReceivePayment, idempotency_key: str | None
    ) -> tuple[RecordedPayment, bool]:
        """Returns the recorded payment and whether this call recorded it. Raises
        ``InvalidPayment`` (nothing stored) or ``IdempotencyConflict``."""
        payment = Payment.received(
            # One bank transaction, one payment, whoever sends it: the key alone names it.
            idempotency.derived_id("payment", idempotency_key, caller=None),
            command.structured_reference,
            command.amount,
            command.value_date,
            command.counterparty_iban,
        )
        fingerprint = idempotency.fingerprint(
            payment.structured_reference,
            payment.amount,
            payment.value_date,
            payment.counterparty_iban,
        )

        async def record() -> RecordedPayment:
            outcome: PaymentOutcome = "unmatched"
            invoice_id: str | None = None
            excess = payment.amount  # unmatched: none of it is placed
            reference = payment.structured_reference
            matches = await self.invoices.current("structured_reference", reference)
            if matches:  # references are unique (one block sequence per service)
                invoice_id = matches[0].invoice_id
                counted = await self._count(matches[0], payment)
                outcome, excess = counted.outcome, counted.excess
            recorded = RecordedPayment(
                payment, outcome, invoice_id, excess, fingerprint, self.clock()
            )
            if not await self.payments.add(recorded):
                raise AggregateExists(payment.payment_id)  # a concurrent retry won
            return recorded

        return await idempotency.create_once(
            self.payments, payment.payment_id, fingerprint, record, idempotency_key=idempotency_key
        )

    async def _count(self, invoice: Invoice, payment: Payment) -> ReceivedPayment:
        seen = invoice.received(payment.payment_id)
        if seen is not None:  # a retry after a crash: counted already
            return seen
        counted: list[ReceivedPayment] = []

        def apply(fresh: Invoice) -> None:
            counted.append(
                fresh.record_payment(payment.payment_id, payment.amount, payment.value_date)
            )

        await change(self.invoices, invoice.invoice_id, apply, attempts=CHANGE_ATTEMPTS)
        return counted[-1]  # the attempt that was stored

    async def worklist(self, *, limit: int, offset: int) -> list[RecordedPayment]:
        """Unmatched and overpaid payments, newest first: for staff to place or refund."""
        return await self.payments.worklist(limit=limit, offset=offset)
