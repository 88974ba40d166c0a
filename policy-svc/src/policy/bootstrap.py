"""Wires policy-svc: the policy store, the member.registered / member.updated consumers,
HTTP routes."""

from collections.abc import Sequence

from fastapi import FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import (
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_ISSUED,
    POLICY_TERMINATED,
    PREMIUM_DUE,
)
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from policy.adapters.repository import INDEXES, POLICIES, MongoMembers, policy_store
from policy.entrypoints import api_amendments, api_documents, api_premiums
from policy.entrypoints.api import router
from policy.service.handlers import PolicyService
from policy.settings import PolicySettings


def create_app(settings: PolicySettings | None = None) -> FastAPI:
    settings = settings or PolicySettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        service = PolicyService(
            policies=policy_store(runtime.db, source=f"/{settings.service_name}"),
            members=MongoMembers(runtime.db),
        )
        runtime.extras["policies"] = service
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
        ]

    return create_service_app(
        settings,
        ServiceDefinition(
            title="policy-svc",
            description="Private-life accident contracts: proposals, insured persons, "
            "renewal and termination dates (PC-1..PC-12).",
            routers=[router, api_premiums.router, api_amendments.router, api_documents.router],
            indexes=INDEXES,
            produces=[POLICY_ISSUED, PREMIUM_DUE, POLICY_TERMINATED],
            outbox_collections=[POLICIES],
            consumers=consumers,
        ),
    )
