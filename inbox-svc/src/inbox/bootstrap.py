"""Wires inbox-svc: repository, consumers of invoice.issued, policy.issued,
policy.amended and member.registered / member.updated, routes."""

from collections.abc import Sequence

from fastapi import FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import (
    INVOICE_ISSUED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_AMENDED,
    POLICY_ISSUED,
)
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from inbox.adapters.repository import INDEXES, InboxRepository
from inbox.entrypoints.api import router
from inbox.service.handlers import InboxService
from inbox.settings import InboxSettings


def create_app(settings: InboxSettings | None = None) -> FastAPI:
    settings = settings or InboxSettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        service = InboxService(InboxRepository(runtime.db))
        runtime.extras["inbox"] = service
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
