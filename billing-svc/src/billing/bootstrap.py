"""Wires billing-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, invoices, members, references, payments)`` wires the use cases
over the ports it is given (unit tests pass ``testkit/fakes``); ``create_app``'s ``live``
builds the Mongo adapters on the runtime's database and hands them to ``bootstrap``;
the member.registered / member.updated / premium.due consumers come from its result.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from mylm_shared.aggregates import AggregateStore, due_indexes
from mylm_shared.consumer import Consumer
from mylm_shared.events import (
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    EINVOICING_CHANGED,
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    INVOICE_OVERDUE,
    INVOICE_PAID,
    INVOICE_PRINT_REQUESTED,
    INVOICE_REMINDER_DUE,
    MAINTENANCE_ANNOUNCED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    PREMIUM_DUE,
    TERMS_CHANGED,
)
from mylm_shared.lease import LEASES, Lease
from mylm_shared.scheduler import Scheduler, daily_at
from mylm_shared.sequences import NumberSource
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from billing.adapters import invoice_pdf
from billing.adapters.einvoicing import EINVOICING, EINVOICING_INDEXES, einvoicing_store
from billing.adapters.notices import (
    NOTICE_BATCHES,
    NOTICE_INDEXES,
    MongoEInvoicingMembers,
    MongoMaintenanceWindows,
    MongoNotices,
    MongoTermsVersions,
)
from billing.adapters.payments import MongoPayments
from billing.adapters.repository import (
    INDEXES,
    INVOICES,
    MongoInvoicePdfs,
    MongoMembers,
    invoice_store,
    reference_numbers,
)
from billing.domain.dunning import DunningPolicy
from billing.domain.einvoicing import EInvoicing
from billing.domain.invoice import Invoice
from billing.entrypoints.api import router
from billing.entrypoints.api_downloads import router as downloads_router
from billing.entrypoints.api_einvoicing import router as einvoicing_router
from billing.entrypoints.api_jobs import router as jobs_router
from billing.entrypoints.api_notices import router as notices_router
from billing.entrypoints.api_payments import router as payments_router
from billing.entrypoints.maintenance_gate import gated
from billing.entrypoints.problems import PROBLEMS
from billing.service.downloads import InvoiceDownloads
from billing.service.dunning import LEASE_NAME as DUNNING_LEASE
from billing.service.dunning import DunningService
from billing.service.einvoicing import EInvoicingService, utc_now
from billing.service.handlers import BillingService, KnownMembers
from billing.service.notices import LEASE_NAME as NOTICES_LEASE
from billing.service.notices import MaintenanceService, NoticeFanout, TermsService
from billing.service.payments import PaymentJournal, PaymentsService
from billing.service.ports import (
    EInvoicingMembers,
    InvoicePdfs,
    MaintenanceWindows,
    Notices,
    PdfRenderer,
    TermsVersions,
)
from billing.service.use_cases import BillingUseCases
from billing.settings import BillingSettings


def bootstrap(
    settings: BillingSettings,
    *,
    invoices: AggregateStore[Invoice],
    members: KnownMembers,
    references: NumberSource,
    payments: PaymentJournal,
    einvoicing: AggregateStore[EInvoicing],
    pdfs: InvoicePdfs,
    terms: TermsVersions,
    windows: MaintenanceWindows,
    notices: Notices,
    einvoicing_members: EInvoicingMembers,
    render: PdfRenderer = invoice_pdf.render,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> BillingUseCases:
    """billing's use cases over these ports."""
    channels = EInvoicingService(einvoicing, clock=clock)
    policy = DunningPolicy(
        settings.dunning_first_reminder_days, settings.dunning_second_reminder_days
    )
    return BillingUseCases(
        billing=BillingService(
            invoices=invoices,
            members=members,
            references=references,
            channels=channels,  # EI-2/EI-3: the channel read once at issue
            clock=clock,
        ),
        payments=PaymentsService(invoices, payments),
        downloads=InvoiceDownloads(pdfs, members, render),
        einvoicing=channels,
        dunning=DunningService(invoices, channels, policy, clock=clock),
        terms=TermsService(terms, clock=clock),  # EI-6
        maintenance=MaintenanceService(  # EI-7
            windows, clock=clock, cache_seconds=settings.maintenance_cache_seconds
        ),
        notices=NoticeFanout(  # EI-6, EI-7: to every e-invoicing member, paced, resumable
            terms,
            windows,
            einvoicing_members,
            notices,
            batch_size=settings.notice_batch_size,
            pause_seconds=settings.notice_batch_pause_seconds,
            clock=clock,
            sleep=sleep,
        ),
    )


def consumers(use_cases: BillingUseCases) -> Sequence[Consumer]:
    service = use_cases.billing
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
        # EI-2: e-invoicing on with the account; off when it ends (EI-3). Idempotent by
        # the event id kept on the switch (a redelivery records nothing).
        Consumer(
            "billing-einvoicing-accounts",
            ACCOUNT_CREATED,
            use_cases.einvoicing.on_account_created,
            idempotent_effect=True,
        ),
        Consumer(
            "billing-einvoicing-account-ends",
            ACCOUNT_STATUS_CHANGED,
            use_cases.einvoicing.on_account_status_changed,
            idempotent_effect=True,
        ),
    ]


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    config = settings or BillingSettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[BillingUseCases]:
        use_cases = bootstrap(
            config,
            invoices=invoice_store(runtime.db, source=f"/{config.service_name}"),
            members=MongoMembers(runtime.db),
            references=reference_numbers(runtime.db),
            payments=MongoPayments(runtime.db),
            einvoicing=einvoicing_store(runtime.db, source=f"/{config.service_name}"),
            pdfs=MongoInvoicePdfs(runtime.db),
            terms=MongoTermsVersions(runtime.db),
            windows=MongoMaintenanceWindows(runtime.db),
            notices=MongoNotices(runtime.db, source=f"/{config.service_name}"),
            einvoicing_members=MongoEInvoicingMembers(runtime.db),
        )
        # EI-5: the dunning job at start-up, then daily at ``dunning_daily_at``; one replica
        # runs it, the holder of the lease (renewed on every check).
        interval = config.dunning_check_seconds
        lease = Lease(runtime.db[LEASES], DUNNING_LEASE, ttl_seconds=max(10.0, 3 * interval))
        job = daily_at(use_cases.dunning.run, config.dunning_daily_at)
        scheduler = Scheduler([job], interval_seconds=interval, lease=lease, name=DUNNING_LEASE)
        scheduler.start()
        # EI-6, EI-7: the notices' fan-out, one replica (its own lease), resumable.
        notice_every = config.notice_check_seconds
        notice_lease = Lease(
            runtime.db[LEASES], NOTICES_LEASE, ttl_seconds=max(10.0, 3 * notice_every)
        )
        fanout = Scheduler(
            [use_cases.notices.run],
            interval_seconds=notice_every,
            lease=notice_lease,
            name=NOTICES_LEASE,
        )
        fanout.start()
        try:
            yield use_cases
        finally:
            await fanout.stop()
            await scheduler.stop()

    return create_service_app(
        config,
        ServiceDefinition(
            title="billing-svc",
            description="Invoices of My LM members (EI-1..EI-7) and the payments received.",
            # EI-7: member routes behind the maintenance gate; terms and maintenance not.
            routers=[
                gated(downloads_router, router, payments_router, einvoicing_router, jobs_router),
                notices_router,
            ],
            problems=PROBLEMS,
            indexes=[
                *INDEXES,
                *EINVOICING_INDEXES,
                *NOTICE_INDEXES,
                *due_indexes(INVOICES, "due_date"),
            ],
            produces=[
                INVOICE_ISSUED,
                INVOICE_PAID,
                INVOICE_CANCELLED,
                INVOICE_PRINT_REQUESTED,
                INVOICE_OVERDUE,
                INVOICE_REMINDER_DUE,
                EINVOICING_CHANGED,
                TERMS_CHANGED,
                MAINTENANCE_ANNOUNCED,
            ],
            outbox_collections=[INVOICES, EINVOICING, NOTICE_BATCHES],
            bootstrap=live,
            consumers_of=consumers,
        ),
    )
