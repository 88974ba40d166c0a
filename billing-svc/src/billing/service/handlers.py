"""Billing use cases: issue an invoice (idempotently), a premium invoice per
``premium.due`` (PC-8), a member's invoices, one invoice, and learning the members it may
invoice. They depend on ports only (fakes in unit tests)."""

import contextlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from mylm_shared.aggregates import AggregateStore
from mylm_shared.events import CloudEvent, MemberRegisteredV1, MemberUpdatedV1, PremiumDueV1
from mylm_shared.failures import MissingDependency
from mylm_shared.kernel import idempotency
from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.projections import event_order
from mylm_shared.sequences import NumberSource

from billing.domain.invoice import Invoice, InvoiceLine, InvoiceStatus
from billing.domain.premium import PremiumDue, premium_invoice, premium_invoice_id
from billing.domain.structured_reference import structured_reference


class KnownMembers(Protocol):
    """billing's projection of the directory (from ``member.registered`` / ``.updated``;
    ``as_of`` orders the states, see ``mylm_shared.projections``)."""

    async def remember(self, member_id: str, language: str, mutuality: str, as_of: str) -> None:
        """The first state; never over a later one."""

    async def update(self, member_id: str, language: str, mutuality: str, as_of: str) -> None:
        """A later state; never over a newer one."""

    async def known(self, member_id: str) -> bool: ...

    async def language_of(self, member_id: str) -> str | None:
        """None while the member is unknown."""


class UnknownMember(Exception):
    pass


class MemberNotKnownYet(MissingDependency):
    """``premium.due`` before the policyholder's ``member.registered`` (another topic, no
    order across topics): retried until billing knows them, not dead-lettered at once."""


@dataclass(frozen=True)
class IssueInvoice:
    member_id: str
    issue_date: date
    due_date: date
    lines: tuple[tuple[date, str, Decimal], ...]

    def fingerprint(self) -> str:
        return idempotency.fingerprint(self.member_id, self.issue_date, self.due_date, self.lines)


@dataclass
class BillingService:
    invoices: AggregateStore[Invoice]
    members: KnownMembers
    references: NumberSource

    async def issue_invoice(
        self, command: IssueInvoice, issued_by: str, idempotency_key: str | None
    ) -> tuple[Invoice, bool]:
        """Returns the invoice and whether this call created it: the same caller and
        Idempotency-Key replay it, with another request they raise ``IdempotencyConflict``
        (``mylm_shared.kernel.idempotency``)."""
        invoice_id = idempotency.derived_id("invoice", idempotency_key, caller=issued_by)
        fingerprint = command.fingerprint()

        async def issue() -> Invoice:
            invoice = Invoice(  # validates every rule before anything is stored or counted
                invoice_id=invoice_id,
                member_id=command.member_id,
                issue_date=command.issue_date,
                due_date=command.due_date,
                lines=tuple(InvoiceLine(*line) for line in command.lines),
                structured_reference="",
                request_fingerprint=fingerprint,
            )
            if not await self.members.known(command.member_id):
                raise UnknownMember(command.member_id)
            invoice.issue(structured_reference(await self.references.next()))
            await self.invoices.save(invoice)
            return invoice

        return await idempotency.create_once(
            self.invoices, invoice_id, fingerprint, issue, idempotency_key=idempotency_key
        )

    async def on_premium_due(self, event: CloudEvent, due: PremiumDueV1) -> None:
        """PC-8: invoice the policyholder for a term's premium, once per (policy, term):
        a redelivery or a repeated request finds the first invoice and does nothing. An
        amendment's adjustment (``adjustment_of``, PC-7) is invoiced once per (policy,
        term, amendment), beside the term's premium."""
        invoice_id = premium_invoice_id(due.policy_id, due.term_number, due.adjustment_of)
        if await self.invoices.get(invoice_id) is not None:
            return  # checked before a reference number is spent on a duplicate
        language = await self.members.language_of(due.member_id)
        if language is None:
            raise MemberNotKnownYet(due.member_id)
        premium = due.premium
        request = PremiumDue(
            due.policy_id,
            due.member_id,
            due.term_number,
            due.due_date,
            premium.net,
            premium.taxes,
            premium.contributions,
            premium.total,
            due.adjustment_of,
        )
        invoice = premium_invoice(request, language, requested_on=event.time.date())
        invoice.issue(structured_reference(await self.references.next()))
        with contextlib.suppress(AggregateExists):  # a concurrent duplicate stored it first
            await self.invoices.save(invoice)

    async def invoices_of(
        self, member_id: str, *, status: InvoiceStatus | None, limit: int, offset: int
    ) -> list[Invoice]:
        """Newest first (EI-1); the caller checked access to the member's dossier."""
        invoices = await self.invoices.current("member_id", member_id)
        if status is not None:
            invoices = [invoice for invoice in invoices if invoice.status == status]
        invoices.sort(key=lambda invoice: invoice.invoice_id)
        invoices.sort(key=lambda invoice: invoice.issue_date, reverse=True)
        return invoices[offset : offset + limit]

    async def invoice(self, invoice_id: str) -> Invoice | None:
        return await self.invoices.get(invoice_id)

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        """Billing invoices only members it knows (idempotent: inserted once)."""
        as_of = event_order(event)
        await self.members.remember(member.member_id, member.language, member.mutuality, as_of)

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """The member's language and mutuality as the directory now has them (a
        redelivered older event changes nothing)."""
        as_of = event_order(event)
        await self.members.update(member.member_id, member.language, member.mutuality, as_of)
