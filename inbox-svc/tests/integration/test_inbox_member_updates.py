"""inbox-svc keeps its members' languages current from `member.updated` (real FerretDB
and Kafka): documents filed afterwards are titled in the new language (IN-1)."""

import pytest
from inbox.adapters.repository import MEMBERS
from inbox.bootstrap import create_app
from inbox.settings import InboxSettings
from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document

from testkit.apps import invoice_issued, member_registered, member_updated, serving
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration


async def test_after_member_updated_documents_are_titled_in_the_new_language(
    platform: Endpoints, run_id: str
) -> None:
    tokens = TokenMint()
    app = create_app(InboxSettings(**isolated(platform, run_id, "inbox")))  # type: ignore[arg-type]

    async def send(topic: str, event: CloudEvent) -> None:
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

    async with serving(app, tokens) as client:
        members = app.state.runtime.db[MEMBERS]
        registered = member_registered(language="fr")
        member_id = registered.subject or ""
        await send("member.registered", registered)

        async def language() -> str | None:
            found: Document | None = await members.find_one({"_id": member_id})
            return found["language"] if found else None

        await eventually(language, until=lambda lang: lang == "fr")
        await send("member.updated", member_updated(member_id, language="nl"))
        await eventually(language, until=lambda lang: lang == "nl", what="the new language")

        await send("invoice.issued", invoice_issued(member_id, total="42.10"))

        async def documents() -> list[dict[str, str]]:
            response = await client.get(
                f"/v1/members/{member_id}/documents", headers=tokens.member(member_id)
            )
            assert response.status_code == 200, response.text
            items: list[dict[str, str]] = response.json()["items"]
            return items

        [document] = await eventually(documents, what="the invoice document")
        assert document["title"].startswith("Factuur +++000/0000/00101+++")
