"""Payments on in-memory fakes (PC-4 needs ``invoice.paid`` exactly once): the invoice
counts each payment once, settles at its total, keeps the remainder open, records an
excess; unknown references and overpayments go to the worklist; references and IBANs are
validated and normalised."""

import asyncio
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from billing.domain.invoice import Invoice, InvoiceLine, InvoicePaid
from billing.domain.payment import (
    InvalidPayment,
    Payment,
    normalise_iban,
    normalise_reference,
)
from billing.domain.structured_reference import structured_reference
from billing.service.payments import PaymentsService, ReceivePayment
from mylm_shared.events import INVOICE_PAID, InvoicePaidV1
from mylm_shared.kernel.idempotency import IdempotencyConflict

from testkit.fakes.billing import BillingFakes, FakeJournal
from testkit.fakes.shared import InMemoryAggregates

REFERENCE = structured_reference(4242)
IBAN = "BE71096123456769"


def invoice(total: str = "20.00") -> Invoice:
    line = InvoiceLine(date(2026, 11, 2), "Consultatie", Decimal(total))
    return Invoice("i-1", "m-1", date(2026, 11, 23), date(2026, 12, 23), (line,), REFERENCE)


async def service() -> tuple[PaymentsService, InMemoryAggregates[Invoice], FakeJournal]:
    fakes = BillingFakes()
    await fakes.invoices.save(invoice())
    return fakes.use_cases().payments, fakes.invoices, fakes.payments


def paying(amount: str, reference: str = REFERENCE) -> ReceivePayment:
    return ReceivePayment(reference, Decimal(amount), date(2026, 12, 1), IBAN)


# --- the Invoice aggregate ---------------------------------------------------------


def test_a_payment_of_the_total_settles_and_raises_invoice_paid_once() -> None:
    bill = invoice()
    counted = bill.record_payment("p-1", Decimal("20.00"), date(2026, 12, 1))
    assert counted.outcome == "settled"
    assert (bill.status, bill.paid, bill.outstanding) == ("paid", Decimal("20.00"), Decimal("0"))
    assert [type(e) for e in bill.events] == [InvoicePaid]
    assert bill.record_payment("p-1", Decimal("20.00"), date(2026, 12, 1)) == counted
    assert len(bill.events) == 1  # the same payment again changes nothing


def test_partial_payments_keep_it_open_until_their_sum_reaches_the_total() -> None:
    bill = invoice()
    assert bill.record_payment("p-1", Decimal("7.50"), date(2026, 12, 1)).outcome == "partial"
    assert (bill.status, bill.outstanding) == ("open", Decimal("12.50"))
    assert bill.events == []
    assert bill.record_payment("p-2", Decimal("12.50"), date(2026, 12, 2)).outcome == "settled"
    assert bill.status == "paid"
    paid = bill.events[0]
    assert isinstance(paid, InvoicePaid)
    assert paid.paid_on == date(2026, 12, 2)  # the value date of the settling payment


def test_more_than_outstanding_settles_and_records_the_excess() -> None:
    bill = invoice()
    counted = bill.record_payment("p-1", Decimal("25.00"), date(2026, 12, 1))
    assert (counted.outcome, counted.excess) == ("overpaid", Decimal("5.00"))
    assert bill.status == "paid"
    assert len(bill.events) == 1
    again = bill.record_payment("p-2", Decimal("3.00"), date(2026, 12, 3))  # paid already
    assert (again.outcome, again.excess) == ("overpaid", Decimal("3.00"))
    assert len(bill.events) == 1  # no second invoice.paid
    assert (bill.paid, bill.outstanding) == (Decimal("28.00"), Decimal("0.00"))


# --- validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["+++123/4567/89002+++", "***123/4567/89002***", "123456789002", "123/4567/89002"]
)
def test_structured_references_are_accepted_in_every_usual_form(raw: str) -> None:
    assert normalise_reference(raw) == "+++123/4567/89002+++"


@pytest.mark.parametrize(
    "raw",
    ["+++123/4567/89003+++", "12345678900", "1234567890021", "abc", "１２３４５６７８９００２"],
)
def test_bad_structured_references_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPayment, match="structured reference"):
        normalise_reference(raw)


def test_ibans_are_checked_and_kept_compact() -> None:
    assert normalise_iban("BE71 0961 2345 6769") == IBAN
    with pytest.raises(InvalidPayment, match="IBAN"):
        normalise_iban("BE71 0961 2345 6760")


@pytest.mark.parametrize("amount", ["0", "0.00", "-1.00", "1.005", "NaN"])
def test_an_amount_is_positive_whole_cents(amount: str) -> None:
    with pytest.raises(InvalidPayment, match="amount"):
        Payment("p-1", REFERENCE, Decimal(amount), date(2026, 12, 1), IBAN)


# --- use cases ---------------------------------------------------------------------


async def test_a_full_payment_settles_and_invoice_paid_is_published_once() -> None:
    payments, store, _ = await service()
    record, created = await payments.receive(paying("20.00"), "bank-1")
    assert created
    assert (record.outcome, record.invoice_id) == ("settled", "i-1")
    assert [m.spec for m in store.published] == [INVOICE_PAID]
    event = store.published[0].payload
    assert isinstance(event, InvoicePaidV1)
    assert (event.paid_total, event.paid_on, event.kind) == (
        Decimal("20.00"),
        date(2026, 12, 1),
        "care",
    )
    assert store.published[0].subject == "m-1"
    assert await payments.worklist(limit=10, offset=0) == []


async def test_a_replayed_payment_counts_once_and_answers_the_same() -> None:
    payments, store, _ = await service()
    first, _ = await payments.receive(paying("7.50"), "bank-1")
    again, created = await payments.receive(paying("7.50"), "bank-1")
    assert not created
    assert again == first
    current = await store.get("i-1")
    assert current is not None and current.paid == Decimal("7.50")
    with pytest.raises(IdempotencyConflict):
        await payments.receive(paying("8.00"), "bank-1")


async def test_a_replay_across_releases_still_names_and_matches_the_stored_payment() -> None:
    """Issue 17 item 3 (``mylm_shared.kernel.idempotency``): the payment id (the bank's key alone)
    and the request's fingerprint are those earlier releases stored."""
    payments, _, journal = await service()
    record, _ = await payments.receive(paying("7.50"), "bank-1")
    assert record.payment.payment_id == "fd96ad23-a937-5f74-90da-96a4fa5d4afb"
    pinned = "02dc80adae586866ef7e579c68b8c567c350e10d8154a86f4b32ae7e77a88411"
    assert journal.records[record.payment.payment_id].request_fingerprint == pinned


async def test_a_retry_after_a_crash_between_the_two_writes_counts_once() -> None:
    """The invoice counted the payment, the payment document was never written."""
    payments, store, journal = await service()
    await payments.receive(paying("7.50"), "bank-1")
    journal.records.clear()  # as if the process died before inserting it
    record, created = await payments.receive(paying("7.50"), "bank-1")
    assert created and record.outcome == "partial"
    current = await store.get("i-1")
    assert current is not None and current.paid == Decimal("7.50")


async def test_unknown_references_and_overpayments_land_in_the_worklist() -> None:
    payments, _, _ = await service()
    unknown, _ = await payments.receive(paying("9.99", structured_reference(1)), None)
    over, _ = await payments.receive(paying("30.00"), None)
    assert (unknown.outcome, unknown.invoice_id, unknown.excess) == (
        "unmatched",
        None,
        Decimal("9.99"),
    )
    assert (over.outcome, over.excess) == ("overpaid", Decimal("10.00"))
    listed = await payments.worklist(limit=10, offset=0)
    assert {r.payment.payment_id for r in listed} == {
        unknown.payment.payment_id,
        over.payment.payment_id,
    }


async def test_invalid_payments_store_nothing() -> None:
    payments, store, journal = await service()
    for bad in (paying("0.00"), paying("5.00", "+++123/4567/89003+++")):
        with pytest.raises(InvalidPayment):
            await payments.receive(bad, None)
    with pytest.raises(InvalidPayment):
        await payments.receive(replace(paying("5.00"), counterparty_iban="BE00"), None)
    assert journal.records == {}
    assert len(store.documents) == 1 and store.published == []


async def test_concurrent_partial_payments_all_count() -> None:
    payments, store, _ = await service()
    await asyncio.gather(*(payments.receive(paying("0.40"), None) for _ in range(50)))
    current = await store.get("i-1")
    assert current is not None
    assert (current.paid, current.status) == (Decimal("20.00"), "paid")
    assert [m.spec for m in store.published] == [INVOICE_PAID]
