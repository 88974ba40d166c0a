"""inbox-svc in-process against the real FerretDB and Kafka, with one member it already
knows (``member.registered`` consumed): the inbox integration tests' starting point."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from inbox.adapters.repository import MEMBERS
from inbox.bootstrap import create_app
from inbox.settings import InboxSettings
from mylm_shared.events import CloudEvent
from mylm_shared.events.catalog import Language

from testkit.apps import member_registered, serving
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint


@dataclass
class Inbox:
    client: httpx.AsyncClient
    tokens: TokenMint
    member_id: str
    publish: Callable[[str, CloudEvent], Awaitable[None]]  # logical topic, event

    async def documents(self) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/v1/members/{self.member_id}/documents", headers=self.tokens.member(self.member_id)
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


@asynccontextmanager
async def inbox_with_member(
    platform: Endpoints, run_id: str, language: Language
) -> AsyncIterator[Inbox]:
    tokens = TokenMint()
    app = create_app(InboxSettings(**isolated(platform, run_id, "inbox")))  # type: ignore[arg-type]
    async with serving(app, tokens) as client:

        async def send(topic: str, event: CloudEvent) -> None:
            await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

        member = member_registered(language=language)
        await send("member.registered", member)
        members = app.state.runtime.db[MEMBERS]

        async def language_known() -> int:
            return int(await members.count_documents({"_id": member.subject}))

        await eventually(language_known, what="inbox learns the member's language")
        yield Inbox(client, tokens, member.subject or "", send)
