"""Notify use cases: e-mail the member when an invoice is issued (EI-4, a premium
invoice too, PC-8) and remind a policyholder of an amendment deadline (PC-7)."""

import logging
from dataclasses import dataclass
from typing import Protocol

from mylm_shared.events import (
    AmendmentRemindedV1,
    CloudEvent,
    InvoiceIssuedV1,
    InvoiceReminderDueV1,
    MemberRegisteredV1,
    MemberUpdatedV1,
    TermsChangedV1,
)
from mylm_shared.failures import MissingDependency
from mylm_shared.mongo import Document
from mylm_shared.projections import event_order

from notify.domain.claims import ClaimEvent, claim_notice
from notify.domain.messages import (
    Email,
    amendment_reminder_email,
    claim_email,
    invoice_issued_email,
    invoice_reminder_email,
    invoice_reminder_email_id,
    reminder_email_id,
    terms_changed_email,
    terms_changed_email_id,
)

log = logging.getLogger(__name__)


class EmailSender(Protocol):
    async def send(self, email: Email) -> None: ...


class Recipients(Protocol):
    """notify's store (Mongo adapter: ``NotifyRepository``; fakes in unit tests)."""

    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        """From ``member.registered``: the first state, never over a later one."""

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        """From ``member.updated``: never over a newer state (``mylm_shared.projections``)."""

    async def recipient(self, member_id: str) -> Document | None: ...

    async def claim_email(self, email_id: str, member_id: str, kind: str) -> str: ...

    async def mark_sent(self, email_id: str) -> None: ...


class RecipientUnknown(MissingDependency):
    """member.registered not seen yet (another topic, no order across topics): retried
    for a long while, then dead-lettered (and re-drivable from the DLQ)."""


@dataclass
class NotifyService:
    repository: Recipients
    sender: EmailSender

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        await self.repository.remember_recipient(
            member.member_id, member.email, member.language, member.first_name, event_order(event)
        )

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """E-mails sent from now on go to the new address, in the new language."""
        await self.repository.update_recipient(
            member.member_id, member.email, member.language, member.first_name, event_order(event)
        )

    async def on_invoice_issued(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        """rule EI-4: the e-mail announces an electronic invoice. A paper invoice (EI-3:
        e-invoicing off, or no account) goes by post (``invoice.print_requested``) and gets
        no e-mail; an event without ``channel`` (before issue 18) is electronic."""
        if invoice.channel == "paper":
            log.info("a paper invoice: no e-mail", extra={"event_id": event.id})
            return
        recipient = await self.repository.recipient(invoice.member_id)
        if recipient is None:
            raise RecipientUnknown(invoice.member_id)
        if not recipient.get("email") or not recipient.get("invoice_emails", True):
            log.info("no invoice e-mail for this member", extra={"event_id": event.id})
            return
        email = invoice_issued_email(
            to=recipient["email"],
            language=recipient.get("language", "nl"),
            first_name=recipient.get("first_name", ""),
            total=invoice.total,
            due_date=invoice.due_date,
            structured_reference=invoice.structured_reference,
            event_id=event.id,
            kind=invoice.kind,
        )
        await self._send_once(event.id, invoice.member_id, "invoice_issued", email)

    async def on_invoice_reminder_due(
        self, event: CloudEvent, reminder: InvoiceReminderDueV1
    ) -> None:
        """EI-5 (issue 18 item 4): one e-mail per invoice and reminder level, when the
        member's channel is electronic (paper: the print shop's), subject to the member's
        switch for invoice e-mails as the invoice's own e-mail (EI-4)."""
        if reminder.channel != "electronic":
            return
        recipient = await self.repository.recipient(reminder.member_id)
        if recipient is None:
            raise RecipientUnknown(reminder.member_id)
        if not recipient.get("email") or not recipient.get("invoice_emails", True):
            log.info("no reminder e-mail for this member", extra={"event_id": event.id})
            return
        email_id = invoice_reminder_email_id(reminder.invoice_id, reminder.level)
        email = invoice_reminder_email(
            to=recipient["email"],
            language=recipient.get("language", "nl"),
            first_name=recipient.get("first_name", ""),
            level=reminder.level,
            outstanding=reminder.outstanding,
            due_date=reminder.due_date,
            structured_reference=reminder.structured_reference,
            email_id=email_id,
        )
        await self._send_once(email_id, reminder.member_id, "invoice_reminder", email)

    async def on_terms_changed(self, event: CloudEvent, change: TermsChangedV1) -> None:
        """EI-6 (issue 18 item 5): one e-mail per version and member (billing sends the
        event to e-invoicing members only). Not subject to the switch for invoice e-mails:
        the conditions themselves change."""
        recipient = await self.repository.recipient(change.member_id)
        if recipient is None:
            raise RecipientUnknown(change.member_id)
        if not recipient.get("email"):
            log.info("no e-mail address for a terms change", extra={"event_id": event.id})
            return
        email_id = terms_changed_email_id(change.version, change.member_id)
        email = terms_changed_email(
            to=recipient["email"],
            language=recipient.get("language", "nl"),
            first_name=recipient.get("first_name", ""),
            change=change,
            email_id=email_id,
        )
        await self._send_once(email_id, change.member_id, "terms_changed", email)

    async def on_amendment_reminded(self, event: CloudEvent, reminder: AmendmentRemindedV1) -> None:
        """PC-7: one reminder per (amendment, step, deadline), even when the reminder is
        requested again under another event id. Not subject to the member's switch for
        invoice e-mails: a legal deadline runs."""
        recipient = await self.repository.recipient(reminder.member_id)
        if recipient is None:
            raise RecipientUnknown(reminder.member_id)
        if not recipient.get("email"):
            log.info("no e-mail address for an amendment reminder", extra={"event_id": event.id})
            return
        email_id = reminder_email_id(reminder.amendment_id, reminder.step, reminder.deadline)
        email = amendment_reminder_email(
            to=recipient["email"],
            language=recipient.get("language", "nl"),
            first_name=recipient.get("first_name", ""),
            step=reminder.step,
            deadline=reminder.deadline,
            email_id=email_id,
        )
        await self._send_once(email_id, reminder.member_id, "amendment_reminded", email)

    async def on_claim_event(self, event: CloudEvent, claim: ClaimEvent) -> None:
        """CL-1: one e-mail per claim milestone (the ``claim.*`` topics of bootstrap's
        ``CLAIM_TOPICS``, the payout account's of issue 15 item 7 too), once per
        business fact (``ClaimNotice.email_id``), even under a new event id. Not subject
        to the switch for invoice e-mails: a claim's decisions and deadlines must reach
        the claimant. Members without an address are skipped (the inbox has the letter)."""
        recipient = await self.repository.recipient(claim.member_id)
        if recipient is None:
            raise RecipientUnknown(claim.member_id)
        if not recipient.get("email"):
            log.info("no e-mail address for a claim e-mail", extra={"event_id": event.id})
            return
        language = recipient.get("language", "nl")
        notice = claim_notice(claim)
        email = claim_email(
            to=recipient["email"],
            language=language,
            first_name=recipient.get("first_name", ""),
            notice=notice,
        )
        await self._send_once(notice.email_id, claim.member_id, notice.kind, email)

    async def _send_once(self, email_id: str, member_id: str, kind: str, email: Email) -> None:
        # Claimed before sending, marked sent after the SMTP server accepted it. Only a
        # crash between those two steps can send it again, with the same Message-ID.
        if await self.repository.claim_email(email_id, member_id, kind) == "sent":
            return
        await self.sender.send(email)
        await self.repository.mark_sent(email_id)
