"""Wires billing-svc: repository, the member.registered / member.updated consumers, HTTP
routes."""

from collections.abc import Sequence

from fastapi import FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import INVOICE_ISSUED, MEMBER_REGISTERED, MEMBER_UPDATED
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from billing.adapters.repository import (
    INDEXES,
    INVOICES,
    MongoMembers,
    invoice_store,
    reference_numbers,
)
from billing.entrypoints.api import router
from billing.service.handlers import BillingService
from billing.settings import BillingSettings


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    settings = settings or BillingSettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        service = BillingService(
            invoices=invoice_store(runtime.db, source=f"/{settings.service_name}"),
            members=MongoMembers(runtime.db),
            references=reference_numbers(runtime.db),
        )
        runtime.extras["billing"] = service
        return [
            Consumer(
                "billing-members",
                MEMBER_REGISTERED,
                service.on_member_registered,
                idempotent_effect=True,
            ),
            # Own consumer name: a group of its own, so updates never wait behind
            # registrations (and the other way round); ``as_of`` orders them.
            Consumer(
                "billing-member-updates",
                MEMBER_UPDATED,
                service.on_member_updated,
                idempotent_effect=True,
            ),
        ]

    return create_service_app(
        settings,
        ServiceDefinition(
            title="billing-svc",
            description="Invoices of My LM members, issued by staff (EI-1..EI-5).",
            routers=[router],
            indexes=INDEXES,
            produces=[INVOICE_ISSUED],
            outbox_collections=[INVOICES],
            consumers=consumers,
        ),
    )
