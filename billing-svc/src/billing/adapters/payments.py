"""billing-svc's payments: insert-only documents, ``_id`` = payment id (a replay of the
same payment collides instead of counting twice). Unmatched and overpaid payments carry
``worklist: true`` — a field that never changes, so staff's worklist is one equality."""

from datetime import date
from decimal import Decimal

from mylm_shared.mongo import Document, IndexSpec
from pymongo import DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from billing.domain.payment import Payment, RecordedPayment

PAYMENTS = "payments"
PAYMENT_INDEXES = [IndexSpec(PAYMENTS, [("worklist", 1)])]


class MongoPayments:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._payments = db[PAYMENTS]

    async def get(self, payment_id: str) -> RecordedPayment | None:
        doc = await self._payments.find_one({"_id": payment_id})
        return None if doc is None else _record(doc)

    async def add(self, record: RecordedPayment) -> bool:
        """Store it once; False when that payment id is stored already."""
        try:
            await self._payments.insert_one(_document(record))
        except DuplicateKeyError:
            return False
        return True

    async def worklist(self, *, limit: int, offset: int) -> list[RecordedPayment]:
        found = (
            self._payments.find({"worklist": True})
            .sort([("recorded_at", DESCENDING), ("_id", DESCENDING)])
            .skip(offset)
            .limit(limit)
        )
        return [_record(doc) for doc in await found.to_list()]


def _document(record: RecordedPayment) -> Document:
    payment = record.payment
    return {
        "_id": payment.payment_id,
        "structured_reference": payment.structured_reference,
        "amount": str(payment.amount),
        "value_date": payment.value_date.isoformat(),
        "counterparty_iban": payment.counterparty_iban,
        "outcome": record.outcome,
        "invoice_id": record.invoice_id,
        "excess": str(record.excess),
        "fingerprint": record.request_fingerprint,
        "recorded_at": record.recorded_at,
        "worklist": record.needs_review,
    }


def _record(doc: Document) -> RecordedPayment:
    payment = Payment(
        doc["_id"],
        doc["structured_reference"],
        Decimal(doc["amount"]),
        date.fromisoformat(doc["value_date"]),
        doc["counterparty_iban"],
    )
    return RecordedPayment(
        payment,
        doc["outcome"],
        doc["invoice_id"],
        Decimal(doc["excess"]),
        doc["fingerprint"],
        doc["recorded_at"],
    )
