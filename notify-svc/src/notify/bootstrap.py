"""Wires notify-svc: SMTP sender, repository, consumers."""

from collections.abc import Sequence

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
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
)
from mylm_shared.mongo import Document
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from notify.adapters.repository import NotifyRepository
from notify.adapters.smtp import SmtpSender
from notify.service.handlers import NotifyService
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


async def close_smtp(runtime: Runtime) -> None:
    sender = runtime.extras.get("smtp")
    if isinstance(sender, SmtpSender):
        await sender.close()


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()

    def consumers(runtime: Runtime) -> Sequence[Consumer]:
        sender = SmtpSender(
            settings.smtp_url.get_secret_value(), settings.mail_from, settings.smtp_timeout_seconds
        )
        recipients = ReadThroughCache[str, Document](
            max_entries=settings.member_cache_max_entries,
            ttl_seconds=settings.member_cache_ttl_seconds,
        )
        service = NotifyService(NotifyRepository(runtime.db, recipients=recipients), sender)
        runtime.extras["notify"] = service
        runtime.extras["smtp"] = sender
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

    return create_service_app(
        settings,
        ServiceDefinition(
            title="notify-svc",
            description="E-mails to My LM members from events (EI-4, PC-7, CL-1).",
            routers=[],
            consumers=consumers,
            on_shutdown=close_smtp,
            verify_tokens=False,
        ),
    )
