"""A service app running in the test's process against the real platform: its lifespan
(indexes, topics, outbox relay, Kafka consumers) runs for real; HTTP goes through httpx."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Literal

import httpx
from fastapi import FastAPI
from mylm_shared.events import (
    INVOICE_ISSUED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    CloudEvent,
    InvoiceIssuedV1,
    MemberRegisteredV1,
    MemberUpdatedV1,
    PostalAddressV1,
    new_event,
)
from mylm_shared.events.catalog import InvoiceLineV1, Language

from testkit.polling import eventually
from testkit.tokens import TokenMint

READY_WITHIN_SECONDS = 60.0


@asynccontextmanager
async def serving(
    app: FastAPI, tokens: TokenMint | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app started; once its revocation list is current (polled with a deadline: a
    service answers tokens 503 until then, issue 15 item 7). With ``tokens`` the app
    trusts the test's key in place of identity's JWKS, keeping its revocation list."""
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        if tokens is not None:
            app.state.runtime.token_verifier = tokens.verifier(revocations=runtime.revocations)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            await until_revocations_current(app)
            yield client


async def until_revocations_current(app: FastAPI, within: float = READY_WITHIN_SECONDS) -> None:
    """Poll until the app's revocation list is current (no-op for an app without one)."""
    revocations = app.state.runtime.revocations
    if revocations is None:
        return

    async def current() -> bool:
        return bool(revocations.current)

    await eventually(current, within=within, what=f"{app.title}: revocation list current")


def member_registered(
    member_id: str | None = None,
    email: str = "jan@example.test",
    language: Language = "nl",
    address: PostalAddressV1 | None = None,
    first_name: str = "Jan",
) -> CloudEvent:
    """``address``: the postal address (issue 18 item 3); None: none known."""
    member_id = member_id or str(uuid.uuid4())
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=email,
        language=language,
        mutuality="LM Plus",
        first_name=first_name,
        last_name="Peeters",
        address=address,
    )
    return new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)


def member_updated(
    member_id: str,
    email: str | None = "jan@example.test",
    language: Language = "nl",
    changed: tuple[str, ...] = ("email", "language"),
) -> CloudEvent:
    """The whole current entry after a change, as identity-svc's directory emits it."""
    payload = MemberUpdatedV1(
        member_id=member_id,
        email=email,
        language=language,
        mutuality="LM Plus",
        first_name="Jan",
        last_name="Peeters",
        changed=list(changed),
    )
    return new_event(MEMBER_UPDATED, payload, source="/tests", subject=member_id)


def invoice_issued(
    member_id: str,
    total: str = "19.75",
    reference: str = "+++000/0000/00101+++",
    channel: Literal["electronic", "paper"] = "electronic",
) -> CloudEvent:
    """``channel``: billing's, from the member's e-invoicing (EI-2, EI-3)."""
    payload = InvoiceIssuedV1(
        channel=channel,
        invoice_id=str(uuid.uuid4()),
        member_id=member_id,
        issue_date=date(2026, 11, 23),
        due_date=date(2026, 12, 23),
        total=Decimal(total),
        structured_reference=reference,
        lines=[
            InvoiceLineV1(
                service_date=date(2026, 11, 2), description="Consult", amount=Decimal(total)
            )
        ],
    )
    return new_event(INVOICE_ISSUED, payload, source="/tests", subject=member_id)
