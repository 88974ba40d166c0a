"""Wires identity-svc: stores, signing key, audit trail, demo seed, HTTP routes."""

from datetime import timedelta
from functools import partial

from fastapi import FastAPI
from mylm_shared.auth import Clock, utc_now
from mylm_shared.events import (
    ACCESS_CHANGED,
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    AUDIT_CHECKPOINT,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
)
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from identity.adapters.audit import (
    AUDIT_INDEXES,
    CheckpointPublisher,
    MongoAuditTrail,
    ensure_checkpoint_topic,
    latest_checkpoint,
    load_audit_keys,
)
from identity.adapters.codes_store import CODE_INDEXES, one_time_codes
from identity.adapters.csam_store import csam_adapters
from identity.adapters.keys import load_signing_key
from identity.adapters.legacy import upgrade_legacy_documents
from identity.adapters.refresh_tokens import REFRESH_TOKEN_INDEXES, RefreshTokens
from identity.adapters.store import ACCOUNTS, INDEXES, MEMBERS, OUTBOX_COLLECTIONS, IdentityStores
from identity.adapters.throttle import THROTTLE_INDEXES, login_throttle
from identity.demo import seed_demo_data
from identity.entrypoints import (
    api_accounts,
    api_audit,
    api_csam,
    api_directory,
    api_dossiers,
    api_members,
    api_oauth,
    api_registration,
    api_sessions,
)
from identity.entrypoints.problems import PROBLEMS
from identity.service.audit import AuditAnchors, refresh_token_reuse_recorder
from identity.service.context import IdentityContext
from identity.service.dossiers import DossierCheckingVerifier, Dossiers
from identity.settings import IdentitySettings

ROUTERS = [
    api_sessions.router,
    api_members.router,
    api_directory.router,
    api_registration.router,
    api_csam.router,
    api_dossiers.router,
    api_accounts.router,
    api_audit.router,
    api_oauth.router,
]


def create_app(settings: IdentitySettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """``clock`` is injectable so tests can move time (AC-6's 18th birthday)."""
    settings = settings or IdentitySettings()

    async def on_startup(runtime: Runtime) -> None:
        # LF-5 (issue 15 item 6): the audit HMAC keys, never from the database.
        audit_keys = load_audit_keys(
            settings.audit_key_file,
            settings.audit_retired_key_files,
            dev_key_file=None if settings.profile == "prod" else settings.audit_dev_key_file,
        )
        audit_trail = MongoAuditTrail(runtime.db, audit_keys)
        checkpoint_topic = settings.topic(AUDIT_CHECKPOINT.topic)
        if settings.create_topics:
            await ensure_checkpoint_topic(
                settings.kafka_bootstrap_servers,
                checkpoint_topic,
                settings.topic_partitions,
                settings.replication_factor,
            )
        runtime.extras["audit"] = AuditAnchors(
            audit_keys,
            partial(latest_checkpoint, settings.kafka_bootstrap_servers, checkpoint_topic),
        )
        checkpoints = CheckpointPublisher(
            runtime.db,
            audit_trail,
            audit_keys,
            runtime.producer,
            bootstrap_servers=settings.kafka_bootstrap_servers,
            topic=checkpoint_topic,
            source=f"/{settings.service_name}",
            interval=settings.audit_checkpoint_seconds,
            changed_collections=[runtime.db[name] for name in (MEMBERS, ACCOUNTS)],
            sweep_seconds=settings.outbox_sweep_seconds,
        )
        runtime.extras["audit_checkpoints"] = checkpoints
        signing_key = await load_signing_key(
            runtime.db,
            settings.signing_key_file,
            generate_if_missing=settings.profile != "prod",
            previous_key_file=settings.previous_signing_key_file,
        )
        context = IdentityContext(
            stores=IdentityStores(runtime.db, source=f"/{settings.service_name}"),
            refresh_tokens=RefreshTokens(
                runtime.db,
                timedelta(days=settings.refresh_token_days),
                absolute_lifetime=timedelta(hours=settings.session_absolute_hours),
                clock=clock,
            ),
            signing_key=signing_key,
            settings=settings,
            audit=audit_trail,
            clock=clock,
        )
        context.codes = await one_time_codes(runtime.db, settings, clock)
        context.throttle = login_throttle(runtime.db, settings, clock)
        context.refresh_tokens.on_reuse = refresh_token_reuse_recorder(context)
        context.csam = csam_adapters(runtime.db, settings)
        runtime.extras["identity"] = context
        # identity-svc checks its own tokens with the key it holds, not over HTTP.
        # An exchanged token is also re-checked against identity's own store (AC-3..6).
        runtime.token_verifier = DossierCheckingVerifier(
            settings.jwt_issuer,
            settings.jwt_audience,
            jwks=signing_key.jwks(),
            clock=clock,
            recheck=Dossiers(context).acting_refusal,
            revocations=runtime.revocations,  # LF-2..4: suspended accounts' tokens refused
        )
        await upgrade_legacy_documents(runtime.db, context.stores)
        if settings.seeds_demo_data:
            await seed_demo_data(context)
        checkpoints.start()

    async def on_shutdown(runtime: Runtime) -> None:
        checkpoints = runtime.extras.get("audit_checkpoints")
        if isinstance(checkpoints, CheckpointPublisher):
            await checkpoints.stop()

    definition = ServiceDefinition(
        title="identity-svc",
        description="Members, accounts, passwords, CSAM login, tokens, dossier access.",
        routers=ROUTERS,
        problems=PROBLEMS,
        indexes=[
            *INDEXES,
            *AUDIT_INDEXES,
            *REFRESH_TOKEN_INDEXES,
            *THROTTLE_INDEXES,
            *CODE_INDEXES,
        ],
        produces=[
            MEMBER_REGISTERED,
            MEMBER_UPDATED,
            ACCOUNT_CREATED,
            ACCOUNT_STATUS_CHANGED,
            ACCESS_CHANGED,
        ],
        outbox_collections=OUTBOX_COLLECTIONS,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
    )
    return create_service_app(settings, definition)
