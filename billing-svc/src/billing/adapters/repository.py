"""billing-svc's Mongo database: invoices (versioned, with their outbox), the members it
knows (from ``member.registered`` / ``member.updated``) and the blocks of
structured-reference numbers, and each invoice's PDF as first rendered (insert-only)."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from decimal import Decimal

from mylm_shared.aggregates import Message, MongoAggregates, store_indexes
from mylm_shared.events import (
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    INVOICE_OVERDUE,
    INVOICE_PAID,
    INVOICE_PRINT_REQUESTED,
    INVOICE_REMINDER_DUE,
    InvoiceCancelledV1,
    InvoiceIssuedV1,
    InvoiceLineV1,
    InvoiceOverdueV1,
    InvoicePaidV1,
    InvoicePrintRequestedV1,
    InvoiceReminderDueV1,
    PostalAddressV1,
)
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.projections import apply_newer, insert_first
from mylm_shared.sequences import SEQUENCE_BLOCKS, SEQUENCE_INDEX, BlockSequence
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from billing.adapters.payments import PAYMENT_INDEXES
from billing.domain.invoice import (
    CreditNote,
    Invoice,
    InvoiceCancelled,
    InvoiceIssued,
    InvoiceLine,
    InvoiceOverdue,
    InvoicePaid,
    InvoicePrintRequested,
    ReceivedPayment,
    ReminderDue,
)
from billing.domain.invoice_document import PostalAddress
from billing.service.ports import MemberCard, MemberDetails

INVOICES = "invoices"
MEMBERS = "members"
INVOICE_PDFS = "invoice_pdfs"

INDEXES: list[IndexSpec] = [
    # structured_reference: payments find their invoice by it
    *store_indexes(INVOICES, "member_id", "structured_reference"),
    SEQUENCE_INDEX,
    *PAYMENT_INDEXES,
    # a titular's dependants (the beneficiaries of their invoices' lines, issue 18)
    IndexSpec(MEMBERS, [("titular_member_id", 1)]),
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
                    "beneficiary_id": line.beneficiary_id,
                    "care_code": line.care_code,
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
            "channel": invoice.channel,
            "reminders_requested": list(invoice.reminders_requested),
            "print_requested": invoice.print_requested,
            "credit_note": _credit_note_document(invoice.credit_note),
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
                    li.get("beneficiary_id") or "",
                    li.get("care_code"),
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
            # invoices stored before issue 18: electronic, nothing reminded nor printed
            channel=doc.get("channel", "electronic"),
            reminders_requested=tuple(doc.get("reminders_requested", ())),
            print_requested=bool(doc.get("print_requested", False)),
            credit_note=_credit_note(doc.get("credit_note")),
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
                            beneficiary_id=li.beneficiary(invoice.member_id),
                            care_code=li.care_code,
                        )
                        for li in invoice.lines
                    ],
                    kind=invoice.kind,
                    policy_id=invoice.policy_id,
                    term_number=invoice.term_number,
                    channel=invoice.channel,
                )
                return [Message(INVOICE_ISSUED, payload, invoice.member_id)]
            case InvoiceCancelled(invoice=invoice, credit_note=note):
                cancelled = InvoiceCancelledV1(
                    invoice_id=invoice.invoice_id,
                    member_id=invoice.member_id,
                    structured_reference=invoice.structured_reference,
                    credit_note_id=note.credit_note_id,
                    amount=note.amount,
                    refund_due=note.refund_due,
                    reason=note.reason,
                    cancelled_at=note.issued_at,
                    kind=invoice.kind,
                    policy_id=invoice.policy_id,
                    term_number=invoice.term_number,
                )
                return [Message(INVOICE_CANCELLED, cancelled, invoice.member_id)]
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
            # issue 18 items 3 and 4 (EI-2, EI-3, EI-5): billing/service/einvoicing.py, dunning.py
            case InvoicePrintRequested():
                return [_print_requested(event)]
            case InvoiceOverdue() | ReminderDue():
                return [_dunning_message(event)]
        raise TypeError(f"no bus message for {event!r}")


def _print_requested(event: InvoicePrintRequested) -> Message:
    """rule EI-2, EI-3: what the print shop needs (the PDF is billing's, by reference)."""
    invoice = event.invoice
    # The printed invoice is in nl or fr (de reads fr, as the PDF does).
    language = "nl" if event.language == "nl" else "fr"
    payload = InvoicePrintRequestedV1(
        invoice_id=invoice.invoice_id,
        member_id=invoice.member_id,
        language=language,
        mutuality=event.mutuality,
        pdf=f"/v1/invoices/{invoice.invoice_id}.pdf",
        structured_reference=invoice.structured_reference,
        total=invoice.total,
        due_date=invoice.due_date,
        member_name=event.member_name,
        # issue 18 item 3: never dropped; with no known address the print shop is told so
        address=PostalAddressV1(**asdict(event.address)) if event.address else None,
        address_missing=event.address is None,
    )
    return Message(INVOICE_PRINT_REQUESTED, payload, invoice.member_id)


def _dunning_message(event: InvoiceOverdue | ReminderDue) -> Message:
    """rule EI-5: ``invoice.overdue`` and ``invoice.reminder_due`` (with its level)."""
    invoice = event.invoice
    if isinstance(event, InvoiceOverdue):
        overdue = InvoiceOverdueV1(
            invoice_id=invoice.invoice_id,
            member_id=invoice.member_id,
            structured_reference=invoice.structured_reference,
            due_date=invoice.due_date,
            overdue_on=event.overdue_on,
            outstanding=invoice.outstanding,
        )
        return Message(INVOICE_OVERDUE, overdue, invoice.member_id)
    reminder = InvoiceReminderDueV1(
        invoice_id=invoice.invoice_id,
        member_id=invoice.member_id,
        level=event.level,
        due_on=event.due_on,
        structured_reference=invoice.structured_reference,
        due_date=invoice.due_date,
        outstanding=invoice.outstanding,
        channel=event.channel,
    )
    return Message(INVOICE_REMINDER_DUE, reminder, invoice.member_id)


class MongoMembers:
    """The members billing may invoice. ``member.registered`` only inserts; only the
    ``member.updated`` consumer, whose Kafka key is the member id, writes a document in
    place, and never over a newer state (``mylm_shared.projections``). Also the names
    and the titular (issue 18: a line's beneficiary, the printed invoice)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._members = db[MEMBERS]

    async def remember(
        self,
        member_id: str,
        language: str,
        mutuality: str,
        as_of: str,
        *,
        details: MemberDetails | None = None,
    ) -> None:
        await insert_first(self._members, member_id, _member(language, mutuality, details), as_of)

    async def update(
        self,
        member_id: str,
        language: str,
        mutuality: str,
        as_of: str,
        *,
        details: MemberDetails | None = None,
    ) -> None:
        await apply_newer(self._members, member_id, _member(language, mutuality, details), as_of)

    async def known(self, member_id: str) -> bool:
        return await self._members.find_one({"_id": member_id}, {"_id": 1}) is not None

    async def language_of(self, member_id: str) -> str | None:
        doc = await self._members.find_one({"_id": member_id}, {"language": 1})
        return str(doc.get("language") or "nl") if doc else None

    async def card(self, member_id: str) -> MemberCard | None:
        doc = await self._members.find_one({"_id": member_id})
        if doc is None:
            return None
        return MemberCard(
            member_id=member_id,
            language=str(doc.get("language") or "nl"),
            mutuality=str(doc.get("mutuality") or ""),
            first_name=str(doc.get("first_name") or ""),
            last_name=str(doc.get("last_name") or ""),
            titular_member_id=doc.get("titular_member_id"),
            address=PostalAddress(**doc["address"]) if doc.get("address") else None,
        )

    async def dependants_of(self, member_id: str) -> frozenset[str]:
        found = self._members.find({"titular_member_id": member_id}, {"_id": 1})
        return frozenset([str(doc["_id"]) async for doc in found])


def _member(language: str, mutuality: str, details: MemberDetails | None = None) -> Document:
    fields: Document = {"language": language, "mutuality": mutuality}
    if details is not None:
        fields |= {
            "first_name": details.first_name,
            "last_name": details.last_name,
            "titular_member_id": details.titular_member_id,
            "address": asdict(details.address) if details.address else None,
        }
    return fields | {"updated_at": datetime.now(UTC)}


class MongoInvoicePdfs:
    """``InvoicePdfs``: one document per invoice (``_id`` = invoice id), inserted once;
    a duplicate key means another download stored it first, and its bytes are answered."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._pdfs = db[INVOICE_PDFS]

    async def get(self, invoice_id: str) -> bytes | None:
        doc = await self._pdfs.find_one({"_id": invoice_id})
        return bytes(doc["pdf"]) if doc else None

    async def add(self, invoice_id: str, pdf: bytes) -> bytes:
        try:
            await self._pdfs.insert_one(
                {"_id": invoice_id, "pdf": pdf, "stored_at": datetime.now(UTC)}
            )
        except DuplicateKeyError:
            stored = await self.get(invoice_id)
            if stored is not None:
                return stored
            raise
        return pdf


def _credit_note_document(note: CreditNote | None) -> Document | None:
    if note is None:
        return None
    return {
        "credit_note_id": note.credit_note_id,
        "invoice_id": note.invoice_id,
        "member_id": note.member_id,
        "amount": str(note.amount),
        "refund_due": str(note.refund_due),
        "reason": note.reason,
        "issued_by": note.issued_by,
        "issued_at": note.issued_at.isoformat(),
    }


def _credit_note(doc: Document | None) -> CreditNote | None:
    if not doc:
        return None
    return CreditNote(
        credit_note_id=doc["credit_note_id"],
        invoice_id=doc["invoice_id"],
        member_id=doc["member_id"],
        amount=Decimal(doc["amount"]),
        refund_due=Decimal(doc["refund_due"]),
        reason=doc["reason"],
        issued_by=doc["issued_by"],
        issued_at=datetime.fromisoformat(doc["issued_at"]),
    )


def invoice_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[Invoice]:
    return MongoAggregates(db[INVOICES], InvoiceMapper(), source)


def reference_numbers(db: AsyncDatabase[Document]) -> BlockSequence:
    return BlockSequence(db[SEQUENCE_BLOCKS], "structured_reference")
