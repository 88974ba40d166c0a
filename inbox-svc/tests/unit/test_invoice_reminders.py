"""EI-5 (issue 18 item 4): a reminder of an overdue invoice in the member's inbox, once
per invoice and level, in their language, linking to the invoice's PDF; none when the
member's channel is paper (the print shop posts it)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from mylm_shared.events import (
    INVOICE_REMINDER_DUE,
    MEMBER_REGISTERED,
    CloudEvent,
    InvoiceReminderDueV1,
    new_event,
)

from testkit.apps import member_registered
from testkit.fakes.inbox import InboxFakes


def reminder(
    member_id: str, level: int, channel: Literal["electronic", "paper"] = "electronic"
) -> CloudEvent:
    payload = InvoiceReminderDueV1(
        invoice_id="inv-1",
        member_id=member_id,
        level=level,
        due_on=date(2026, 2, 15),
        structured_reference="+++000/0000/00101+++",
        due_date=date(2026, 1, 30),
        outstanding=Decimal("25.00"),
        channel=channel,
    )
    return new_event(INVOICE_REMINDER_DUE, payload, source="/tests", subject=member_id)


async def test_each_reminder_level_is_filed_once_in_the_members_language_ei_5() -> None:
    fakes = InboxFakes()
    service = fakes.use_cases().inbox
    member = member_registered(language="fr")
    await service.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    member_id = member.subject or ""
    for level in (1, 1, 2):  # the first redelivered under a new event id
        event = reminder(member_id, level)
        await service.on_invoice_reminder_due(event, INVOICE_REMINDER_DUE.parse(event))
    documents = sorted(fakes.inbox.documents.values(), key=lambda d: d.source_id)
    assert [(d.kind, d.source_id) for d in documents] == [
        ("invoice_reminder", "inv-1:1"),
        ("invoice_reminder", "inv-1:2"),
    ]
    assert documents[0].title == (
        "Rappel : facture +++000/0000/00101+++ — 25,00\u00a0€, échue le 30/01/2026"
    )
    assert documents[1].title.startswith("Deuxième rappel")
    assert documents[0].download == "/v1/invoices/inv-1.pdf"


async def test_a_paper_reminder_is_not_filed_ei_3_ei_5() -> None:
    fakes = InboxFakes()
    service = fakes.use_cases().inbox
    event = reminder("m-1", 1, channel="paper")
    await service.on_invoice_reminder_due(event, INVOICE_REMINDER_DUE.parse(event))
    assert fakes.inbox.documents == {}
