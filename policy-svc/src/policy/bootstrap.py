"""Wires policy-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, policies, members, amendments, today)`` wires the use cases over
the ports it is given (unit tests pass ``testkit/fakes``); ``create_app``'s ``live``
builds the Mongo stores, hands them to ``bootstrap``, runs the scheduler's tasks
(``PolicyUseCases.scheduler_tasks``) and stops it at shutdown; the member.registered /
member.updated / invoice.paid consumers come from its result.
"""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date

from fastapi import FastAPI
from mylm_shared.aggregates import AggregateStore
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
from mylm_shared.kernel.periods import belgian_today
from mylm_shared.lease import LEASES, Lease
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from policy.adapters.amendments import AMENDMENT_INDEXES, AMENDMENTS, amendment_store
from policy.adapters.members import MEMBER_INDEXES, MongoMembers
from policy.adapters.repository import INDEXES, POLICIES, policy_store
from policy.domain.amendments import Amendment
from policy.domain.policy import Policy
from policy.entrypoints import api_amendments, api_documents, api_premiums
from policy.entrypoints.api import router
from policy.entrypoints.problems import PROBLEMS
from policy.service.amendments import AmendmentService
from policy.service.handlers import KnownMembers, PolicyService
from policy.service.premiums import PremiumService
from policy.service.scheduler import LEASE_NAME, Scheduler
from policy.service.use_cases import PolicyUseCases
from policy.settings import PolicySettings


def bootstrap(
    settings: PolicySettings,
    *,
    policies: AggregateStore[Policy],
    members: KnownMembers,
    amendments: AggregateStore[Amendment],
    today: Callable[[], date] = belgian_today,
) -> PolicyUseCases:
    """policy's use cases over these ports; ``today`` is injectable so tests can move
    the date (renewals, reminders, suspensions)."""
    service = PolicyService(policies=policies, members=members, today=today)
    premiums = PremiumService(policies, settings.registered_letter_tariff, today=today)
    changes = AmendmentService(amendments, policies, today=today)
    return PolicyUseCases(
        policies=service,
        premiums=premiums,
        amendments=changes,
        # Periodic tasks (PC-5/PC-8 dated events, PC-7 reminders; append yours).
        scheduler_tasks=(premiums.emit_due_events, changes.send_reminders),
    )


def consumers(use_cases: PolicyUseCases) -> Sequence[Consumer]:
    return [
        Consumer(
            "policy-members",
            MEMBER_REGISTERED,
            use_cases.policies.on_member_registered,
            idempotent_effect=True,
        ),
        # A group of its own, like billing's: ``as_of`` orders the two streams.
        Consumer(
            "policy-member-updates",
            MEMBER_UPDATED,
            use_cases.policies.on_member_updated,
            idempotent_effect=True,
        ),
        # PC-4/PC-8: recording a term's payment is idempotent by itself.
        Consumer(
            "policy-premiums-paid",
            INVOICE_PAID,
            use_cases.premiums.on_invoice_paid,
            idempotent_effect=True,
        ),
    ]


def create_app(settings: PolicySettings | None = None) -> FastAPI:
    config = settings or PolicySettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[PolicyUseCases]:
        source = f"/{config.service_name}"
        use_cases = bootstrap(
            config,
            policies=policy_store(runtime.db, source=source),
            members=MongoMembers(runtime.db),
            amendments=amendment_store(runtime.db, source=source),
        )
        interval = config.scheduler_interval_seconds
        # One replica runs the tasks: the holder of the lease, renewed on every tick, so
        # it outlives the pause between two ticks.
        lease = Lease(runtime.db[LEASES], LEASE_NAME, ttl_seconds=max(10.0, 3 * interval))
        scheduler = Scheduler(
            use_cases.scheduler_tasks, interval_seconds=interval, lease=lease, name=LEASE_NAME
        )
        scheduler.start()
        try:
            yield use_cases
        finally:
            await scheduler.stop()

    return create_service_app(
        config,
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
            bootstrap=live,
            consumers_of=consumers,
        ),
    )
