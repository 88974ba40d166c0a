"""notify's use cases on fakes of its ports (no servers): one e-mail per issued invoice to
the address on file (EI-4), none when switched off, none twice, and an invoice whose
member is not known yet is a missing dependency (retried, not dropped)."""

import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest
from mylm_shared.events import (
    AMENDMENT_REMINDED,
    INVOICE_ISSUED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    AmendmentRemindedV1,
    CloudEvent,
    new_event,
)
from mylm_shared.failures import MissingDependency
from mylm_shared.mongo import Document
from mylm_shared.projections import apply_in_memory
from notify.domain.messages import Email
from notify.service.handlers import NotifyService

from testkit.apps import invoice_issued, member_registered, member_updated


@dataclass
class FakeRecipients:
    recipients: dict[str, Document] = field(default_factory=dict)
    claims: set[str] = field(default_factory=set)
    sent: set[str] = field(default_factory=set)

    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = {"email": email, "language": language, "first_name": first_name}
        on_insert = {"invoice_emails": True}
        apply_in_memory(self.recipients, member_id, fields, as_of, first=True, on_insert=on_insert)

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = {"email": email, "language": language, "first_name": first_name}
        on_insert = {"invoice_emails": True}
        apply_in_memory(self.recipients, member_id, fields, as_of, first=False, on_insert=on_insert)

    async def recipient(self, member_id: str) -> Document | None:
        return self.recipients.get(member_id)

    async def claim_email(self, email_id: str, member_id: str, kind: str) -> str:
        if email_id in self.sent:
            return "sent"
        self.claims.add(email_id)
        return "sending"

    async def mark_sent(self, email_id: str) -> None:
        self.sent.add(email_id)


@dataclass
class FakeSender:
    outbox: list[Email] = field(default_factory=list)

    async def send(self, email: Email) -> None:
        self.outbox.append(email)


async def registered(service: NotifyService, language: str = "fr") -> str:
    event = member_registered(email="marie@example.org", language=language)  # type: ignore[arg-type]
    await service.on_member_registered(event, MEMBER_REGISTERED.parse(event))
    return event.subject or ""


async def issue(service: NotifyService, member_id: str) -> str:
    event = invoice_issued(member_id, total="12.50")
    await service.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    return event.id


async def test_an_issued_invoice_emails_the_address_on_file_once_ei_4() -> None:
    sender = FakeSender()
    service = NotifyService(FakeRecipients(), sender)
    member = await registered(service)
    event = invoice_issued(member, total="12.50")
    for _ in range(2):  # redelivered
        await service.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    assert [e.to for e in sender.outbox] == ["marie@example.org"]
    assert sender.outbox[0].message_id == f"<{event.id}@notify.mylm>"
    assert "12,50" in sender.outbox[0].body


async def test_no_invoice_email_when_the_member_switched_them_off_ei_4() -> None:
    recipients, sender = FakeRecipients(), FakeSender()
    service = NotifyService(recipients, sender)
    member = await registered(service)
    recipients.recipients[member]["invoice_emails"] = False
    await issue(service, member)
    assert sender.outbox == []


async def test_an_invoice_of_an_unknown_member_waits_for_member_registered() -> None:
    sender = FakeSender()
    service = NotifyService(FakeRecipients(), sender)
    with pytest.raises(MissingDependency):
        await issue(service, "not-known-yet")
    assert sender.outbox == []


async def test_after_member_updated_emails_go_to_the_new_address_in_the_new_language() -> None:
    """The member's switch-off (EI-4) survives the update; an older update re-driven
    later changes nothing."""
    recipients, sender = FakeRecipients(), FakeSender()
    service = NotifyService(recipients, sender)
    member = await registered(service, language="fr")
    older = member_updated(member, email="old@example.org", language="de")
    newer = member_updated(member, email="new@example.org", language="nl")
    await service.on_member_updated(newer, MEMBER_UPDATED.parse(newer))
    await service.on_member_updated(older, MEMBER_UPDATED.parse(older))
    await issue(service, member)
    assert [e.to for e in sender.outbox] == ["new@example.org"]
    assert sender.outbox[0].subject.startswith("Nieuwe factuur")
    recipients.recipients[member]["invoice_emails"] = False
    again = member_updated(member, email="again@example.org", language="fr")
    await service.on_member_updated(again, MEMBER_UPDATED.parse(again))
    assert recipients.recipients[member]["invoice_emails"] is False


def reminded(member_id: str, deadline: date = date(2026, 2, 28)) -> CloudEvent:
    payload = AmendmentRemindedV1(
        amendment_id="a-1",
        policy_id="p-1",
        member_id=member_id,
        step="accept_proposal",
        deadline=deadline,
    )
    return new_event(AMENDMENT_REMINDED, payload, source="/tests", subject=member_id)


async def test_an_amendment_reminder_is_emailed_once_per_step_and_deadline_pc_7() -> None:
    """A redelivery or the same reminder requested again under a new event id sends
    nothing more; a later deadline is a new reminder. The invoice switch does not apply."""
    recipients, sender = FakeRecipients(), FakeSender()
    service = NotifyService(recipients, sender)
    member = await registered(service, language="fr")
    recipients.recipients[member]["invoice_emails"] = False
    event = reminded(member)
    for copy in (event, event, event.model_copy(update={"id": str(uuid.uuid4())})):
        await service.on_amendment_reminded(copy, AMENDMENT_REMINDED.parse(copy))
    later = reminded(member, deadline=date(2026, 3, 15))
    await service.on_amendment_reminded(later, AMENDMENT_REMINDED.parse(later))
    assert [e.subject[:6] for e in sender.outbox] == ["Rappel", "Rappel"]
    assert "28/02/2026" in sender.outbox[0].body
    assert "15/03/2026" in sender.outbox[1].body


async def test_a_reminder_for_an_unknown_member_waits_for_member_registered_pc_7() -> None:
    service = NotifyService(FakeRecipients(), FakeSender())
    event = reminded("not-known-yet")
    with pytest.raises(MissingDependency):
        await service.on_amendment_reminded(event, AMENDMENT_REMINDED.parse(event))
