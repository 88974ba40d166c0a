"""notify-svc when the world misbehaves, against the real Kafka, FerretDB and Mailpit:
an SMTP outage delays e-mails but loses and doubles none (EI-4), and an invoice whose
member is not known yet waits for ``member.registered`` instead of being dead-lettered."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from mylm_shared.events import CloudEvent
from notify.bootstrap import create_app
from notify.settings import NotifySettings

from testkit.apps import invoice_issued, member_registered, serving
from testkit.kafka import publish_event, read_all
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually, throughout
from testkit.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 30


@dataclass
class Setup:
    run_id: str
    platform: Endpoints
    smtp: TcpProxy
    mailpit: Mailpit

    @property
    def domain(self) -> str:
        return f"{self.run_id}.test"

    async def publish(self, topic: str, event: CloudEvent) -> None:
        await publish_event(self.platform.kafka_bootstrap_servers, f"{self.run_id}.{topic}", event)

    async def dead_letters(self) -> list[object]:
        return list(
            await read_all(
                self.platform.kafka_bootstrap_servers, f"{self.run_id}.invoice.issued.dlq"
            )
        )

    async def emails(self) -> list[dict[str, object]]:
        return await self.mailpit.messages_to(self.domain)


@pytest.fixture
async def setup(platform: Endpoints, run_id: str) -> AsyncIterator[Setup]:
    target = urlsplit(platform.smtp_url)
    smtp = TcpProxy(target.hostname or "127.0.0.1", target.port or 1025)
    await smtp.restore()
    settings = NotifySettings(
        **{  # type: ignore[arg-type]
            **isolated(platform, run_id, "notify"),
            "smtp_url": f"smtp://127.0.0.1:{smtp.port}",
            "consumer_max_attempts": 2,  # a bug would be dead-lettered after 0.1 s
            "consumer_backoff_seconds": 0.1,
            "consumer_backoff_max_seconds": 2.0,
            "consumer_dependency_wait_seconds": 600.0,
            # issue 19 item 6: deliveries retried by the job, soon after the outage
            "delivery_check_seconds": 0.5,
            "delivery_backoff_seconds": 0.5,
            "delivery_backoff_max_seconds": 3.0,
        }
    )
    mailpit = Mailpit(platform.mailpit_api)
    async with serving(create_app(settings)):
        yield Setup(run_id, platform, smtp, mailpit)
    await smtp.aclose()
    await mailpit.aclose()


def new_member(setup: Setup) -> CloudEvent:
    return member_registered(email=f"{uuid.uuid4().hex[:8]}@{setup.domain}")


async def test_smtp_down_for_30_s_during_a_burst_then_every_email_once(setup: Setup) -> None:
    member = new_member(setup)
    await setup.publish("member.registered", member)
    await setup.smtp.cut()
    invoices = [invoice_issued(member.subject or "", total=f"{n}.00") for n in range(1, 21)]
    for invoice in invoices:
        await setup.publish("invoice.issued", invoice)

    async def nothing_moves() -> None:
        assert await setup.emails() == []
        assert await setup.dead_letters() == []

    await throughout(nothing_moves, seconds=OUTAGE_SECONDS, interval=1)
    await setup.smtp.restore()

    emails = await eventually(setup.emails, until=lambda e: len(e) >= 20, within=60)
    assert len({email["MessageID"] for email in emails}) == 20  # one per invoice
    assert len(emails) == 20  # and no SMTP transaction twice (no crash here)
    assert await setup.dead_letters() == []


async def test_an_invoice_before_its_member_is_emailed_once_the_member_is_known(
    setup: Setup,
) -> None:
    member = new_member(setup)
    await setup.publish("invoice.issued", invoice_issued(member.subject or ""))

    async def not_dead_lettered() -> None:
        assert await setup.dead_letters() == []

    await throughout(not_dead_lettered, seconds=5)  # a bug would be in the DLQ in 0.1 s
    await setup.publish("member.registered", member)

    emails = await eventually(setup.emails, within=30, what="the invoice e-mail")
    assert len(emails) == 1
    assert await setup.dead_letters() == []
