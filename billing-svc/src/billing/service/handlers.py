"""Billing use cases: issue an invoice (idempotently), list a member's invoices."""

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from uuid import NAMESPACE_URL, uuid4, uuid5

from mylm_shared.events import CloudEvent, MemberRegisteredV1
from mylm_shared.mongo import Document
from pymongo.errors import DuplicateKeyError

from billing.adapters.repository import BillingRepository
from billing.domain.invoice import Invoice, InvoiceLine
from billing.domain.structured_reference import structured_reference


class UnknownMember(Exception):
    pass


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request."""


@dataclass(frozen=True)
class IssueInvoice:
    member_id: str
    issue_date: date
    due_date: date
    lines: tuple[tuple[date, str, Decimal], ...]

    def fingerprint(self) -> str:
        canonical = json.dumps(
            [
                self.member_id,
                str(self.issue_date),
                str(self.due_date),
                [[str(v) for v in li] for li in self.lines],
            ]
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _invoice_id(issued_by: str, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return str(uuid4())
    # Same caller + same key → same invoice id, so a retry finds (or collides with) the first.
    return str(uuid5(NAMESPACE_URL, f"mylm:invoice:{issued_by}:{idempotency_key}"))


@dataclass
class BillingService:
    repository: BillingRepository

    async def issue_invoice(
        self, command: IssueInvoice, issued_by: str, idempotency_key: str | None
    ) -> tuple[Document, bool]:
        """Returns the stored invoice and whether this call created it."""
        fingerprint = command.fingerprint()
        invoice_id = _invoice_id(issued_by, idempotency_key)
        if idempotency_key is not None:
            existing = await self._replay(invoice_id, fingerprint)
            if existing is not None:
                return existing, False
        draft = Invoice(  # validates every rule before anything is stored or counted
            invoice_id=invoice_id,
            member_id=command.member_id,
            issue_date=command.issue_date,
            due_date=command.due_date,
            lines=tuple(InvoiceLine(*line) for line in command.lines),
            structured_reference="",
        )
        if not await self.repository.member_known(command.member_id):
            raise UnknownMember(command.member_id)
        sequence = await self.repository.next_sequence("structured_reference")
        invoice = replace(draft, structured_reference=structured_reference(sequence))
        try:
            return await self.repository.add_invoice(invoice, fingerprint), True
        except DuplicateKeyError:
            # A concurrent retry with the same key won the race.
            existing = await self._replay(invoice_id, fingerprint)
            assert existing is not None
            return existing, False

    async def _replay(self, invoice_id: str, fingerprint: str) -> Document | None:
        existing = await self.repository.get_invoice_doc(invoice_id)
        if existing is None:
            return None
        if existing["request_fingerprint"] != fingerprint:
            raise IdempotencyConflict(invoice_id)
        return existing

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        """Billing invoices only members it knows (idempotent upsert)."""
        await self.repository.remember_member(member.member_id, member.language, member.mutuality)
