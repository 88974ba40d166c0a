"""notify-svc against the real FerretDB, Kafka and Mailpit (EI-4): one e-mail per issued
invoice, to the address on file, in the member's language; never twice. And one reminder
per amendment deadline (PC-7)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from mylm_shared.events import AMENDMENT_REMINDED, AmendmentRemindedV1, CloudEvent, new_event
from notify.adapters.repository import RECIPIENTS, NotifyRepository
from notify.bootstrap import create_app
from notify.settings import NotifySettings
from pymongo import AsyncMongoClient

from testkit.apps import invoice_issued, member_registered, serving
from testkit.kafka import publish_event
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@dataclass
class Notify:
    domain: str
    mailpit: Mailpit
    publish: Any
    register: Any

    async def emails(self) -> list[dict[str, Any]]:
        return await self.mailpit.messages_to(self.domain)


@pytest.fixture
async def notify(platform: Endpoints, run_id: str) -> AsyncIterator[Notify]:
    settings = NotifySettings(**isolated(platform, run_id, "notify"))  # type: ignore[arg-type]
    app = create_app(settings)
    mailpit = Mailpit(platform.mailpit_api)
    async with serving(app) as _client:

        async def send(topic: str, event: CloudEvent) -> None:
            await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

        recipients = app.state.runtime.db[RECIPIENTS]

        async def register(language: str) -> str:
            member = member_registered(
                email=f"{uuid.uuid4().hex[:8]}@{run_id}.test", language=language
            )  # type: ignore[arg-type]
            await send("member.registered", member)

            async def known() -> int:
                return await recipients.count_documents({"_id": member.subject})

            await eventually(known, what="notify learns the recipient")
            return member.subject or ""

        yield Notify(f"{run_id}.test", mailpit, send, register)
    await mailpit.aclose()


async def test_an_issued_invoice_sends_one_email_in_dutch(notify: Notify) -> None:
    member_id = await notify.register("nl")
    await notify.publish("invoice.issued", invoice_issued(member_id, total="19.75"))
    emails = await eventually(notify.emails, what="the invoice e-mail")
    assert len(emails) == 1
    message = await notify.mailpit.message(emails[0]["ID"])
    assert message["To"][0]["Address"].endswith(f"@{notify.domain}")
    assert message["Subject"].startswith("Nieuwe factuur")
    assert "€\u00a019,75" in message["Text"]
    assert "23/12/2026" in message["Text"]
    assert "+++000/0000/00101+++" in message["Text"]


async def test_french_members_get_french_emails(notify: Notify) -> None:
    member_id = await notify.register("fr")
    await notify.publish("invoice.issued", invoice_issued(member_id, total="5.00"))
    emails = await eventually(notify.emails)
    message = await notify.mailpit.message(emails[0]["ID"])
    assert "5,00\u00a0€" in message["Text"]
    assert "Nieuwe factuur" not in message["Subject"]


async def test_a_redelivered_event_sends_no_second_email(notify: Notify) -> None:
    member_id = await notify.register("nl")
    event = invoice_issued(member_id)
    await notify.publish("invoice.issued", event)
    await notify.publish("invoice.issued", event)
    fence = invoice_issued(member_id, total="1.00")
    await notify.publish("invoice.issued", fence)  # same partition, so handled after both
    emails = await eventually(notify.emails, until=lambda e: len(e) >= 2)
    assert len(emails) == 2


async def test_an_amendment_reminder_sends_one_email_in_the_members_language_pc_7(
    notify: Notify,
) -> None:
    """Redelivered, or requested again under a new event id: still one e-mail."""
    member_id = await notify.register("fr")

    def reminded(deadline: date) -> CloudEvent:
        payload = AmendmentRemindedV1(
            amendment_id=str(uuid.uuid4()),
            policy_id=str(uuid.uuid4()),
            member_id=member_id,
            step="agree_reduction",
            deadline=deadline,
        )
        return new_event(AMENDMENT_REMINDED, payload, source="/tests", subject=member_id)

    event = reminded(date(2026, 2, 28))
    await notify.publish("amendment.reminded", event)
    await notify.publish("amendment.reminded", event)
    await notify.publish("amendment.reminded", event.model_copy(update={"id": str(uuid.uuid4())}))
    fence = reminded(date(2026, 3, 31))  # same member, same partition: after the rest
    await notify.publish("amendment.reminded", fence)
    emails = await eventually(notify.emails, until=lambda e: len(e) >= 2)
    assert len(emails) == 2
    subjects = sorted(e["Subject"] for e in emails)
    assert subjects[0].startswith("Rappel") and "28/02/2026" in subjects[0]
    message = await notify.mailpit.message(emails[0]["ID"])
    assert "vous pouvez résilier votre police" in message["Text"]


async def test_a_send_interrupted_by_a_crash_is_retried_and_a_finished_one_is_not(
    platform: Endpoints, run_id: str
) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.mongodb_uri)
    repository = NotifyRepository(client[f"{run_id}_notify"])
    try:
        assert await repository.claim_email("ev-1", "m-1", "invoice_issued") == "sending"
        # the process died before mark_sent: the redelivered event sends again
        assert await repository.claim_email("ev-1", "m-1", "invoice_issued") == "sending"
        await repository.mark_sent("ev-1")
        assert await repository.claim_email("ev-1", "m-1", "invoice_issued") == "sent"
        assert await repository.attempts() == {"ev-1": 2}
    finally:
        await client.drop_database(f"{run_id}_notify")
        await client.close()
