"""Wires inbox-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, inbox)`` wires the use cases over the store it is given (unit
tests pass ``testkit/fakes/inbox.py``); ``create_app``'s ``live`` builds the Mongo
repository (with its language cache) and hands it to ``bootstrap``; the consumers of
invoice.issued, policy.issued, policy.amended, the eight claim.* topics and
member.registered / member.updated come from its result.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from mylm_shared.audit_trail import (
    CheckpointPublisher,
    ensure_checkpoint_topic,
    load_audit_keys,
    read_checkpoints,
)
from mylm_shared.auth import Clock, utc_now
from mylm_shared.consumer import Consumer, Handler
from mylm_shared.events import (
    CLAIM_ACCEPTED,
    CLAIM_CLOSED,
    CLAIM_DECLARED,
    CLAIM_DOCUMENTS_REQUESTED,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    CLAIM_REJECTED,
    DOCUMENT_PRINT_REQUESTED,
    INBOX_SETTINGS_CHANGED,
    INVOICE_ISSUED,
    INVOICE_REMINDER_DUE,
    MAINTENANCE_ANNOUNCED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    MESSAGE_CHECKPOINT,
    MESSAGE_RECEIVED,
    POLICY_AMENDED,
    POLICY_ISSUED,
    TERMS_CHANGED,
    EventSpec,
)
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from inbox.adapters.cms import CmsVerifier, TrustAnchorsMissing
from inbox.adapters.demo_eid import ensure_demo_eid
from inbox.adapters.letter_pdf import render_letter
from inbox.adapters.message_store import MESSAGE_INDEXES, MessageStore
from inbox.adapters.message_store import OUTBOX_COLLECTIONS as MESSAGE_OUTBOX_COLLECTIONS
from inbox.adapters.repository import INDEXES, OUTBOX_COLLECTIONS, InboxRepository
from inbox.entrypoints import api_messages
from inbox.entrypoints.api import router
from inbox.service.handlers import Inbox, InboxService
from inbox.service.messages import Messages, SignatureVerifier
from inbox.service.messages import MessageStore as MessageStorePort
from inbox.service.use_cases import InboxUseCases
from inbox.settings import InboxSettings


def bootstrap(
    settings: InboxSettings,
    *,
    inbox: Inbox,
    messages: MessageStorePort,
    verifier: SignatureVerifier,
    clock: Clock = utc_now,
) -> InboxUseCases:
    """inbox's use cases over this store (and the messages' store and signature
    verifier, ES-1..ES-3; ``clock`` injectable for the time of receipt)."""
    bases = {"billing": settings.billing_public_url, "policy": settings.policy_public_url}
    return InboxUseCases(
        inbox=InboxService(inbox, render_letter, content_bases=bases),
        messages=Messages(
            messages, verifier, clock, max_attachments=settings.max_message_attachments
        ),
    )


def consumers(use_cases: InboxUseCases) -> Sequence[Consumer]:
    service = use_cases.inbox
    claim_letters: list[tuple[EventSpec[Any], Handler]] = [
        (CLAIM_DECLARED, service.on_claim_declared),
        (CLAIM_DOCUMENTS_REQUESTED, service.on_claim_documents_requested),
        (CLAIM_ACCEPTED, service.on_claim_accepted),
        (CLAIM_REJECTED, service.on_claim_rejected),
        (CLAIM_OFFER_MADE, service.on_claim_offer_made),
        (CLAIM_OFFER_ACCEPTED, service.on_claim_offer_accepted),
        (CLAIM_PAID, service.on_claim_paid),
        (CLAIM_CLOSED, service.on_claim_closed),
    ]
    return [
        Consumer(
            "inbox-invoices", INVOICE_ISSUED, service.on_invoice_issued, idempotent_effect=True
        ),
        # EI-5 (issue 18 item 4): one document per reminder (invoice, level)
        Consumer(
            "inbox-invoice-reminders",
            INVOICE_REMINDER_DUE,
            service.on_invoice_reminder_due,
            idempotent_effect=True,
        ),
        # EI-6, EI-7 (issue 18 items 5, 6): one letter per notice and member
        Consumer("inbox-terms", TERMS_CHANGED, service.on_terms_changed, idempotent_effect=True),
        Consumer(
            "inbox-maintenance",
            MAINTENANCE_ANNOUNCED,
            service.on_maintenance_announced,
            idempotent_effect=True,
        ),
        Consumer("inbox-policies", POLICY_ISSUED, service.on_policy_issued, idempotent_effect=True),
        Consumer(
            "inbox-amendments",
            POLICY_AMENDED,
            service.on_policy_amended,
            idempotent_effect=True,
        ),
        # CL-1: one letter per claim milestone, idempotent on its business identity.
        *(
            Consumer(f"inbox-{spec.topic.replace('.', '-')}", spec, handler, idempotent_effect=True)
            for spec, handler in claim_letters
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


def create_app(settings: InboxSettings | None = None) -> FastAPI:
    config = settings or InboxSettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[InboxUseCases]:
        languages = ReadThroughCache[str, str](
            max_entries=config.member_cache_max_entries,
            ttl_seconds=config.member_cache_ttl_seconds,
        )
        # ES-1..ES-3 (issue 19 item 3): the trusted eID roots (a demo CA outside prod)
        # and the key chaining the stored messages (never in the database).
        anchors = config.signing_trust_anchors_file
        if anchors is None and config.profile != "prod":
            anchors = ensure_demo_eid(config.signing_demo_dir)
        if anchors is None:
            raise TrustAnchorsMissing("SIGNING_TRUST_ANCHORS_FILE is required in prod")
        chain_keys = load_audit_keys(
            config.message_chain_key_file,
            config.message_chain_retired_key_files,
            dev_key_file=None if config.profile == "prod" else config.message_chain_dev_key_file,
            setting="MESSAGE_CHAIN_KEY_FILE",
        )
        # ES-2: the chains' heads, anchored outside the database (message.checkpoint).
        checkpoint_topic = config.topic(MESSAGE_CHECKPOINT.topic)
        if config.create_topics:
            await ensure_checkpoint_topic(
                config.kafka_bootstrap_servers,
                checkpoint_topic,
                config.topic_partitions,
                config.replication_factor,
            )
        message_store = MessageStore(
            runtime.db,
            chain_keys,
            source=f"/{config.service_name}",
            checkpoints=partial(
                read_checkpoints,
                config.kafka_bootstrap_servers,
                checkpoint_topic,
                spec=MESSAGE_CHECKPOINT,
            ),
        )
        checkpoints = CheckpointPublisher(
            runtime.db,
            message_store.chain,
            chain_keys,
            runtime.producer,
            bootstrap_servers=config.kafka_bootstrap_servers,
            topic=checkpoint_topic,
            source=f"/{config.service_name}",
            interval=config.message_checkpoint_seconds,
            lease_name="message-chain-checkpoint",
            spec=MESSAGE_CHECKPOINT,
            sweep_seconds=config.outbox_sweep_seconds,
        )
        await message_store.chain_unchained()  # what a crash left between insert and chain
        checkpoints.start()
        app.state.message_checkpoints = checkpoints
        try:
            yield bootstrap(
                config,
                inbox=InboxRepository(runtime.db, languages=languages),
                messages=message_store,
                verifier=CmsVerifier.from_file(anchors),
            )
        finally:
            await checkpoints.stop()

    app = create_service_app(
        config,
        ServiceDefinition(
            title="inbox-svc",
            description="The secure inbox of My LM members (IN-1..IN-3).",
            routers=[router, api_messages.router],
            indexes=[*INDEXES, *MESSAGE_INDEXES],
            # issue 19 item 2: paper while the inbox is off (IN-3), the switches
            # issue 19 item 3: messages to the mutuality, for staff tooling (ES-1..ES-3)
            produces=[DOCUMENT_PRINT_REQUESTED, INBOX_SETTINGS_CHANGED, MESSAGE_RECEIVED],
            outbox_collections=[*OUTBOX_COLLECTIONS, *MESSAGE_OUTBOX_COLLECTIONS],
            bootstrap=live,
            consumers_of=consumers,
        ),
    )
    return app


def message_checkpoints(app: FastAPI) -> CheckpointPublisher:
    """The running app's publisher of the message chains' checkpoints (ES-2; tests
    drive it by hand)."""
    publisher = getattr(app.state, "message_checkpoints", None)
    if not isinstance(publisher, CheckpointPublisher):
        raise RuntimeError("inbox-svc is not started")
    return publisher
