"""Wires inbox-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, inbox)`` wires the use cases over the store it is given (unit
tests pass ``testkit/fakes/inbox.py``); ``create_app``'s ``live`` builds the Mongo
repository (with its language cache) and hands it to ``bootstrap``; the consumers of
invoice.issued, policy.issued, policy.amended, the eight claim.* topics and
member.registered / member.updated come from its result.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mylm_shared.consumer import Consumer, Handler
from mylm_shared.events import (
    CLAIM_ACCEPTED,
    CLAIM_CLOSED,
    CLAIM_DECLARED,
    CLAIM_DOCUMENTS_REQUESTED,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    CLAIM_REJECTED,
    INVOICE_ISSUED,
    INVOICE_REMINDER_DUE,
    MAINTENANCE_ANNOUNCED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_AMENDED,
    POLICY_ISSUED,
    TERMS_CHANGED,
    EventSpec,
)
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from inbox.adapters.repository import INDEXES, InboxRepository
from inbox.entrypoints.api import router
from inbox.service.handlers import Inbox, InboxService
from inbox.service.use_cases import InboxUseCases
from inbox.settings import InboxSettings


def bootstrap(settings: InboxSettings, *, inbox: Inbox) -> InboxUseCases:
    """inbox's use cases over this store."""
    return InboxUseCases(inbox=InboxService(inbox))


def consumers(use_cases: InboxUseCases) -> Sequence[Consumer]:
    service = use_cases.inbox
    claim_letters: list[tuple[EventSpec[Any], Handler]] = [
        (CLAIM_DECLARED, service.on_claim_declared),
        (CLAIM_DOCUMENTS_REQUESTED, service.on_claim_documents_requested),
        (CLAIM_ACCEPTED, service.on_claim_accepted),
        (CLAIM_REJECTED, service.on_claim_rejected),
        (CLAIM_OFFER_MADE, service.on_claim_offer_made),
        (CLAIM_OFFER_ACCEPTED, service.on_claim_offer_accepted),
        (CLAIM_PAID, service.on_claim_paid),
        (CLAIM_CLOSED, service.on_claim_closed),
    ]
    return [
        Consumer(
            "inbox-invoices", INVOICE_ISSUED, service.on_invoice_issued, idempotent_effect=True
        ),
        # EI-5 (issue 18 item 4): one document per reminder (invoice, level)
        Consumer(
            "inbox-invoice-reminders",
            INVOICE_REMINDER_DUE,
            service.on_invoice_reminder_due,
            idempotent_effect=True,
        ),
        # EI-6, EI-7 (issue 18 items 5, 6): one letter per notice and member
        Consumer("inbox-terms", TERMS_CHANGED, service.on_terms_changed, idempotent_effect=True),
        Consumer(
            "inbox-maintenance",
            MAINTENANCE_ANNOUNCED,
            service.on_maintenance_announced,
            idempotent_effect=True,
        ),
        Consumer("inbox-policies", POLICY_ISSUED, service.on_policy_issued, idempotent_effect=True),
        Consumer(
            "inbox-amendments",
            POLICY_AMENDED,
            service.on_policy_amended,
            idempotent_effect=True,
        ),
        # CL-1: one letter per claim milestone, idempotent on its business identity.
        *(
            Consumer(f"inbox-{spec.topic.replace('.', '-')}", spec, handler, idempotent_effect=True)
            for spec, handler in claim_letters
        ),
        Consumer(
            "inbox-members",
            MEMBER_REGISTERED,
            service.on_member_registered,
            idempotent_effect=True,
        ),
        Consumer(
            "inbox-member-updates",
            MEMBER_UPDATED,
            service.on_member_updated,
            idempotent_effect=True,
        ),
    ]


def create_app(settings: InboxSettings | None = None) -> FastAPI:
    config = settings or InboxSettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[InboxUseCases]:
        languages = ReadThroughCache[str, str](
            max_entries=config.member_cache_max_entries,
            ttl_seconds=config.member_cache_ttl_seconds,
        )
        yield bootstrap(config, inbox=InboxRepository(runtime.db, languages=languages))

    return create_service_app(
        config,
        ServiceDefinition(
            title="inbox-svc",
            description="The secure inbox of My LM members (IN-1..IN-3).",
            routers=[router],
            indexes=INDEXES,
            bootstrap=live,
            consumers_of=consumers,
        ),
    )
