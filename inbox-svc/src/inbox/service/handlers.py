"""Inbox use cases: file a document for every issued invoice (IN-1, EI-1) and for the
special conditions of every issued policy (PC-1) and of every accepted amendment (PC-7),
and a letter for every milestone of a claim (CL-1); each on exactly one channel, the inbox
or paper while the member's inbox is off (issue 19 item 2, IN-3, EI-2). The member lists,
marks, archives and downloads them (issue 19 item 1) and switches the inbox on or off."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal, Protocol

from mylm_shared.auth import utc_now
from mylm_shared.events import (
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimRejectedV1,
    CloudEvent,
    InvoiceIssuedV1,
    InvoiceReminderDueV1,
    MaintenanceAnnouncedV1,
    MemberRegisteredV1,
    MemberUpdatedV1,
    PolicyAmendedV1,
    PolicyIssuedV1,
    TermsChangedV1,
)
from mylm_shared.kernel.domain import AggregateExists, ConcurrentChange
from mylm_shared.projections import event_order

from inbox.domain import claims
from inbox.domain.claims import ClaimLetter
from inbox.domain.documents import (
    ContentLink,
    DocumentPage,
    DocumentQuery,
    InboxDocument,
    MemberContact,
    PrintRequest,
    amended_conditions_source,
    conditions_title,
    delivery_for,
    document_id_for,
    invoice_title,
    maintenance_letter,
    new_conditions_title,
    notice_document_id,
    page_of,
    print_request,
    reminder_source,
    reminder_title,
    terms_letter,
)
from inbox.domain.inbox_settings import Actor, InboxState, enabled_at

# The PDF of a letter: title, text, language, date (``inbox.adapters.letter_pdf``).
LetterRenderer = Callable[[str, str, str, datetime], bytes]
Flag = Literal["read", "archived"]
SWITCH_ATTEMPTS = 10


class Inbox(Protocol):
    """inbox's store (Mongo adapter: ``InboxRepository``; fakes in unit tests)."""

    async def file(
        self,
        document: InboxDocument,
        *,
        pdf: bytes | None = None,
        print_request: PrintRequest | None = None,
    ) -> None:
        """Once per document id; a paper one with its print request, atomically."""

    async def find(self, member_id: str, query: DocumentQuery) -> list[InboxDocument]: ...

    async def unread(self, member_id: str) -> int: ...

    async def get(self, document_id: str) -> InboxDocument | None: ...

    async def set_flag(self, document_id: str, flag: Flag, value: bool) -> InboxDocument | None: ...

    async def pdf_of(self, document_id: str) -> bytes | None: ...

    async def inbox_state(self, member_id: str) -> InboxState | None: ...

    async def save_inbox_state(self, state: InboxState) -> None:
        """Raises ``AggregateExists`` / ``ConcurrentChange`` if another switch came first."""

    async def remember_member(self, member_id: str, contact: MemberContact, as_of: str) -> None:
        """From ``member.registered``: the first state, never over a later one."""

    async def update_member(self, member_id: str, contact: MemberContact, as_of: str) -> None:
        """From ``member.updated``: never over a newer state (``mylm_shared.projections``)."""

    async def language_of(self, member_id: str) -> str | None: ...

    async def contact_of(self, member_id: str) -> MemberContact | None: ...


@dataclass
class InboxService:
    repository: Inbox
    render_letter: LetterRenderer
    # The base URL of each service serving content (``*_public_url`` settings).
    content_bases: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], datetime] = field(default=utc_now)

    async def on_invoice_issued(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        language = await self.repository.language_of(invoice.member_id) or "nl"
        await self._deliver(
            InboxDocument(
                document_id=document_id_for("invoice", invoice.invoice_id),
                member_id=invoice.member_id,
                kind="invoice",
                title=invoice_title(
                    language,
                    invoice.structured_reference,
                    invoice.total,
                    invoice.due_date,
                    premium=invoice.kind == "premium",
                ),
                source_id=invoice.invoice_id,
                created_at=_filed_at(event),
            ),
            # EI-2: billing posts a paper invoice itself; never a second print request
            posted_by_billing=invoice.channel == "paper",
        )

    async def on_invoice_reminder_due(
        self, event: CloudEvent, reminder: InvoiceReminderDueV1
    ) -> None:
        """EI-5 (issue 18 item 4): reminder 1 or 2 of an overdue invoice, once per invoice
        and level, when the member's channel is electronic (paper: the print shop's)."""
        if reminder.channel != "electronic":
            return
        language = await self.repository.language_of(reminder.member_id) or "nl"
        source_id = reminder_source(reminder.invoice_id, reminder.level)
        await self._deliver(
            InboxDocument(
                document_id=document_id_for("invoice_reminder", source_id),
                member_id=reminder.member_id,
                kind="invoice_reminder",
                title=reminder_title(
                    language,
                    reminder.structured_reference,
                    reminder.outstanding,
                    reminder.due_date,
                    reminder.level,
                ),
                source_id=source_id,
                created_at=_filed_at(event),
            )
        )

    async def on_terms_changed(self, event: CloudEvent, change: TermsChangedV1) -> None:
        """EI-6 (issue 18 item 5): the new e-invoicing conditions, one letter per version
        and member (billing sends the event to e-invoicing members only)."""
        language = await self.repository.language_of(change.member_id) or "nl"
        title, body = terms_letter(language, change)
        await self._deliver(
            InboxDocument(
                document_id=notice_document_id("terms_changed", change.version, change.member_id),
                member_id=change.member_id,
                kind="terms_changed",
                title=title,
                source_id=change.version,
                created_at=_filed_at(event),
                body=body,
            )
        )

    async def on_maintenance_announced(
        self, event: CloudEvent, window: MaintenanceAnnouncedV1
    ) -> None:
        """EI-7 (issue 18 item 6): a maintenance window announced ahead, one letter per
        window and member."""
        language = await self.repository.language_of(window.member_id) or "nl"
        title, body = maintenance_letter(language, window)
        await self._deliver(
            InboxDocument(
                document_id=notice_document_id(
                    "maintenance_announced", window.window_id, window.member_id
                ),
                member_id=window.member_id,
                kind="maintenance_announced",
                title=title,
                source_id=window.window_id,
                created_at=_filed_at(event),
                body=body,
            )
        )

    async def on_policy_issued(self, event: CloudEvent, policy: PolicyIssuedV1) -> None:
        """PC-1: the policyholder's special conditions, once per policy (the document id
        derives from the policy id, so a redelivery files nothing more)."""
        language = await self.repository.language_of(policy.member_id) or "nl"
        await self._deliver(
            InboxDocument(
                document_id=document_id_for("policy_conditions", policy.policy_id),
                member_id=policy.member_id,
                kind="policy_conditions",
                title=conditions_title(language, policy.start_date),
                source_id=policy.policy_id,
                created_at=_filed_at(event),
            )
        )

    async def on_policy_amended(self, event: CloudEvent, amended: PolicyAmendedV1) -> None:
        """PC-7/PC-8: the new special conditions of an accepted amendment, once per
        amendment (the document id derives from policy and amendment)."""
        language = await self.repository.language_of(amended.member_id) or "nl"
        source_id = amended_conditions_source(amended.policy_id, amended.amendment_id)
        await self._deliver(
            InboxDocument(
                document_id=document_id_for("policy_conditions", source_id),
                member_id=amended.member_id,
                kind="policy_conditions",
                title=new_conditions_title(language, amended.effective_on),
                source_id=source_id,
                created_at=_filed_at(event),
            )
        )

    # CL-1: one letter per claim milestone for the claimant, in their language; the
    # document id derives from the fact's business identity (``inbox.domain.claims``), so
    # a redelivery or a re-publish under a new event id files nothing more.
    async def on_claim_declared(self, event: CloudEvent, claim: ClaimDeclaredV1) -> None:
        await self._file_letter(
            event, claim.member_id, lambda lang: claims.acknowledgement(claim, lang)
        )

    async def on_claim_documents_requested(
        self, event: CloudEvent, request: ClaimDocumentsRequestedV1
    ) -> None:
        await self._file_letter(
            event, request.member_id, lambda lang: claims.documents_requested(request, lang)
        )

    async def on_claim_accepted(self, event: CloudEvent, claim: ClaimAcceptedV1) -> None:
        await self._file_letter(event, claim.member_id, lambda lang: claims.decision(claim, lang))

    async def on_claim_rejected(self, event: CloudEvent, claim: ClaimRejectedV1) -> None:
        await self._file_letter(event, claim.member_id, lambda lang: claims.decision(claim, lang))

    async def on_claim_offer_made(self, event: CloudEvent, made: ClaimOfferMadeV1) -> None:
        await self._file_letter(event, made.member_id, lambda lang: claims.offer(made, lang))

    async def on_claim_offer_accepted(
        self, event: CloudEvent, accepted: ClaimOfferAcceptedV1
    ) -> None:
        await self._file_letter(
            event, accepted.member_id, lambda lang: claims.offer_accepted(accepted, lang)
        )

    async def on_claim_paid(self, event: CloudEvent, paid: ClaimPaidV1) -> None:
        await self._file_letter(event, paid.member_id, lambda lang: claims.payment(paid, lang))

    async def on_claim_closed(self, event: CloudEvent, closed: ClaimClosedV1) -> None:
        await self._file_letter(event, closed.member_id, lambda lang: claims.closure(closed, lang))

    async def _file_letter(
        self, event: CloudEvent, member_id: str, write: Callable[[str], ClaimLetter]
    ) -> None:
        letter = write(await self.repository.language_of(member_id) or "nl")
        await self._deliver(
            InboxDocument(
                document_id=document_id_for(letter.kind, letter.source_id),
                member_id=member_id,
                kind=letter.kind,
                title=letter.title,
                source_id=letter.source_id,
                created_at=_filed_at(event),
                body=letter.body,
            )
        )

    async def _deliver(self, document: InboxDocument, *, posted_by_billing: bool = False) -> None:
        """IN-3, EI-2: on the one channel in force when its event happened (the inbox
        switch then), recorded with the document; a letter's PDF rendered and stored."""
        state = await self.repository.inbox_state(document.member_id)
        delivery = delivery_for(
            inbox_enabled=enabled_at(state, document.created_at),
            posted_by_billing=posted_by_billing,
        )
        pdf = None
        if document.body is not None:
            language = await self.repository.language_of(document.member_id) or "nl"
            pdf = self.render_letter(document.title, document.body, language, document.created_at)
            document = replace(document, has_pdf=True)
        document = document.for_delivery(delivery)
        request = None
        if delivery.requests_print:
            request = print_request(document, await self.repository.contact_of(document.member_id))
        await self.repository.file(document, pdf=pdf, print_request=request)

    async def documents_of(self, member_id: str, query: DocumentQuery) -> DocumentPage:
        """Issue 19 item 1 (IN-1): a page of the member's inbox, newest first, with the
        unread count; the caller checked access to the member's dossier."""
        found = await self.repository.find(member_id, replace(query, limit=query.limit + 1))
        return page_of(found, query.limit, await self.repository.unread(member_id))

    async def document(self, document_id: str) -> InboxDocument | None:
        return await self.repository.get(document_id)

    async def mark(self, document_id: str, flag: Flag, value: bool) -> InboxDocument | None:
        """Read / unread, archived / not (idempotent); None: no such document."""
        return await self.repository.set_flag(document_id, flag, value)

    def url_of(self, link: ContentLink) -> str:
        """Where another service serves ``link`` (its base URL and the path)."""
        return self.content_bases.get(link.service, "").rstrip("/") + link.path

    async def pdf_of(self, document_id: str) -> bytes | None:
        return await self.repository.pdf_of(document_id)

    async def inbox_state(self, member_id: str) -> InboxState | None:
        return await self.repository.inbox_state(member_id)

    async def switch_inbox(self, member_id: str, enabled: bool, actor: Actor) -> InboxState:
        """IN-3: on or off, recorded with time and actor (``inbox.settings_changed``); the
        state already in force records nothing. A concurrent switch stored first: load
        again and re-apply."""
        for _ in range(SWITCH_ATTEMPTS):
            state = await self.repository.inbox_state(member_id) or InboxState(member_id)
            if state.switch(enabled, actor, self.clock()) is None:
                return state
            try:
                await self.repository.save_inbox_state(state)
                return state
            except (AggregateExists, ConcurrentChange):
                continue
        raise ConcurrentChange(member_id)

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        await self.repository.remember_member(
            member.member_id, _contact(member), event_order(event)
        )

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """Documents filed from now on are titled in the member's new language, and a
        paper one goes to the new name and address."""
        await self.repository.update_member(member.member_id, _contact(member), event_order(event))


def _contact(member: MemberRegisteredV1) -> MemberContact:
    return MemberContact(
        language=member.language,
        name=f"{member.first_name} {member.last_name}".strip(),
        mutuality=member.mutuality,
        address=member.address,
    )


def _filed_at(event: CloudEvent) -> datetime:
    return event.time.astimezone(UTC) if event.time.tzinfo else datetime.now(UTC)
