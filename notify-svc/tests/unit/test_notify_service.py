"""notify's use cases on fakes of its ports (no servers): one e-mail per issued invoice to
the address on file (EI-4), none when switched off, none twice, and an invoice whose
member is not known yet is a missing dependency (retried, not dropped)."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from mylm_shared.events import (
    AMENDMENT_REMINDED,
    INVOICE_ISSUED,
    INVOICE_REMINDER_DUE,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    TERMS_CHANGED,
    AmendmentRemindedV1,
    CloudEvent,
    InvoiceReminderDueV1,
    LocalizedTextV1,
    TermsChangedV1,
    new_event,
)
from mylm_shared.failures import MissingDependency
from notify.service.handlers import NotifyService

from testkit.apps import invoice_issued, member_registered, member_updated
from testkit.fakes.notify import NotifyFakes


async def registered(service: NotifyService, language: str = "fr") -> str:
    event = member_registered(email="marie@example.org", language=language)  # type: ignore[arg-type]
    await service.on_member_registered(event, MEMBER_REGISTERED.parse(event))
    return event.subject or ""


async def issue(service: NotifyService, member_id: str) -> str:
    event = invoice_issued(member_id, total="12.50")
    await service.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    return event.id


async def test_an_issued_invoice_emails_the_address_on_file_once_ei_4() -> None:
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service)
    event = invoice_issued(member, total="12.50")
    for _ in range(2):  # redelivered
        await service.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    assert [e.to for e in sender.outbox] == ["marie@example.org"]
    assert sender.outbox[0].message_id == f"<{event.id}@notify.mylm>"
    assert "12,50" in sender.outbox[0].body


async def test_no_invoice_email_when_the_member_switched_them_off_ei_4() -> None:
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service)
    await fakes.use_cases().members.change_preferences(member, {"invoices": False})
    await issue(service, member)
    assert sender.outbox == []


async def test_an_invoice_of_an_unknown_member_waits_for_member_registered() -> None:
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    with pytest.raises(MissingDependency):
        await issue(service, "not-known-yet")
    assert sender.outbox == []


async def test_after_member_updated_emails_go_to_the_new_address_in_the_new_language() -> None:
    """The member's switch-off (EI-4) survives the update; an older update re-driven
    later changes nothing."""
    fakes = NotifyFakes()
    recipients, sender, service = fakes.recipients, fakes.sender, fakes.use_cases().notify
    member = await registered(service, language="fr")
    older = member_updated(member, email="old@example.org", language="de")
    newer = member_updated(member, email="new@example.org", language="nl")
    await service.on_member_updated(newer, MEMBER_UPDATED.parse(newer))
    await service.on_member_updated(older, MEMBER_UPDATED.parse(older))
    await issue(service, member)
    assert [e.to for e in sender.outbox] == ["new@example.org"]
    assert sender.outbox[0].subject.startswith("Nieuwe factuur")
    await fakes.use_cases().members.change_preferences(member, {"invoices": False})
    again = member_updated(member, email="again@example.org", language="fr")
    await service.on_member_updated(again, MEMBER_UPDATED.parse(again))
    assert recipients.recipients[member]["email"] == "again@example.org"
    assert (await fakes.member_settings.preferences(member)).invoices is False


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
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service, language="fr")
    await fakes.use_cases().members.change_preferences(member, {"invoices": False})
    event = reminded(member)
    for copy in (event, event, event.model_copy(update={"id": str(uuid.uuid4())})):
        await service.on_amendment_reminded(copy, AMENDMENT_REMINDED.parse(copy))
    later = reminded(member, deadline=date(2026, 3, 15))
    await service.on_amendment_reminded(later, AMENDMENT_REMINDED.parse(later))
    assert [e.subject[:6] for e in sender.outbox] == ["Rappel", "Rappel"]
    assert "28/02/2026" in sender.outbox[0].body
    assert "15/03/2026" in sender.outbox[1].body


async def test_a_reminder_for_an_unknown_member_waits_for_member_registered_pc_7() -> None:
    service = NotifyFakes().use_cases().notify
    event = reminded("not-known-yet")
    with pytest.raises(MissingDependency):
        await service.on_amendment_reminded(event, AMENDMENT_REMINDED.parse(event))


async def test_a_paper_invoice_gets_no_email_ei_3_issue_18_item_3() -> None:
    """EI-3 (issue 18 item 3): e-invoicing off, the invoice goes by post and no e-mail
    announces it; an event without ``channel`` (before issue 18) is electronic."""
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service)
    paper = invoice_issued(member, total="12.50")
    paper.data["channel"] = "paper"
    await service.on_invoice_issued(paper, INVOICE_ISSUED.parse(paper))
    assert sender.outbox == []
    older = invoice_issued(member, total="12.50")
    older.data.pop("channel", None)
    await service.on_invoice_issued(older, INVOICE_ISSUED.parse(older))
    assert [e.to for e in sender.outbox] == ["marie@example.org"]


def invoice_reminder(member_id: str, level: int, channel: str = "electronic") -> CloudEvent:
    payload = InvoiceReminderDueV1(
        invoice_id="inv-1",
        member_id=member_id,
        level=level,
        due_on=date(2026, 2, 15),
        structured_reference="+++000/0000/00101+++",
        due_date=date(2026, 1, 30),
        outstanding=Decimal("25.00"),
        channel=channel,  # type: ignore[arg-type]
    )
    return new_event(INVOICE_REMINDER_DUE, payload, source="/tests", subject=member_id)


async def test_one_email_per_reminder_level_none_on_paper_ei_5_issue_18_item_4() -> None:
    """EI-5 (issue 18 item 4): reminders 1 and 2 e-mailed once each (a repeated request
    under a new event id sends nothing more), in the member's language; a reminder on
    the paper channel is the print shop's, no e-mail."""
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service, language="nl")
    for level, channel in ((1, "electronic"), (1, "electronic"), (2, "paper"), (2, "electronic")):
        event = invoice_reminder(member, level, channel)
        await service.on_invoice_reminder_due(event, INVOICE_REMINDER_DUE.parse(event))
    # issue 19 item 5: the subject names the reminder, the body the invoice
    assert [e.subject for e in sender.outbox] == [
        "Herinnering: factuur in My LM",
        "Tweede herinnering: factuur in My LM",
    ]
    for email in sender.outbox:
        assert "+++000/0000/00101+++" in email.body
        assert "€\u00a025,00" in email.body and "30/01/2026" in email.body


def terms_changed(member_id: str) -> CloudEvent:
    payload = TermsChangedV1(
        member_id=member_id,
        version="2027.1",
        effective_on=date(2027, 2, 1),
        published_on=date(2027, 1, 4),
        summary=LocalizedTextV1(nl="De zorgcode staat op de factuur.", fr="Le code figure."),
    )
    return new_event(TERMS_CHANGED, payload, source="/tests", subject=member_id)


async def test_one_email_per_terms_version_even_with_invoice_emails_off_ei_6() -> None:
    """EI-6 (issue 18 item 5): the conditions change: one e-mail per version and member,
    however often delivered, whatever the switch for invoice e-mails (EI-4)."""
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service)
    await fakes.use_cases().members.change_preferences(member, {"invoices": False})
    for _ in range(2):
        event = terms_changed(member)
        await service.on_terms_changed(event, TERMS_CHANGED.parse(event))
    assert [e.to for e in sender.outbox] == ["marie@example.org"]
    assert sender.outbox[0].subject == (
        "Nouvelles conditions de la facturation électronique à partir du 01/02/2027"
    )
    assert "Le code figure." in sender.outbox[0].body
