"""billing-svc keeps its member projection current from `member.updated` (real FerretDB
and Kafka): a member first heard of through an update can be invoiced, the language and
mutuality follow the directory, and an older update re-driven later changes nothing."""

from datetime import timedelta
from functools import partial

import pytest
from billing.adapters.repository import MEMBERS
from billing.bootstrap import create_app
from billing.settings import BillingSettings
from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document

from testkit.apps import member_registered, member_updated, serving
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.slice import consumer_lag
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

INVOICE = {
    "issue_date": "2026-11-23",
    "due_date": "2026-12-23",
    "lines": [{"service_date": "2026-11-02", "description": "Consultatie", "amount": "12.50"}],
}


async def test_member_updated_keeps_billings_members_current_and_never_goes_back(
    platform: Endpoints, run_id: str
) -> None:
    settings = BillingSettings(**isolated(platform, run_id, "billing"))  # type: ignore[arg-type]
    app = create_app(settings)
    tokens = TokenMint()

    async def send(topic: str, event: CloudEvent) -> None:
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

    async with serving(app, tokens) as client:
        members = app.state.runtime.db[MEMBERS]
        registered = member_registered(language="nl")
        member_id = registered.subject or ""
        update = member_updated(member_id, language="fr")
        await send("member.updated", update)  # before its member.registered (another topic)

        async def member() -> Document | None:
            found: Document | None = await members.find_one({"_id": member_id})
            return found

        await eventually(member, until=lambda m: m is not None and m["language"] == "fr")
        issued = await client.post(
            "/v1/invoices", json={**INVOICE, "member_id": member_id}, headers=tokens.staff()
        )
        assert issued.status_code == 201, issued.text

        await send("member.registered", registered)  # late: the older state
        stale = member_updated(member_id, language="de")
        await send(
            "member.updated", stale.model_copy(update={"time": stale.time - timedelta(minutes=1)})
        )
        for consumer, topic in (
            ("billing-members", "member.registered"),
            ("billing-member-updates", "member.updated"),
        ):
            lag = partial(
                consumer_lag,
                platform.kafka_bootstrap_servers,
                f"{settings.group_id}.{consumer}",
                f"{run_id}.{topic}",
            )
            await eventually(lag, until=lambda behind: behind == 0, what=f"{topic} handled")
        stored = await member()
        assert stored is not None and stored["language"] == "fr"
