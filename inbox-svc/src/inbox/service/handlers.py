"""Inbox use cases: file a document for every issued invoice (IN-1, EI-1) and for the
special conditions of every issued policy (PC-1) and of every accepted amendment (PC-7),
and a letter for every milestone of a claim (CL-1)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

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
from mylm_shared.projections import event_order

from inbox.domain import claims
from inbox.domain.claims import ClaimLetter
from inbox.domain.documents import (
    InboxDocument,
    amended_conditions_source,
    conditions_title,
    document_id_for,
    invoice_title,
    maintenance_letter,
    new_conditions_title,
    notice_document_id,
    reminder_source,
    reminder_title,
    terms_letter,
)


class Inbox(Protocol):
    """inbox's store (Mongo adapter: ``InboxRepository``; fakes in unit tests)."""

    async def file(self, document: InboxDocument) -> None: ...

    async def list_for(self, member_id: str, *, limit: int, offset: int) -> list[InboxDocument]: ...

    async def remember_language(self, member_id: str, language: str, as_of: str) -> None:
        """From ``member.registered``: the first state, never over a later one."""

    async def update_language(self, member_id: str, language: str, as_of: str) -> None:
        """From ``member.updated``: never over a newer state (``mylm_shared.projections``)."""

    async def language_of(self, member_id: str) -> str | None: ...


@dataclass
class InboxService:
    repository: Inbox

    async def on_invoice_issued(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        language = await self.repository.language_of(invoice.member_id) or "nl"
        await self.repository.file(
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
            )
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
        await self.repository.file(
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
        await self.repository.file(
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
        await self.repository.file(
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
        await self.repository.file(
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
        await self.repository.file(
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
        await self.repository.file(
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

    async def documents_of(self, member_id: str, *, limit: int, offset: int) -> list[InboxDocument]:
        """Newest first (IN-1); the caller checked access to the member's dossier."""
        return await self.repository.list_for(member_id, limit=limit, offset=offset)

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        await self.repository.remember_language(
            member.member_id, member.language, event_order(event)
        )

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """Documents filed from now on are titled in the member's new language."""
        await self.repository.update_language(member.member_id, member.language, event_order(event))


def _filed_at(event: CloudEvent) -> datetime:
    return event.time.astimezone(UTC) if event.time.tzinfo else datetime.now(UTC)
