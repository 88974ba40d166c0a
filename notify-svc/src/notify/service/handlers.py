"""Notify use cases: e-mail the member when an invoice is issued (EI-4, a premium
invoice too, PC-8) and remind a policyholder of an amendment deadline (PC-7).

Issue 19 items 4 and 6: each e-mail goes to the member's notification address
(``MemberSettingsService.recipient``: the confirmed one, else the one on file), only if
the member's switch for its category is on (``domain/preferences.py``; security messages
always), and through ``DeliveryService`` (one delivery per event and recipient, retried,
logged).
"""

import logging
from dataclasses import dataclass

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
from notify.service.deliveries import DeliveryService
from notify.service.member_settings import MemberSettingsService, Recipient
from notify.service.ports import EmailSender, Recipients

__all__ = ["EmailSender", "NotifyService", "RecipientUnknown", "Recipients"]

log = logging.getLogger(__name__)


class RecipientUnknown(MissingDependency):
    """member.registered not seen yet (another topic, no order across topics): retried
    for a long while, then dead-lettered (and re-drivable from the DLQ)."""


@dataclass
class NotifyService:
    repository: Recipients
    members: MemberSettingsService
    deliveries: DeliveryService

    async def _recipient(self, member_id: str) -> Recipient:
        recipient = await self.members.recipient(member_id)
        if recipient is None:
            raise RecipientUnknown(member_id)
        return recipient

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        await self.repository.remember_recipient(
            member.member_id, member.email, member.language, member.first_name, event_order(event)
        )

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """E-mails sent from now on go to the new address, in the new language; a
        notification address the member confirmed wins over it (``domain/address.py``)."""
        await self.repository.update_recipient(
            member.member_id, member.email, member.language, member.first_name, event_order(event)
        )

    async def on_invoice_issued(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        """rule EI-4: the e-mail announces an electronic invoice. A paper invoice (EI-3:
        e-invoicing off, or no account) goes by post (``invoice.print_requested``) and gets
        no e-mail; an event without ``channel`` (before issue 18) is electronic."""
        if invoice.channel != "electronic":
            log.info("a paper invoice: no e-mail", extra={"event_id": event.id})
            return
        recipient = await self._recipient(invoice.member_id)
        if not recipient.address or not recipient.preferences.allows("invoice_issued"):
            log.info("no invoice e-mail for this member", extra={"event_id": event.id})
            return
        email = invoice_issued_email(
            to=recipient.address,
            language=recipient.language,
            first_name=recipient.first_name,
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
        recipient = await self._recipient(reminder.member_id)
        if not recipient.address or not recipient.preferences.allows("invoice_reminder"):
            log.info("no reminder e-mail for this member", extra={"event_id": event.id})
            return
        email_id = invoice_reminder_email_id(reminder.invoice_id, reminder.level)
        email = invoice_reminder_email(
            to=recipient.address,
            language=recipient.language,
            first_name=recipient.first_name,
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
        recipient = await self._recipient(change.member_id)
        if not recipient.address:
            log.info("no e-mail address for a terms change", extra={"event_id": event.id})
            return
        email_id = terms_changed_email_id(change.version, change.member_id)
        email = terms_changed_email(
            to=recipient.address,
            language=recipient.language,
            first_name=recipient.first_name,
            change=change,
            email_id=email_id,
        )
        await self._send_once(email_id, change.member_id, "terms_changed", email)

    async def on_amendment_reminded(self, event: CloudEvent, reminder: AmendmentRemindedV1) -> None:
        """PC-7: one reminder per (amendment, step, deadline), even when the reminder is
        requested again under another event id. Follows the member's ``policy`` switch
        (EI-4, issue 19 item 4), not the one for invoices."""
        recipient = await self._recipient(reminder.member_id)
        if not recipient.address or not recipient.preferences.allows("amendment_reminded"):
            log.info("no amendment reminder e-mail for this member", extra={"event_id": event.id})
            return
        email_id = reminder_email_id(reminder.amendment_id, reminder.step, reminder.deadline)
        email = amendment_reminder_email(
            to=recipient.address,
            language=recipient.language,
            first_name=recipient.first_name,
            step=reminder.step,
            deadline=reminder.deadline,
            email_id=email_id,
        )
        await self._send_once(email_id, reminder.member_id, "amendment_reminded", email)

    async def on_claim_event(self, event: CloudEvent, claim: ClaimEvent) -> None:
        """CL-1: one e-mail per claim milestone (the ``claim.*`` topics of bootstrap's
        ``CLAIM_TOPICS``, the payout account's of issue 15 item 7 too), once per
        business fact (``ClaimNotice.email_id``), even under a new event id. Follows the
        member's ``claims`` switch (EI-4, issue 19 item 4; the inbox keeps the letter),
        except the payout account's notice, a security message that is always sent.
        Members without an address are skipped (the inbox has the letter)."""
        recipient = await self._recipient(claim.member_id)
        notice = claim_notice(claim)
        if not recipient.address or not recipient.preferences.allows(notice.kind):
            log.info("no claim e-mail for this member", extra={"event_id": event.id})
            return
        email = claim_email(
            to=recipient.address,
            language=recipient.language,
            first_name=recipient.first_name,
            notice=notice,
        )
        await self._send_once(notice.email_id, claim.member_id, notice.kind, email)

    async def _send_once(self, email_id: str, member_id: str, kind: str, email: Email) -> None:
        # One delivery per e-mail id (issue 19 item 6): a redelivered event finds it.
        await self.deliveries.deliver(email_id, member_id, kind, email)
