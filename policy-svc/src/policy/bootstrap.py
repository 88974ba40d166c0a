"""Wires policy-svc: the policy store, the member.registered / member.updated consumers,
HTTP routes."""

from collections.abc import Sequence

from fastapi import FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import (
    AMENDMENT_REMINDED,
    INVOICE_PAID,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_ACTIVATED,
    POLICY_AMENDED,
    POLICY_ISSUED,
    POLICY_RENEWED,
    POLICY_SUSPENDED,
    POLICY_TERMINATED,
    PREMIUM_DUE,
)
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from policy.adapters.amendments import AMENDMENT_INDEXES, AMENDMENTS, amendment_store
from policy.adapters.members import MEMBER_INDEXES, MongoMembers
from policy.adapters.repository import INDEXES, POLICIES, policy_store
from policy.entrypoints import api_amendments, api_documents, api_premiums
from policy.entrypoints.api import router
from policy.entrypoints.problems import PROBLEMS
from policy.service.amendments import AmendmentService
from policy.service.handlers import PolicyService
from policy.service.premiums import PremiumService
from policy.service.scheduler import TASKS, start_scheduler, stop_scheduler
from policy.settings import PolicySettings


def create_app(settings: PolicySettings | None = None) -> FastAPI:
    settings = settings or PolicySettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        service = PolicyService(
            policies=policy_store(runtime.db, source=f"/{settings.service_name}"),
            members=MongoMembers(runtime.db),
        )
        runtime.extras["policies"] = service
        premiums = PremiumService(service.policies, settings.registered_letter_tariff)
        runtime.extras["premiums"] = premiums
        # Periodic tasks (PC-5/PC-8 dated events; append yours): service/scheduler.py.
        amendments = AmendmentService(
            amendment_store(runtime.db, source=f"/{settings.service_name}"), service.policies
        )
        runtime.extras["amendments"] = amendments
        runtime.extras[TASKS] = [premiums.emit_due_events, amendments.send_reminders]
        return [
            Consumer(
                "policy-members",
                MEMBER_REGISTERED,
                service.on_member_registered,
                idempotent_effect=True,
            ),
            # A group of its own, like billing's: ``as_of`` orders the two streams.
            Consumer(
                "policy-member-updates",
                MEMBER_UPDATED,
                service.on_member_updated,
                idempotent_effect=True,
            ),
            # PC-4/PC-8: recording a term's payment is idempotent by itself.
            Consumer(
                "policy-premiums-paid",
                INVOICE_PAID,
                premiums.on_invoice_paid,
                idempotent_effect=True,
            ),
        ]

    return create_service_app(
        settings,
        ServiceDefinition(
            title="policy-svc",
            description="Private-life accident contracts: proposals, insured persons, "
            "renewal and termination dates (PC-1..PC-12).",
            routers=[router, api_premiums.router, api_amendments.router, api_documents.router],
            problems=PROBLEMS,
            indexes=[*INDEXES, *MEMBER_INDEXES, *AMENDMENT_INDEXES],
            produces=[
                POLICY_ISSUED,
                PREMIUM_DUE,
                POLICY_TERMINATED,
                POLICY_ACTIVATED,
                POLICY_RENEWED,
                POLICY_SUSPENDED,
                POLICY_AMENDED,
                AMENDMENT_REMINDED,
            ],
            outbox_collections=[POLICIES, AMENDMENTS],
            consumers=consumers,
            on_startup=lambda runtime: start_scheduler(
                runtime, settings.scheduler_interval_seconds
            ),
            on_shutdown=stop_scheduler,
        ),
    )
