"""billing-svc's Mongo database: invoices (versioned, with their outbox), the members it
knows (from ``member.registered`` / ``member.updated``) and the blocks of
structured-reference numbers."""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from mylm_shared.aggregates import Message, MongoAggregates, store_indexes
from mylm_shared.events import (
    INVOICE_ISSUED,
    INVOICE_PAID,
    InvoiceIssuedV1,
    InvoiceLineV1,
    InvoicePaidV1,
)
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.projections import apply_newer, insert_first
from mylm_shared.sequences import SEQUENCE_BLOCKS, SEQUENCE_INDEX, BlockSequence
from pymongo.asynchronous.database import AsyncDatabase

from billing.adapters.payments import PAYMENT_INDEXES
from billing.domain.invoice import (
    Invoice,
    InvoiceIssued,
    InvoiceLine,
    InvoicePaid,
    ReceivedPayment,
)

INVOICES = "invoices"
MEMBERS = "members"

INDEXES: list[IndexSpec] = [
    # structured_reference: payments find their invoice by it
    *store_indexes(INVOICES, "member_id", "structured_reference"),
    SEQUENCE_INDEX,
    *PAYMENT_INDEXES,
]


class InvoiceMapper:
    """Invoice ↔ stored document, and what its domain events say on the bus."""

    def to_document(self, invoice: Invoice) -> Document:
        return {
            "invoice_id": invoice.invoice_id,
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
            "request_fingerprint": invoice.request_fingerprint,
            "kind": invoice.kind,
            "policy_id": invoice.policy_id,
            "term_number": invoice.term_number,
            "adjustment_of": invoice.adjustment_of,
            "payments": [
                {
                    "payment_id": p.payment_id,
                    "amount": str(p.amount),
                    "value_date": p.value_date.isoformat(),
                    "outcome": p.outcome,
                    "excess": str(p.excess),
                }
                for p in invoice.payments
            ],
        }

    def from_document(self, doc: Document) -> Invoice:
        return Invoice(
            invoice_id=doc["invoice_id"],
            member_id=doc["member_id"],
            issue_date=date.fromisoformat(doc["issue_date"]),
            due_date=date.fromisoformat(doc["due_date"]),
            lines=tuple(
                InvoiceLine(
                    date.fromisoformat(li["service_date"]),
                    li["description"],
                    Decimal(li["amount"]),
                )
                for li in doc["lines"]
            ),
            structured_reference=doc["structured_reference"],
            status=doc["status"],
            request_fingerprint=doc.get("request_fingerprint", ""),
            # invoices stored before payments existed: care invoices, nothing received
            kind=doc.get("kind", "care"),
            policy_id=doc.get("policy_id"),
            term_number=doc.get("term_number"),
            adjustment_of=doc.get("adjustment_of"),
            payments=tuple(
                ReceivedPayment(
                    p["payment_id"],
                    Decimal(p["amount"]),
                    date.fromisoformat(p["value_date"]),
                    p["outcome"],
                    Decimal(p["excess"]),
                )
                for p in doc.get("payments", ())
            ),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        match event:
            case InvoiceIssued(invoice=invoice):
                payload = InvoiceIssuedV1(
                    invoice_id=invoice.invoice_id,
                    member_id=invoice.member_id,
                    issue_date=invoice.issue_date,
                    due_date=invoice.due_date,
                    total=invoice.total,
                    structured_reference=invoice.structured_reference,
                    lines=[
                        InvoiceLineV1(
                            service_date=li.service_date,
                            description=li.description,
                            amount=li.amount,
                        )
                        for li in invoice.lines
                    ],
                    kind=invoice.kind,
                    policy_id=invoice.policy_id,
                    term_number=invoice.term_number,
                )
                return [Message(INVOICE_ISSUED, payload, invoice.member_id)]
            case InvoicePaid(invoice=invoice, paid_on=paid_on):
                paid = InvoicePaidV1(
                    invoice_id=invoice.invoice_id,
                    member_id=invoice.member_id,
                    structured_reference=invoice.structured_reference,
                    paid_total=invoice.paid,
                    paid_on=paid_on,
                    kind=invoice.kind,
                    policy_id=invoice.policy_id,
                    term_number=invoice.term_number,
                    adjustment_of=invoice.adjustment_of,
                )
                return [Message(INVOICE_PAID, paid, invoice.member_id)]
        raise TypeError(f"no bus message for {event!r}")


class MongoMembers:
    """The members billing may invoice. ``member.registered`` only inserts; only the
    ``member.updated`` consumer, whose Kafka key is the member id, writes a document in
    place, and never over a newer state (``mylm_shared.projections``)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._members = db[MEMBERS]

    async def remember(self, member_id: str, language: str, mutuality: str, as_of: str) -> None:
        await insert_first(self._members, member_id, _member(language, mutuality), as_of)

    async def update(self, member_id: str, language: str, mutuality: str, as_of: str) -> None:
        await apply_newer(self._members, member_id, _member(language, mutuality), as_of)

    async def known(self, member_id: str) -> bool:
        return await self._members.find_one({"_id": member_id}, {"_id": 1}) is not None

    async def language_of(self, member_id: str) -> str | None:
        doc = await self._members.find_one({"_id": member_id}, {"language": 1})
        return str(doc.get("language") or "nl") if doc else None


def _member(language: str, mutuality: str) -> Document:
    return {"language": language, "mutuality": mutuality, "updated_at": datetime.now(UTC)}


def invoice_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[Invoice]:
    return MongoAggregates(db[INVOICES], InvoiceMapper(), source)


def reference_numbers(db: AsyncDatabase[Document]) -> BlockSequence:
    return BlockSequence(db[SEQUENCE_BLOCKS], "structured_reference")
