"""billing-svc's Mongo database: invoices (with their outbox), known members, sequences."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from mylm_shared.events import INVOICE_ISSUED, InvoiceIssuedV1, InvoiceLineV1, new_event
from mylm_shared.mongo import Document, IndexSpec, retry_on_conflict
from mylm_shared.outbox import insert_with_events, outbox_entry, strip_outbox
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from billing.domain.invoice import Invoice, InvoiceLine

INVOICES = "invoices"
MEMBERS = "members"
SEQUENCES = "sequences"

INDEXES = [
    IndexSpec(INVOICES, [("member_id", 1), ("issue_date", -1)]),
]


def _invoice_doc(invoice: Invoice, fingerprint: str) -> Document:
    return {
        "_id": invoice.invoice_id,
        "member_id": invoice.member_id,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "lines": [
            {
                "service_date": line.service_date.isoformat(),
                "description": line.description,
                "amount": str(line.amount),
            }
            for line in invoice.lines
        ],
        "total": str(invoice.total),
        "structured_reference": invoice.structured_reference,
        "status": invoice.status,
        "request_fingerprint": fingerprint,
        "created_at": datetime.now(UTC),
    }


def invoice_from_doc(doc: Document) -> Invoice:
    return Invoice(
        invoice_id=doc["_id"],
        member_id=doc["member_id"],
        issue_date=date.fromisoformat(doc["issue_date"]),
        due_date=date.fromisoformat(doc["due_date"]),
        lines=tuple(
            InvoiceLine(
                date.fromisoformat(li["service_date"]), li["description"], Decimal(li["amount"])
            )
            for li in doc["lines"]
        ),
        structured_reference=doc["structured_reference"],
        status=doc["status"],
    )


class BillingRepository:
    def __init__(self, db: AsyncDatabase[Document], source: str) -> None:
        self._invoices = db[INVOICES]
        self._members = db[MEMBERS]
        self._sequences = db[SEQUENCES]
        self._source = source

    async def add_invoice(self, invoice: Invoice, fingerprint: str) -> Document:
        """The invoice and its ``invoice.issued`` event, in one atomic insert (outbox);
        returns the stored document (without its outbox)."""
        event = new_event(
            INVOICE_ISSUED,
            InvoiceIssuedV1(
                invoice_id=invoice.invoice_id,
                member_id=invoice.member_id,
                issue_date=invoice.issue_date,
                due_date=invoice.due_date,
                total=invoice.total,
                structured_reference=invoice.structured_reference,
                lines=[
                    InvoiceLineV1(
                        service_date=li.service_date, description=li.description, amount=li.amount
                    )
                    for li in invoice.lines
                ],
            ),
            source=self._source,
            subject=invoice.member_id,
        )
        document = _invoice_doc(invoice, fingerprint)
        await insert_with_events(
            self._invoices, document, outbox_entry(INVOICE_ISSUED.topic, event)
        )
        return document

    async def get_invoice_doc(self, invoice_id: str) -> Document | None:
        doc = await self._invoices.find_one({"_id": invoice_id})
        return strip_outbox(doc) if doc else None

    async def list_invoice_docs(
        self, member_id: str, *, status: str | None, limit: int, offset: int
    ) -> list[Document]:
        query: dict[str, Any] = {"member_id": member_id}
        if status:
            query["status"] = status
        cursor = (
            self._invoices.find(query)
            .sort([("issue_date", -1), ("_id", 1)])
            .skip(offset)
            .limit(limit)
        )
        return [strip_outbox(d) for d in await cursor.to_list()]

    async def next_sequence(self, name: str) -> int:
        try:
            counter = await self._increment(name)
        except DuplicateKeyError:
            # Two first-ever upserts raced to create the counter; it exists now.
            counter = await self._increment(name)
        assert counter is not None
        return int(counter["value"])

    async def _increment(self, name: str) -> Document | None:
        return await retry_on_conflict(
            lambda: self._sequences.find_one_and_update(
                {"_id": name},
                {"$inc": {"value": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        )

    async def remember_member(self, member_id: str, language: str, mutuality: str) -> None:
        await self._members.update_one(
            {"_id": member_id},
            {
                "$set": {
                    "language": language,
                    "mutuality": mutuality,
                    "updated_at": datetime.now(UTC),
                }
            },
            upsert=True,
        )

    async def member_known(self, member_id: str) -> bool:
        return await self._members.find_one({"_id": member_id}, {"_id": 1}) is not None
