"""Wires inbox-svc: repository, consumers of invoice.issued, policy.issued,
policy.amended, the eight claim.* topics and member.registered / member.updated, routes."""

from collections.abc import Sequence
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
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_AMENDED,
    POLICY_ISSUED,
    EventSpec,
)
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from inbox.adapters.repository import INDEXES, InboxRepository
from inbox.entrypoints.api import router
from inbox.service.handlers import InboxService
from inbox.settings import InboxSettings


def create_app(settings: InboxSettings | None = None) -> FastAPI:
    settings = settings or InboxSettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        languages = ReadThroughCache[str, str](
            max_entries=settings.member_cache_max_entries,
            ttl_seconds=settings.member_cache_ttl_seconds,
        )
        service = InboxService(InboxRepository(runtime.db, languages=languages))
        runtime.extras["inbox"] = service
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
            Consumer(
                "inbox-policies", POLICY_ISSUED, service.on_policy_issued, idempotent_effect=True
            ),
            Consumer(
                "inbox-amendments",
                POLICY_AMENDED,
                service.on_policy_amended,
                idempotent_effect=True,
            ),
            # CL-1: one letter per claim milestone, idempotent on its business identity.
            *(
                Consumer(
                    f"inbox-{spec.topic.replace('.', '-')}", spec, handler, idempotent_effect=True
                )
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

    return create_service_app(
        settings,
        ServiceDefinition(
            title="inbox-svc",
            description="The secure inbox of My LM members (IN-1..IN-3).",
            routers=[router],
            indexes=INDEXES,
            consumers=consumers,
        ),
    )
