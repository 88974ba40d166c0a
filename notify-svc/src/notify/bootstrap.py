"""Wires notify-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, recipients, sender)`` wires the use cases over the ports it is
given (unit tests pass ``testkit/fakes/notify.py``); ``create_app``'s ``live`` builds
the Mongo repository (with its recipient cache) and the SMTP sender, hands them to
``bootstrap`` and closes the SMTP connection at shutdown; the consumers come from its
result.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
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
from mylm_shared.mongo import Document
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from notify.adapters.repository import NotifyRepository
from notify.adapters.smtp import SmtpSender
from notify.service.handlers import EmailSender, NotifyService, Recipients
from notify.service.use_cases import NotifyUseCases
from notify.settings import NotifySettings

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
    settings: NotifySettings, *, recipients: Recipients, sender: EmailSender
) -> NotifyUseCases:
    """notify's use cases over these ports."""
    return NotifyUseCases(notify=NotifyService(recipients, sender))


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
        try:
            yield bootstrap(
                config, recipients=NotifyRepository(runtime.db, recipients=cache), sender=sender
            )
        finally:
            await sender.close()

    return create_service_app(
        config,
        ServiceDefinition(
            title="notify-svc",
            description="E-mails to My LM members from events (EI-4, PC-7, CL-1).",
            routers=[],
            bootstrap=live,
            consumers_of=consumers,
            verify_tokens=False,
        ),
    )
