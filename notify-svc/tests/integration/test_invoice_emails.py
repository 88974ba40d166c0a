"""notify-svc against the real FerretDB, Kafka and Mailpit (EI-4): one e-mail per issued
invoice, to the address on file, in the member's language; never twice. And one reminder
per amendment deadline (PC-7)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from mylm_shared.events import AMENDMENT_REMINDED, AmendmentRemindedV1, CloudEvent, new_event
from notify.adapters.repository import RECIPIENTS, NotifyRepository
from notify.bootstrap import create_app
from notify.domain.delivery import Delivery
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
    # issue 19 item 5: the deadline is in the body, the subject names the reminder only
    assert all(e["Subject"].startswith("Rappel") and "/20" not in e["Subject"] for e in emails)
    bodies = sorted([(await notify.mailpit.message(e["ID"]))["Text"] for e in emails])
    assert ["au plus tard le 28/02/2026" in body for body in bodies] == [True, False]
    assert ["au plus tard le 31/03/2026" in body for body in bodies] == [False, True]
    assert all("vous pouvez résilier votre police" in body for body in bodies)


async def test_a_send_interrupted_by_a_crash_is_retried_and_a_finished_one_is_not(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 19 item 6: a delivery is stored once per e-mail id (a redelivered event finds
    it); the job's attempts after the first are counted before they begin."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.mongodb_uri)
    repository = NotifyRepository(client[f"{run_id}_notify"])
    now = datetime.now(UTC)
    delivery = Delivery(
        delivery_id="ev-1",
        member_id="m-1",
        kind="invoice_issued",
        to="jan@example.test",
        subject="Nieuwe factuur",
        message_id="<ev-1@notify.mylm>",
        body="text",
        html="<p>text</p>",
        status="pending",
        created_at=now,
        updated_at=now,
        next_attempt_at=now,
    )
    try:
        assert await repository.add_delivery(delivery) is None
        again = await repository.add_delivery(delivery)  # the redelivered event
        assert again is not None and again.status == "pending"
        # the process died before recording the outcome: the job takes it over
        assert [d.delivery_id for d in await repository.due(now, 10)] == ["ev-1"]
        await repository.note_retry("ev-1", now)
        await repository.record_attempt(
            "ev-1", status="sent", attempts=1, at=now, next_attempt_at=now, error=None
        )
        assert await repository.due(now, 10) == []
        stored = await repository.add_delivery(delivery)
        assert stored is not None and stored.status == "sent" and stored.body is None
        assert await repository.attempts() == {"ev-1": 2}
    finally:
        await client.drop_database(f"{run_id}_notify")
        await client.close()
