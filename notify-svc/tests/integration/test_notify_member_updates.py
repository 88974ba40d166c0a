"""notify-svc keeps its recipients current from `member.updated` (real FerretDB, Kafka,
Mailpit): e-mails sent afterwards go to the new address, in the new language (EI-4);
an older update re-driven later, or a late `member.registered`, changes nothing."""

import uuid
from datetime import timedelta

import pytest
from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document
from notify.adapters.repository import RECIPIENTS
from notify.bootstrap import create_app
from notify.settings import NotifySettings

from testkit.apps import invoice_issued, member_registered, member_updated, serving
from testkit.kafka import publish_event
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.slice import consumer_lag

pytestmark = pytest.mark.integration


def earlier(event: CloudEvent, seconds: float) -> CloudEvent:
    return event.model_copy(update={"time": event.time - timedelta(seconds=seconds)})


async def test_after_member_updated_invoice_emails_go_to_the_new_address_in_french(
    platform: Endpoints, run_id: str
) -> None:
    settings = NotifySettings(**isolated(platform, run_id, "notify"))  # type: ignore[arg-type]
    app = create_app(settings)
    mailpit = Mailpit(platform.mailpit_api)
    domain = f"{run_id}.test"
    old, new, stale = (f"{name}-{uuid.uuid4().hex[:6]}@{domain}" for name in ("a", "b", "c"))

    async def send(topic: str, event: CloudEvent) -> None:
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

    try:
        async with serving(app):
            recipients = app.state.runtime.db[RECIPIENTS]
            registered = member_registered(email=old, language="nl")
            member_id = registered.subject or ""
            update = member_updated(member_id, email=new, language="fr")
            # The update first: another topic, so it may well be handled first.
            await send("member.updated", update)
            await send("member.registered", registered)

            async def recipient() -> Document | None:
                found: Document | None = await recipients.find_one({"_id": member_id})
                return found

            await eventually(recipient, until=lambda r: r is not None and r["email"] == new)
            group = f"{settings.group_id}.notify-members"
            await eventually(
                lambda: consumer_lag(
                    platform.kafka_bootstrap_servers, group, f"{run_id}.member.registered"
                ),
                until=lambda lag: lag == 0,
                what="member.registered handled",
            )
            # An older update re-driven from the DLQ after the newer one: ignored.
            await send("member.updated", earlier(member_updated(member_id, email=stale), 60))
            await eventually(
                lambda: consumer_lag(
                    platform.kafka_bootstrap_servers,
                    f"{settings.group_id}.notify-member-updates",
                    f"{run_id}.member.updated",
                ),
                until=lambda lag: lag == 0,
                what="the stale update handled",
            )
            stored = await recipient()
            assert stored is not None
            assert (stored["email"], stored["language"]) == (new, "fr")

            await send("invoice.issued", invoice_issued(member_id, total="5.00"))
            emails = await eventually(lambda: mailpit.messages_to(domain), what="the e-mail")
            assert [e["To"][0]["Address"] for e in emails] == [new]
            message = await mailpit.message(emails[0]["ID"])
            assert "5,00\u00a0€" in message["Text"]  # French formatting
            assert "Nieuwe factuur" not in message["Subject"]
    finally:
        await mailpit.aclose()
