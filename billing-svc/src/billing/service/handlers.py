"""Billing use cases: issue an invoice (idempotently), a premium invoice per
``premium.due`` (PC-8), a member's invoices, one invoice, and learning the members it may
invoice. They depend on ports only (fakes in unit tests).

Issue 18: lines for the member or a dependant (EI-1), the channel read at issue (EI-2,
EI-3), cancellation by a credit note, the member's invoices by cursor and filters, the
last invoice's lines."""

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Protocol

from mylm_shared.aggregates import AggregateStore
from mylm_shared.events import CloudEvent, MemberRegisteredV1, MemberUpdatedV1, PremiumDueV1
from mylm_shared.failures import MissingDependency
from mylm_shared.kernel import idempotency
from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.projections import event_order
from mylm_shared.sequences import NumberSource

from billing.domain.invoice import CreditNote, Invoice, InvoiceLine, InvoiceStatus
from billing.domain.invoice_document import PostalAddress
from billing.domain.invoice_lines import Channel, DetailedLine, check_lines, credit_note
from billing.domain.invoice_queries import InvoiceFilter, Page, ordered, page
from billing.domain.premium import PremiumDue, premium_invoice, premium_invoice_id
from billing.domain.structured_reference import structured_reference
from billing.service.ports import EInvoicingChannels, MemberCards, MemberDetails

# A line as the issue command carries it: (service date, description, amount) or with
# (beneficiary id, care code) after it (issue 18 item 1).
LineInput = tuple[date, str, Decimal] | tuple[date, str, Decimal, str, str | None]


def utc_now() -> datetime:
    return datetime.now(UTC)


class KnownMembers(MemberCards, Protocol):
    """billing's projection of the directory (from ``member.registered`` / ``.updated``;
    ``as_of`` orders the states, see ``mylm_shared.projections``)."""

    async def remember(
        self,
        member_id: str,
        language: str,
        mutuality: str,
        as_of: str,
        *,
        details: MemberDetails | None = None,
    ) -> None:
        """The first state; never over a later one."""

    async def update(
        self,
        member_id: str,
        language: str,
        mutuality: str,
        as_of: str,
        *,
        details: MemberDetails | None = None,
    ) -> None:
        """A later state; never over a newer one."""

    async def known(self, member_id: str) -> bool: ...

    async def language_of(self, member_id: str) -> str | None:
        """None while the member is unknown."""


class UnknownMember(Exception):
    pass


class NoSuchInvoice(LookupError):
    """No invoice by that id, or none the caller may see (the same answer: 404)."""


class MemberNotKnownYet(MissingDependency):
    """``premium.due`` before the policyholder's ``member.registered`` (another topic, no
    order across topics): retried until billing knows them, not dead-lettered at once."""


@dataclass(frozen=True)
class IssueInvoice:
    member_id: str
    issue_date: date
    due_date: date
    lines: tuple[LineInput, ...]

    def fingerprint(self) -> str:
        return idempotency.fingerprint(self.member_id, self.issue_date, self.due_date, self.lines)


@dataclass
class BillingService:
    invoices: AggregateStore[Invoice]
    members: KnownMembers
    references: NumberSource
    # rule EI-2/EI-3: the member's channel at issue; None (not wired): "electronic".
    channels: EInvoicingChannels | None = None
    clock: Callable[[], datetime] = utc_now

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
            # Two independent reads, one round trip's wait (issue 18: `make bench`).
            known, channel = await asyncio.gather(
                self.members.known(command.member_id), self._channel_of(command.member_id)
            )
            if not known:
                raise UnknownMember(command.member_id)
            await self._check_beneficiaries(invoice)
            invoice.issue(structured_reference(await self.references.next()), channel)
            await self._request_print(invoice)
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
        channel = await self._channel_of(due.member_id)  # EI-2/EI-3: premiums follow too
        invoice.issue(structured_reference(await self.references.next()), channel)
        await self._request_print(invoice)
        with contextlib.suppress(AggregateExists):  # a concurrent duplicate stored it first
            await self.invoices.save(invoice)

    async def _channel_of(self, member_id: str) -> Channel:
        """rule EI-2, EI-3: the member's channel now, read once at issue (no e-invoicing
        port wired: electronic)."""
        if self.channels is None:
            return "electronic"
        return await self.channels.channel_at(member_id, self.clock())

    async def _request_print(self, invoice: Invoice) -> None:
        """rule EI-2, EI-3 (issue 18 item 3): an invoice on paper goes to the print shop
        (``invoice.print_requested``, saved with the issue); never an electronic one."""
        if invoice.channel != "paper":
            return
        card = await self.members.card(invoice.member_id)
        if card is None:  # never silently dropped: the print shop looks the member up
            invoice.request_print("nl", "")
            return
        invoice.request_print(
            card.language,
            card.mutuality,
            member_name=f"{card.first_name} {card.last_name}".strip(),
            address=card.address,
        )

    async def invoices_of(
        self, member_id: str, *, status: InvoiceStatus | None, limit: int, offset: int
    ) -> list[Invoice]:
        """Newest first (EI-1); the caller checked access to the member's dossier."""
        invoices = await self.invoices.current("member_id", member_id)
        if status is not None:
            # "open": what the member still owes, overdue included (EI-1, EI-5)
            invoices = [i for i in invoices if InvoiceFilter(status=status).admits(i)]
        invoices.sort(key=lambda invoice: invoice.invoice_id)
        invoices.sort(key=lambda invoice: invoice.issue_date, reverse=True)
        return invoices[offset : offset + limit]

    async def invoice(self, invoice_id: str) -> Invoice | None:
        return await self.invoices.get(invoice_id)

    async def _check_beneficiaries(self, invoice: Invoice) -> None:
        """rule EI-1 (issue 18 item 1): each line is for the invoiced member or one of
        their dependants, as billing's member projection knows them."""
        member = invoice.member_id
        named = {line.beneficiary(member) for line in invoice.lines} - {member}
        dependants = await self.members.dependants_of(member) if named else frozenset()
        check_lines(
            (
                DetailedLine(
                    line.service_date,
                    line.beneficiary(member),
                    line.care_code,
                    line.description,
                    line.amount,
                )
                for line in invoice.lines
            ),
            member,
            dependants,
            invoice.issue_date,
        )

    async def invoice_page(
        self,
        member_id: str,
        *,
        filters: InvoiceFilter,
        limit: int,
        cursor: str | None,
        offset: int = 0,
    ) -> Page:
        """Issue 18 item 7: a page of the member's invoices (newest first) after
        ``cursor``, with the cursor of the next; the caller checked access."""
        invoices = await self.invoices.current("member_id", member_id)
        return page(
            (invoice for invoice in invoices if filters.admits(invoice)),
            limit=limit,
            cursor=cursor,
            offset=offset,
        )

    async def all_invoices_of(self, member_id: str, filters: InvoiceFilter) -> list[Invoice]:
        """Every invoice the filters admit, newest first (the member's CSV, EI-1)."""
        invoices = await self.invoices.current("member_id", member_id)
        return ordered(i for i in invoices if filters.admits(i))

    async def last_invoice(self, member_id: str) -> Invoice | None:
        """rule EI-1: "de details van de op de laatste factuur aangerekende prestaties":
        the newest invoice not cancelled (a cancelled one charges nothing)."""
        invoices = await self.invoices.current("member_id", member_id)
        found = page(
            (invoice for invoice in invoices if invoice.status != "cancelled"),
            limit=1,
            cursor=None,
        )
        return found.items[0] if found.items else None

    async def cancel(self, invoice_id: str, *, reason: str, staff_id: str) -> CreditNote:
        """Issue 18 item 1: staff cancel an open or overdue invoice by a credit note (the
        invoice stays, ``cancelled``; ``invoice.cancelled`` follows). One credit note per
        invoice: its id derives from the invoice's."""
        invoice = await self.invoices.get(invoice_id)
        if invoice is None:
            raise NoSuchInvoice(invoice_id)
        note = credit_note(
            invoice,
            credit_note_id=f"CN-{invoice.invoice_id}",
            reason=reason,
            staff_id=staff_id,
            issued_at=self.clock(),
        )
        invoice.cancel(note)
        await self.invoices.save(invoice)  # ConcurrentChange: another change won (503)
        return note

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        """Billing invoices only members it knows (idempotent: inserted once)."""
        as_of = event_order(event)
        await self.members.remember(
            member.member_id, member.language, member.mutuality, as_of, details=_details(member)
        )

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """The member's language and mutuality as the directory now has them (a
        redelivered older event changes nothing)."""
        as_of = event_order(event)
        await self.members.update(
            member.member_id, member.language, member.mutuality, as_of, details=_details(member)
        )


def _details(member: MemberRegisteredV1) -> MemberDetails:
    address = member.address
    return MemberDetails(
        member.first_name,
        member.last_name,
        member.titular_member_id,
        PostalAddress(**address.model_dump()) if address is not None else None,
    )
