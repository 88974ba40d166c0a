"""Wires notify-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, recipients, sender, deliveries, member_settings, code_secret)``
wires the use cases over the ports it is given (unit tests pass
``testkit/fakes/notify.py``); ``create_app``'s ``live`` builds the Mongo repository (with
its recipient cache), the SMTP sender and the code secret, hands them to ``bootstrap``,
starts the pending-deliveries job (issue 19 item 6) and stops it and closes the SMTP
connection at shutdown; the consumers and the routes come from its result.
"""

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from fastapi import FastAPI
from mylm_shared.auth import utc_now
from mylm_shared.code_secret import load_code_secret
from mylm_shared.consumer import Consumer
from mylm_shared.events import (
    AMENDMENT_REMINDED,
    CLAIM_ACCEPTED,
    CLAIM_CLOSED,
    CLAIM_DECLARED,
    CLAIM_DOCUMENTS_REQUESTED,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    CLAIM_PAYOUT_ACCOUNT_CHANGED,
    CLAIM_REJECTED,
    INVOICE_ISSUED,
    INVOICE_REMINDER_DUE,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    TERMS_CHANGED,
)
from mylm_shared.lease import LEASES, Lease
from mylm_shared.mongo import Document
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.scheduler import Scheduler
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from notify.adapters.repository import INDEXES, NotifyRepository
from notify.adapters.smtp import SmtpSender
from notify.domain.address import CodeLimit
from notify.entrypoints.api import PROBLEMS, router
from notify.service.deliveries import DeliveryService
from notify.service.handlers import NotifyService
from notify.service.member_settings import MemberSettingsService
from notify.service.ports import Deliveries, EmailSender, MemberSettings, Recipients
from notify.service.use_cases import NotifyUseCases
from notify.settings import NotifySettings

DELIVERY_LEASE = "notify-deliveries"

CLAIM_TOPICS = (
    CLAIM_DECLARED,
    CLAIM_DOCUMENTS_REQUESTED,
    CLAIM_ACCEPTED,
    CLAIM_REJECTED,
    CLAIM_OFFER_MADE,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_PAID,
    CLAIM_CLOSED,
    CLAIM_PAYOUT_ACCOUNT_CHANGED,  # issue 15 item 7: the claimant is told of the account
)


def bootstrap(
    settings: NotifySettings,
    *,
    recipients: Recipients,
    sender: EmailSender,
    deliveries: Deliveries,
    member_settings: MemberSettings,
    code_secret: bytes,
    clock: Callable[[], datetime] = utc_now,
) -> NotifyUseCases:
    """notify's use cases over these ports."""
    delivery = DeliveryService(
        deliveries,
        sender,
        clock,
        backoff_seconds=settings.delivery_backoff_seconds,
        backoff_max_seconds=settings.delivery_backoff_max_seconds,
        claim_seconds=settings.delivery_claim_seconds,
    )
    code_limit = CodeLimit(
        per_hour=settings.address_codes_per_hour,
        min_interval=timedelta(seconds=settings.address_code_interval_seconds),
    )
    members = MemberSettingsService(
        member_settings, recipients, delivery, code_secret, clock, code_limit
    )
    return NotifyUseCases(
        notify=NotifyService(recipients, members, delivery), members=members, deliveries=delivery
    )


def consumers(use_cases: NotifyUseCases) -> Sequence[Consumer]:
    service = use_cases.notify
    return [
        Consumer(
            "notify-members",
            MEMBER_REGISTERED,
            service.on_member_registered,
            idempotent_effect=True,
        ),
        Consumer(
            "notify-member-updates",
            MEMBER_UPDATED,
            service.on_member_updated,
            idempotent_effect=True,
        ),
        Consumer(
            "notify-invoices", INVOICE_ISSUED, service.on_invoice_issued, idempotent_effect=True
        ),
        # PC-7: idempotent on (amendment, step, deadline), see NotifyService.
        # EI-5 (issue 18 item 4): one e-mail per invoice and reminder level
        Consumer(
            "notify-invoice-reminders",
            INVOICE_REMINDER_DUE,
            service.on_invoice_reminder_due,
            idempotent_effect=True,
        ),
        # EI-6 (issue 18 item 5): one e-mail per version of the conditions and member
        Consumer("notify-terms", TERMS_CHANGED, service.on_terms_changed, idempotent_effect=True),
        Consumer(
            "notify-amendment-reminders",
            AMENDMENT_REMINDED,
            service.on_amendment_reminded,
            idempotent_effect=True,
        ),
        # CL-1: idempotent on the claim fact's business identity, see NotifyService.
        *(
            Consumer(
                f"notify-{spec.topic.replace('.', '-')}",
                spec,
                service.on_claim_event,
                idempotent_effect=True,
            )
            for spec in CLAIM_TOPICS
        ),
    ]


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    config = settings or NotifySettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[NotifyUseCases]:
        sender = SmtpSender(
            config.smtp_url.get_secret_value(), config.mail_from, config.smtp_timeout_seconds
        )
        cache = ReadThroughCache[str, Document](
            max_entries=config.member_cache_max_entries,
            ttl_seconds=config.member_cache_ttl_seconds,
        )
        repository = NotifyRepository(runtime.db, recipients=cache)
        secret = await load_code_secret(
            runtime.db, config.code_secret_file, generate_if_missing=config.profile != "prod"
        )
        use_cases = bootstrap(
            config,
            recipients=repository,
            sender=sender,
            deliveries=repository,
            member_settings=repository,
            code_secret=secret,
        )
        # Issue 19 item 6: the pending deliveries, tried again by one replica (the
        # holder of the lease), resumable after a restart.
        every = config.delivery_check_seconds
        lease = Lease(runtime.db[LEASES], DELIVERY_LEASE, ttl_seconds=max(10.0, 3 * every))
        job = Scheduler(
            [use_cases.deliveries.retry_due],
            interval_seconds=every,
            lease=lease,
            name=DELIVERY_LEASE,
        )
        job.start()
        try:
            yield use_cases
        finally:
            await job.stop()
            await sender.close()

    return create_service_app(
        config,
        ServiceDefinition(
            title="notify-svc",
            description="E-mails to My LM members from events (EI-4, PC-7, CL-1), their "
            "switches, notification address and notification log (issue 19).",
            routers=[router],
            indexes=INDEXES,
            bootstrap=live,
            consumers_of=consumers,
            problems=PROBLEMS,
        ),
    )
