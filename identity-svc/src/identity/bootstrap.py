"""Wires identity-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, <every port>, clock)`` wires the use cases over the ports it is
given (the unit tests pass the fakes of ``testkit/fakes/identity.py``); ``create_app``'s
``live`` builds the real adapters on the runtime's MongoDB and Kafka clients (stores,
signing key, audit trail and its checkpoints, codes, throttle, CSAM), hands them to
``bootstrap``, upgrades legacy documents, seeds the demo data, and at shutdown stops
the checkpoint publisher.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial

from fastapi import FastAPI
from mylm_shared.auth import Clock, TokenVerifier, utc_now
from mylm_shared.events import (
    ACCESS_CHANGED,
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    AUDIT_CHECKPOINT,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
)
from mylm_shared.failures import ShuttingDown
from mylm_shared.lease import LEASES, Lease
from mylm_shared.scheduler import Scheduler
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
from identity.adapters.passwords import Argon2Passwords
from identity.adapters.reannouncement import (
    REANNOUNCE_BATCHES,
    MongoDirectorySnapshot,
    MongoReannouncements,
)
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
    api_jobs,
    api_members,
    api_oauth,
    api_registration,
    api_sessions,
    api_terms,
)
from identity.entrypoints.problems import PROBLEMS
from identity.entrypoints.verifier import DossierCheckingVerifier
from identity.service import ports
from identity.service.account_life import AccountLife
from identity.service.accounts import AccountOpening
from identity.service.audit import AuditAnchors, AuditUseCases, refresh_token_reuse_recorder
from identity.service.client_credentials import ServiceTokens
from identity.service.context import IdentityContext
from identity.service.csam import CsamLogin
from identity.service.directory import Directory
from identity.service.dossiers import Dossiers
from identity.service.password_reset import PasswordReset
from identity.service.reannouncement import LEASE_NAME as REANNOUNCE_LEASE
from identity.service.reannouncement import Reannouncement
from identity.service.registration import Registration
from identity.service.sessions import Sessions
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings

ROUTERS = [
    api_sessions.router,
    api_members.router,
    api_directory.router,
    api_registration.router,
    api_terms.router,
    api_csam.router,
    api_dossiers.router,
    api_accounts.router,
    api_audit.router,
    api_oauth.router,
    api_jobs.router,
]


def bootstrap(
    settings: IdentitySettings,
    *,
    stores: ports.IdentityStores,
    passwords: ports.Passwords,
    refresh_tokens: ports.RefreshTokenStore,
    signing_key: ports.TokenSigner,
    audit: ports.AuditTrail,
    anchors: AuditAnchors,
    throttle: ports.LoginThrottle,
    codes: ports.CodeStore,
    code_delivery: ports.CodeDelivery,
    csam_provider: ports.CsamProvider | None,
    csam_logins: ports.CsamLogins,
    directory_snapshot: ports.DirectorySnapshot,
    reannouncements: ports.Reannouncements,
    clock: Clock = utc_now,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> IdentityUseCases:
    """identity's use cases over these ports; ``clock`` is injectable so tests can move
    time (AC-6's 18th birthday, code expiry, throttle windows); ``sleep`` paces the
    re-announcement's batches."""
    context = IdentityContext(
        settings=settings,
        clock=clock,
        stores=stores,
        passwords=passwords,
        refresh_tokens=refresh_tokens,
        signing_key=signing_key,
        audit=audit,
        throttle=throttle,
        codes=codes,
        code_delivery=code_delivery,
        csam_provider=csam_provider,
        csam_logins=csam_logins,
    )
    # LF-5 (issue 15 item 6): a spent refresh token presented again goes into the trail.
    refresh_tokens.on_reuse = refresh_token_reuse_recorder(context)
    return IdentityUseCases(
        settings=settings,
        context=context,
        sessions=Sessions(context),
        directory=Directory(context),
        opening=AccountOpening(context),
        registration=Registration(context),
        password_reset=PasswordReset(context),
        csam=CsamLogin(context),
        dossiers=Dossiers(context),
        account_life=AccountLife(context),
        audit=AuditUseCases(context, anchors),
        service_tokens=ServiceTokens(context),
        # Issue 18 item 3 (EI-2): the directory re-announced (real time: see there).
        reannouncement=Reannouncement(
            directory_snapshot,
            reannouncements,
            batch_size=settings.reannounce_batch_size,
            pause_seconds=settings.reannounce_batch_pause_seconds,
            sleep=sleep,
        ),
        status_verifier=TokenVerifier(
            settings.jwt_issuer, settings.jwt_audience, jwks=signing_key.jwks(), clock=clock
        ),
    )


def create_app(settings: IdentitySettings | None = None, *, clock: Clock = utc_now) -> FastAPI:
    """``clock`` is injectable so tests can move time (AC-6's 18th birthday)."""
    config = settings or IdentitySettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[IdentityUseCases]:
        db = runtime.db
        # LF-5 (issue 15 item 6): the audit HMAC keys, never from the database.
        audit_keys = load_audit_keys(
            config.audit_key_file,
            config.audit_retired_key_files,
            dev_key_file=None if config.profile == "prod" else config.audit_dev_key_file,
        )
        audit_trail = MongoAuditTrail(db, audit_keys)
        checkpoint_topic = config.topic(AUDIT_CHECKPOINT.topic)
        if config.create_topics:
            await ensure_checkpoint_topic(
                config.kafka_bootstrap_servers,
                checkpoint_topic,
                config.topic_partitions,
                config.replication_factor,
            )
        checkpoints = CheckpointPublisher(
            db,
            audit_trail,
            audit_keys,
            runtime.producer,
            bootstrap_servers=config.kafka_bootstrap_servers,
            topic=checkpoint_topic,
            source=f"/{config.service_name}",
            interval=config.audit_checkpoint_seconds,
            changed_collections=[db[name] for name in (MEMBERS, ACCOUNTS)],
            sweep_seconds=config.outbox_sweep_seconds,
        )
        signing_key = await load_signing_key(
            db,
            config.signing_key_file,
            generate_if_missing=config.profile != "prod",
            previous_key_file=config.previous_signing_key_file,
        )
        codes = await one_time_codes(db, config, clock)
        csam = csam_adapters(db, config)
        stores = IdentityStores(db, source=f"/{config.service_name}")
        # Issue 18 item 3: a stop interrupts a re-announcement between two batches (it
        # resumes after its last batch at the next start), never waits for its end.
        stopping = asyncio.Event()

        async def pause(seconds: float) -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), seconds)
            if stopping.is_set():
                raise ShuttingDown("identity-svc stops; the re-announcement resumes at start")

        use_cases = bootstrap(
            config,
            stores=stores,
            passwords=Argon2Passwords(),
            refresh_tokens=RefreshTokens(
                db,
                timedelta(days=config.refresh_token_days),
                absolute_lifetime=timedelta(hours=config.session_absolute_hours),
                clock=clock,
            ),
            signing_key=signing_key,
            audit=audit_trail,
            anchors=AuditAnchors(
                audit_keys,
                partial(latest_checkpoint, config.kafka_bootstrap_servers, checkpoint_topic),
            ),
            throttle=login_throttle(db, config, clock),
            codes=codes.store,
            code_delivery=codes.delivery,
            csam_provider=csam.provider,
            csam_logins=csam.store,
            directory_snapshot=MongoDirectorySnapshot(db),
            reannouncements=MongoReannouncements(db, source=f"/{config.service_name}"),
            clock=clock,
            sleep=pause,
        )
        # identity-svc checks its own tokens with the key it holds, not over HTTP.
        # An exchanged token is also re-checked against identity's own store (AC-3..6).
        runtime.token_verifier = DossierCheckingVerifier(
            config.jwt_issuer,
            config.jwt_audience,
            jwks=signing_key.jwks(),
            clock=clock,
            recheck=use_cases.dossiers.acting_refusal,
            revocations=runtime.revocations,  # LF-2..4: suspended accounts' tokens refused
        )
        await upgrade_legacy_documents(db, stores)
        if config.seeds_demo_data:
            await seed_demo_data(use_cases.context)
        checkpoints.start()
        app.state.audit_checkpoints = checkpoints
        # Issue 18 item 3 (EI-2): this backfill generation's run, once (recorded done),
        # and any staff request, by one replica (the lease), paced and resumable.
        await use_cases.reannouncement.at_start_up()
        every = config.reannounce_check_seconds
        reannounce = Scheduler(
            [use_cases.reannouncement.run],
            interval_seconds=every,
            lease=Lease(db[LEASES], REANNOUNCE_LEASE, ttl_seconds=max(10.0, 3 * every)),
            name=REANNOUNCE_LEASE,
        )
        reannounce.start()
        try:
            yield use_cases
        finally:
            stopping.set()
            await reannounce.stop()
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
        outbox_collections=[*OUTBOX_COLLECTIONS, REANNOUNCE_BATCHES],
        bootstrap=live,
    )
    app = create_service_app(config, definition)
    return app


def checkpoint_publisher(app: FastAPI) -> CheckpointPublisher:
    """The running app's audit checkpoint publisher (LF-5; tests drive it by hand)."""
    publisher = getattr(app.state, "audit_checkpoints", None)
    if not isinstance(publisher, CheckpointPublisher):
        raise RuntimeError("identity-svc is not started")
    return publisher
