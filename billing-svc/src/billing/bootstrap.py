"""Wires billing-svc: repository, the member.registered / member.updated / premium.due
consumers, payments, HTTP routes."""

from collections.abc import Sequence

from fastapi import FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import (
    INVOICE_ISSUED,
    INVOICE_PAID,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    PREMIUM_DUE,
)
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from billing.adapters.payments import MongoPayments
from billing.adapters.repository import (
    INDEXES,
    INVOICES,
    MongoMembers,
    invoice_store,
    reference_numbers,
)
from billing.entrypoints.api import router
from billing.entrypoints.api_payments import router as payments_router
from billing.entrypoints.problems import PROBLEMS
from billing.service.handlers import BillingService
from billing.service.payments import PaymentsService
from billing.settings import BillingSettings


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    settings = settings or BillingSettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        invoices = invoice_store(runtime.db, source=f"/{settings.service_name}")
        service = BillingService(
            invoices=invoices,
            members=MongoMembers(runtime.db),
            references=reference_numbers(runtime.db),
        )
        runtime.extras["billing"] = service
        runtime.extras["payments"] = PaymentsService(invoices, MongoPayments(runtime.db))
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
            # PC-8: one premium invoice per (policy, term), its id derived from the pair.
            Consumer(
                "billing-premiums",
                PREMIUM_DUE,
                service.on_premium_due,
                idempotent_effect=True,
            ),
        ]

    return create_service_app(
        settings,
        ServiceDefinition(
            title="billing-svc",
            description="Invoices of My LM members (EI-1..EI-5) and the payments received.",
            routers=[router, payments_router],
            problems=PROBLEMS,
            indexes=INDEXES,
            produces=[INVOICE_ISSUED, INVOICE_PAID],
            outbox_collections=[INVOICES],
            consumers=consumers,
        ),
    )
