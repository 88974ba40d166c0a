"""The app factory every service uses: one process serving HTTP (FastAPI) and consuming
Kafka (FastStream), with its Mongo database, outbox relay, health and readiness probes,
Prometheus metrics (``/metrics``) and OpenTelemetry traces.

Start-up: JSON logs → Mongo indexes → producer → the service's ``bootstrap`` (its use
cases, from the live adapters) → topics → outbox relay → consumers.
Graceful shutdown (SIGTERM): stop consuming → the bootstrap's own clean-up → flush the
outbox → close clients.

Wiring (docs/architecture.md "Wiring: bootstrap and use cases"): a service's
``bootstrap`` returns one typed object holding its use cases; routes get it through
``use_cases(kind)``, consumers through ``consumers_of``, tests through ``use_cases_of``.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from tenacity import AsyncRetrying, stop_after_delay, wait_exponential

from mylm_shared.auth import TokenVerifier
from mylm_shared.bodies import BoundedInput
from mylm_shared.consumer import (
    Consumer,
    ConsumerControl,
    DeadLetters,
    ProcessedEvents,
    register_consumers,
)
from mylm_shared.events import EventSpec
from mylm_shared.kafka import ensure_topics, make_broker, make_producer, topics_with_dead_letters
from mylm_shared.metrics import ServiceMetrics
from mylm_shared.mongo import Document, IndexSpec, ensure_indexes, make_mongo_client
from mylm_shared.outbox import OutboxRelay, outbox_index
from mylm_shared.problems import (
    PROBLEM_JSON,
    ProblemMap,
    install_problem_handlers,
    problem_responses,
)
from mylm_shared.revocations import TOPICS as REVOCATION_TOPICS
from mylm_shared.revocations import RevocationList, RevocationMetrics, revocation_list
from mylm_shared.settings import ServiceSettings
from mylm_shared.telemetry import instrument_http, setup_telemetry

log = logging.getLogger(__name__)
U = TypeVar("U")
REVOCATIONS_CATCH_UP_SECONDS = 15.0


@dataclass
class Runtime:
    """The live adapters of one service process, shared by its entrypoints."""

    settings: ServiceSettings
    mongo: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    producer: AIOKafkaProducer
    broker: KafkaBroker
    token_verifier: TokenVerifier | None = None
    # Tokens refused before they expire (suspended accounts …), read from the bus; set
    # when the service verifies tokens (identity-svc passes it to its own verifier).
    revocations: RevocationList | None = None


def use_cases_of(app: FastAPI, kind: type[U]) -> U:
    """The use cases the service's ``bootstrap`` returned, typed (tests, entrypoints)."""
    found = getattr(app.state, "use_cases", None)
    if not isinstance(found, kind):
        raise RuntimeError(f"{kind.__name__}: not bootstrapped (is the app started?)")
    return found


def use_cases(kind: type[U]) -> Any:
    """The typed FastAPI dependency of a service's use cases, declared once in its
    ``entrypoints/deps.py``: ``UseCases = Annotated[IdentityUseCases,
    use_cases(IdentityUseCases)]``; a route then takes ``use_cases: UseCases``."""

    def resolve(request: Request) -> U:
        return use_cases_of(request.app, kind)

    return Depends(resolve)


Bootstrap = Callable[[Runtime], AbstractAsyncContextManager[U]]


@dataclass
class ServiceDefinition(Generic[U]):
    """What makes one service: its API, the data it owns, the events it speaks, and how
    its use cases are wired (``U``: the service's use-cases dataclass)."""

    title: str
    description: str
    routers: Sequence[APIRouter]
    indexes: Sequence[IndexSpec] = ()
    produces: Sequence[EventSpec[Any]] = ()
    outbox_collections: Sequence[str] = ()
    # The wiring: the use cases built from the live adapters, once per process, after
    # the indexes and the producer and before the consumers; an async context manager
    # (``@asynccontextmanager``: code after its ``yield`` runs at shutdown, after the
    # consumers stop). Kept on the app: ``use_cases(U)``, ``use_cases_of(app, U)``.
    bootstrap: Bootstrap[U] | None = None
    # The Kafka consumers, built from those use cases.
    consumers_of: Callable[[U], Sequence[Consumer]] | None = None
    verify_tokens: bool = True
    # What the service's domain exceptions answer, wherever a route raises them.
    problems: ProblemMap | None = None


async def _retry(what: str, action: Callable[[], Awaitable[Any]], deadline_seconds: float) -> None:
    """Start-up may race the platform (Kafka still electing a controller): keep trying."""
    async for attempt in AsyncRetrying(
        stop=stop_after_delay(deadline_seconds),
        wait=wait_exponential(multiplier=0.2, max=3.0),
        before_sleep=lambda state: log.warning(
            "%s not ready yet: %r; retrying", what, state.outcome and state.outcome.exception()
        ),
        reraise=True,
    ):
        with attempt:
            await action()


def create_service_app(settings: ServiceSettings, definition: ServiceDefinition[U]) -> FastAPI:
    setup_telemetry(settings.service_name, settings.log_level)
    metrics = ServiceMetrics(settings.service_name, settings.kafka_bootstrap_servers)
    broker = make_broker(settings, middlewares=[metrics.broker_middleware])
    for spec in definition.produces:
        # Documents the topic in the AsyncAPI output; publishing goes through the outbox.
        broker.publisher(
            settings.topic(spec.topic), title=spec.event_type, description=spec.description
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = make_mongo_client(settings.mongodb_uri, settings.service_name)
        db = mongo[settings.database_name]
        producer = make_producer(settings)
        runtime = Runtime(settings, mongo, db, producer, broker)
        if definition.verify_tokens:
            runtime.revocations = revocation_list(settings)
            runtime.token_verifier = TokenVerifier(
                settings.jwt_issuer,
                settings.jwt_audience,
                jwks_url=settings.jwks_url,
                revocations=runtime.revocations,
            )
        app.state.runtime = runtime
        wiring = AsyncExitStack()
        indexes = [*definition.indexes, *(outbox_index(c) for c in definition.outbox_collections)]
        await _retry("MongoDB", lambda: ensure_indexes(db, indexes), 60)
        await _retry("Kafka producer", producer.start, 90)
        consumers: list[Consumer] = []
        if definition.bootstrap is not None:
            built = await wiring.enter_async_context(definition.bootstrap(runtime))
            app.state.use_cases = built
            if definition.consumers_of is not None:
                consumers += definition.consumers_of(built)
        if settings.create_topics:
            logical = [s.topic for s in definition.produces] + [c.spec.topic for c in consumers]
            names = topics_with_dead_letters(settings.topic(t) for t in logical)
            if runtime.revocations is not None:  # read without a group: no dead letters
                names += [settings.topic(t) for t in REVOCATION_TOPICS]
            await _retry(
                "Kafka",
                lambda: ensure_topics(
                    settings.kafka_bootstrap_servers,
                    names,
                    settings.topic_partitions,
                    settings.replication_factor,
                ),
                90,
            )
        if runtime.revocations is not None:
            runtime.revocations.start()
            # Serve with every known revocation when the bus allows; if not within the
            # bound, /readyz keeps saying so until the list has caught up.
            if not await runtime.revocations.wait_ready(REVOCATIONS_CATCH_UP_SECONDS):
                log.warning("revocation list not caught up yet; not ready")
        relay = OutboxRelay(
            [db[name] for name in definition.outbox_collections],
            producer,
            topic_prefix=settings.topic_prefix,
            poll_seconds=settings.outbox_poll_seconds,
            sweep_seconds=settings.outbox_sweep_seconds,
        )
        if definition.outbox_collections and settings.outbox_relay_enabled:
            relay.start()
        control = ConsumerControl()
        if consumers:
            register_consumers(
                broker,
                settings,
                ProcessedEvents(db),
                DeadLetters(producer, settings),
                consumers,
                control,
            )
            await _retry("Kafka consumers", broker.start, 90)
            metrics.watch_subscribers(broker.subscribers)
        log.info("service started", extra={"port": settings.port})
        try:
            yield
        finally:
            log.info("service stopping")
            if consumers:
                control.stopping.set()  # messages waiting out an outage stay uncommitted
                await broker.stop()
            await wiring.aclose()
            if settings.outbox_relay_enabled:
                await relay.stop()
            await producer.stop()
            if runtime.revocations is not None:
                await runtime.revocations.stop()
            await metrics.close()
            await mongo.close()

    app = FastAPI(title=definition.title, description=definition.description, lifespan=lifespan)
    install_problem_handlers(app, definition.problems)
    for router in definition.routers:
        app.include_router(router)
    _add_operations_routes(app, broker, definition)
    app.state.metrics = metrics
    # What the service declares (topics, collections), read by the services-manifest test.
    app.state.definition = definition

    def current_verifier() -> TokenVerifier | None:
        runtime: Runtime | None = getattr(app.state, "runtime", None)
        return runtime.token_verifier if runtime else None

    # Issue 15 item 5: bodies bounded per route and uploads authenticated before they are
    # read, path and query parameters clean; inside the metrics and tracing middleware.
    app.add_middleware(
        BoundedInput,
        json_limit=settings.max_json_body_bytes,
        upload_limit=settings.max_upload_body_bytes,
        verifier=current_verifier,
    )

    def current_revocations() -> RevocationList | None:
        runtime: Runtime | None = getattr(app.state, "runtime", None)
        return runtime.revocations if runtime else None

    metrics.registry.register(RevocationMetrics(current_revocations))
    metrics.instrument(app)
    instrument_http(app)
    return app


def _add_operations_routes(
    app: FastAPI, broker: KafkaBroker, definition: ServiceDefinition[Any]
) -> None:
    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["operations"],
        responses=problem_responses(
            503, described={503: "A dependency is unreachable or revocations are catching up."}
        ),
    )
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: MongoDB and Kafka are reachable, and the revocation list has read
        the bus up to where it ended at start (no known revocation missing)."""
        runtime: Runtime = request.app.state.runtime
        checks = {
            "mongodb": await _check("mongodb", lambda: runtime.db.command("ping")),
            "kafka": await _check("kafka", runtime.producer.client.fetch_all_metadata),
        }
        if runtime.revocations is not None:
            checks["revocations"] = "ok" if runtime.revocations.current else "catching-up"
        ready = all(v == "ok" for v in checks.values())
        if ready:
            return JSONResponse({"status": "ready", "checks": checks})
        body = {
            "type": "about:blank",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "A dependency is unreachable or the revocation list is catching up.",
            "checks": checks,
        }
        return JSONResponse(body, status_code=503, media_type=PROBLEM_JSON)

    @app.get("/asyncapi.json", tags=["operations"])
    async def asyncapi() -> JSONResponse:
        """The AsyncAPI document of every topic this service publishes or consumes."""
        spec = AsyncAPI(broker, title=definition.title, description=definition.description)
        return JSONResponse(spec.to_specification().to_jsonable())


async def _check(dependency: str, probe: Callable[[], Awaitable[Any]]) -> str:
    """``ok`` or ``unreachable``; why goes to the log only (the probe is unauthenticated)."""
    try:
        async with asyncio.timeout(2):
            await probe()
        return "ok"
    except Exception as error:
        log.warning("readiness: %s unreachable", dependency, extra={"error": repr(error)[:500]})
        return "unreachable"
