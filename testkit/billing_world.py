"""billing-svc with inbox-svc and notify-svc in process on an isolated run of the real
platform (Kafka, FerretDB, Mailpit): the world of billing's issue 18 integration tests."""

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from billing.bootstrap import create_app
from billing.settings import BillingSettings
from inbox.bootstrap import create_app as create_inbox
from inbox.settings import InboxSettings
from mylm_shared.events import (
    ACCOUNT_CREATED,
    AccountCreatedV1,
    CloudEvent,
    PostalAddressV1,
    new_event,
)
from notify.bootstrap import create_app as create_notify
from notify.settings import NotifySettings

from testkit.apps import member_registered, serving
from testkit.kafka import publish_event, read_all
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint


def account_created(member_id: str) -> CloudEvent:
    """identity's ``account.created`` for ``member_id`` (EI-2 switches e-invoicing on)."""
    payload = AccountCreatedV1(
        account_id=str(uuid.uuid4()),
        member_id=member_id,
        method="password",
        terms_version="2026-01",
        terms_accepted_at=datetime.now(UTC),
    )
    return new_event(ACCOUNT_CREATED, payload, source="/tests", subject=member_id)


@dataclass
class BillingWorld:
    run_id: str
    bootstrap: str
    client: httpx.AsyncClient  # billing-svc
    tokens: TokenMint
    mailpit: Mailpit
    inbox: httpx.AsyncClient  # inbox-svc

    async def publish(self, topic: str, event: Any) -> None:
        await publish_event(self.bootstrap, f"{self.run_id}.{topic}", event)

    async def records(self, topic: str) -> list[dict[str, Any]]:
        found = await read_all(self.bootstrap, f"{self.run_id}.{topic}")
        return [json.loads(r.value or b"{}")["data"] for r in found]

    async def member(
        self,
        *,
        account: bool = False,
        language: str = "nl",
        address: PostalAddressV1 | None = None,
    ) -> tuple[str, str]:
        """A member known to billing, inbox and notify (``member.registered``, with the
        postal ``address`` if given) and their e-mail address; with an account
        (``account.created``): e-invoicing on (EI-2)."""
        email = f"{uuid.uuid4().hex[:8]}@{self.run_id}.test"
        event = member_registered(email=email, language=language, address=address)  # type: ignore[arg-type]
        member_id = event.subject or ""
        await self.publish("member.registered", event)
        if account:
            await self.publish("account.created", account_created(member_id))
            await eventually(
                lambda: self.einvoicing(member_id), until=lambda s: s["enabled"], what="EI-2"
            )
        return member_id, email

    async def issue(self, member_id: str, issue: str, due: str, amount: str = "25.00") -> Any:
        """A care invoice issued by staff, once billing knows the member."""
        body = {
            "member_id": member_id,
            "issue_date": issue,
            "due_date": due,
            "lines": [{"service_date": issue, "description": "Consultatie", "amount": amount}],
        }

        async def issued() -> httpx.Response:
            headers = self.tokens.staff() | {"Idempotency-Key": str(uuid.uuid4())}
            return await self.client.post("/v1/invoices", json=body, headers=headers)

        response = await eventually(
            issued, until=lambda r: r.status_code == 201, what="billing knows the member"
        )
        return response.json()

    async def einvoicing(self, member_id: str) -> dict[str, Any]:
        response = await self.client.get(
            f"/v1/members/{member_id}/einvoicing", headers=self.tokens.member(member_id)
        )
        assert response.status_code == 200, response.text
        state: dict[str, Any] = response.json()
        return state

    async def documents(self, member_id: str) -> list[dict[str, Any]]:
        response = await self.inbox.get(
            f"/v1/members/{member_id}/documents", headers=self.tokens.member(member_id)
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


@asynccontextmanager
async def billing_world(
    platform: Endpoints, run_id: str, **billing_settings: Any
) -> AsyncIterator[BillingWorld]:
    """billing (``billing_settings`` override its defaults), inbox and notify serving."""
    tokens = TokenMint()
    billing = create_app(
        BillingSettings(**isolated(platform, run_id, "billing"), **billing_settings)  # type: ignore[arg-type]
    )
    notify = create_notify(NotifySettings(**isolated(platform, run_id, "notify")))  # type: ignore[arg-type]
    inbox = create_inbox(InboxSettings(**isolated(platform, run_id, "inbox")))  # type: ignore[arg-type]
    mailpit = Mailpit(platform.mailpit_api)
    try:
        async with (
            serving(notify),
            serving(inbox, tokens) as documents,
            serving(billing, tokens) as client,
        ):
            yield BillingWorld(
                run_id, platform.kafka_bootstrap_servers, client, tokens, mailpit, documents
            )
    finally:
        await mailpit.aclose()
