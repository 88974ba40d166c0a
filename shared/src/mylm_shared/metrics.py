"""Prometheus metrics of one service process, served at ``GET /metrics``.

- HTTP (prometheus-fastapi-instrumentator): ``http_requests_total``,
  ``http_request_duration_seconds``, ``http_request_duration_highr_seconds``,
  ``http_request_size_bytes``, ``http_response_size_bytes``, by route template.
- Kafka handlers (FastStream's Prometheus middleware): ``faststream_received_messages_total``,
  ``faststream_received_processed_messages_duration_seconds``,
  ``faststream_received_processed_messages_total`` (by status), … per topic; the
  consumers take batches, so a duration is a whole batch's and a batch's status counts
  for each of its messages; ``mylm_handler_duration_seconds`` is the per-message figure.
- The platform's own: ``mylm_consumer_lag`` per group/topic/partition (measured when
  scraped), ``mylm_dead_letters_total``, ``mylm_handler_duration_seconds`` (the effect,
  by outcome), ``mylm_outbox_backlog`` and ``mylm_outbox_oldest_age_seconds`` (measured
  by the relay's sweep), ``mylm_scheduler_last_success_timestamp_seconds``,
  ``mylm_scheduler_interval_seconds`` and ``mylm_scheduler_task_failures_total`` (the
  periodic jobs of ``mylm_shared.scheduler``), ``mylm_revocations_*``
  (``mylm_shared.revocations``). The alerts and the dashboard built on them:
  infra/k8s/base/observability, docs/operations.md.

Every app has its own registry, so tests that build several apps in one process do not
collide. The delivery and scheduler metrics are module-level and registered in every app's
registry: the consumer and the relay update them without a handle on the app (one
service per process in production; in a test process the apps share them).
"""

import asyncio
import logging
from collections.abc import Iterable, Iterator, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import generate_latest as render
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_fastapi_instrumentator import Instrumentator

log = logging.getLogger(__name__)

DEAD_LETTERS = Counter(
    "mylm_dead_letters",
    "Messages a consumer sent to a dead-letter topic, by original topic and reason.",
    ["topic", "reason"],
    registry=None,
)
HANDLER_DURATION = Histogram(
    "mylm_handler_duration_seconds",
    "Time an event handler's effect took, retries included, by consumer and outcome.",
    ["consumer", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=None,
)
OUTBOX_BACKLOG = Gauge(
    "mylm_outbox_backlog",
    "Events stored in a collection's outbox and not published yet.",
    ["collection"],
    registry=None,
)
OUTBOX_OLDEST_AGE = Gauge(
    "mylm_outbox_oldest_age_seconds",
    "Age of the oldest event still in a collection's outbox at the last sweep (0: none).",
    ["collection"],
    registry=None,
)
SCHEDULER_LAST_SUCCESS = Gauge(
    "mylm_scheduler_last_success_timestamp_seconds",
    "Unix time of the scheduler's last pass in which every task succeeded.",
    ["scheduler"],
    registry=None,
)
SCHEDULER_INTERVAL = Gauge(
    "mylm_scheduler_interval_seconds",
    "How often the scheduler runs its tasks (on the replica holding its lease).",
    ["scheduler"],
    registry=None,
)
SCHEDULER_FAILURES = Counter(
    "mylm_scheduler_task_failures",
    "Scheduler tasks that raised (tried again on the next pass).",
    ["scheduler"],
    registry=None,
)
# Module-level: registered in every app's registry (ServiceMetrics).
SHARED = (
    DEAD_LETTERS,
    HANDLER_DURATION,
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST_AGE,
    SCHEDULER_LAST_SUCCESS,
    SCHEDULER_INTERVAL,
    SCHEDULER_FAILURES,
)


def record_dead_letter(topic: str, reason: str) -> None:
    """One message sent to ``<topic>.dlq`` (``reason``: ``malformed``, ``handler-failed`` …)."""
    DEAD_LETTERS.labels(topic=topic, reason=reason).inc()


def observe_handler(consumer: str, seconds: float, outcome: str) -> None:
    """One event through a consumer's effect (``outcome``: ``ok``, ``dead-lettered``,
    ``interrupted``)."""
    HANDLER_DURATION.labels(consumer=consumer, outcome=outcome).observe(seconds)


def set_outbox_backlog(collection: str, pending: int, oldest_age_seconds: float = 0.0) -> None:
    """How many events ``collection``'s outbox holds after a relay pass or sweep, and how
    long the oldest of them has waited."""
    OUTBOX_BACKLOG.labels(collection=collection).set(pending)
    OUTBOX_OLDEST_AGE.labels(collection=collection).set(oldest_age_seconds)


def scheduler_configured(scheduler: str, interval_seconds: float) -> None:
    SCHEDULER_INTERVAL.labels(scheduler=scheduler).set(interval_seconds)


def record_scheduler_pass(scheduler: str, failures: int, at: float) -> None:
    """One pass of ``scheduler`` (Unix time ``at``): a success only if no task failed."""
    if failures:
        SCHEDULER_FAILURES.labels(scheduler=scheduler).inc(failures)
    else:
        SCHEDULER_LAST_SUCCESS.labels(scheduler=scheduler).set(at)


class ConsumerLag(Collector):
    """``mylm_consumer_lag{group,topic,partition}``: messages on a partition that the
    group has not committed yet (from the start of the log when it committed none).

    Measured when Prometheus scrapes (``refresh``), not in the background: a service
    nobody scrapes makes no extra Kafka calls. Unknown lag (Kafka unreachable) is left
    out rather than shown stale."""

    def __init__(
        self, bootstrap_servers: str, client_id: str, min_interval_seconds: float = 5.0
    ) -> None:
        self._bootstrap_servers = bootstrap_servers
        self._client_id = client_id
        self.min_interval_seconds = min_interval_seconds
        self._watched: set[tuple[str, str]] = set()
        self._lag: dict[tuple[str, str, str], int] = {}
        self._measured_at: float | None = None
        self._lock = asyncio.Lock()
        self._admin: AIOKafkaAdminClient | None = None
        self._offsets: AIOKafkaConsumer | None = None

    def watch(self, subscriptions: Iterable[tuple[str, str]]) -> None:
        """The (consumer group, topic) pairs whose lag to report."""
        self._watched.update(subscriptions)

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "mylm_consumer_lag",
            "Messages not yet committed by the consumer group, per partition.",
            labels=["group", "topic", "partition"],
        )
        for labels, lag in sorted(self._lag.items()):
            family.add_metric(list(labels), lag)
        yield family

    async def refresh(self, timeout_seconds: float = 3.0) -> None:
        if not self._watched:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            if (
                self._measured_at is not None
                and loop.time() - self._measured_at < self.min_interval_seconds
            ):
                return
            try:
                async with asyncio.timeout(timeout_seconds):
                    self._lag = await self._measure()
            except Exception as error:
                self._lag = {}
                log.warning("consumer lag not measured", extra={"error": repr(error)})
            self._measured_at = loop.time()

    async def _measure(self) -> dict[tuple[str, str, str], int]:
        admin, offsets = await self._clients()
        topics = sorted({topic for _, topic in self._watched})
        partitions = [
            TopicPartition(described["topic"], p["partition"])
            for described in await admin.describe_topics(topics)
            if not described["error_code"]
            for p in described["partitions"]
        ]
        ends: dict[TopicPartition, int] = await offsets.end_offsets(partitions)
        starts: dict[TopicPartition, int] | None = None
        lag: dict[tuple[str, str, str], int] = {}
        for group, topic in sorted(self._watched):
            mine = [tp for tp in partitions if tp.topic == topic]
            if not mine:
                continue
            committed = await admin.list_consumer_group_offsets(group, partitions=mine)
            for tp in mine:
                position = committed[tp].offset if tp in committed else -1
                if position < 0:  # nothing committed: all of the log is still to consume
                    starts = starts or await offsets.beginning_offsets(partitions)
                    position = starts[tp]
                lag[(group, topic, str(tp.partition))] = max(0, ends[tp] - position)
        return lag

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None:
            admin = AIOKafkaAdminClient(
                bootstrap_servers=self._bootstrap_servers, client_id=self._client_id
            )
            await admin.start()
            self._admin = admin
        if self._offsets is None:
            # No group and no subscription: it only asks partitions for their offsets.
            offsets = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap_servers,
                client_id=self._client_id,
                enable_auto_commit=False,
            )
            await offsets.start()
            self._offsets = offsets
        return self._admin, self._offsets

    async def close(self) -> None:
        if self._offsets is not None:
            await self._offsets.stop()
            self._offsets = None
        if self._admin is not None:
            await self._admin.close()
            self._admin = None


class ServiceMetrics:
    """The registry of one service app and what feeds it."""

    def __init__(self, service_name: str, bootstrap_servers: str) -> None:
        self.registry = CollectorRegistry()
        for shared in SHARED:
            self.registry.register(shared)
        self.lag = ConsumerLag(bootstrap_servers, client_id=f"{service_name}-lag")
        self.registry.register(self.lag)
        # Handler duration, message counts and failures of every FastStream subscriber.
        self.broker_middleware = KafkaPrometheusMiddleware(
            registry=self.registry, app_name=service_name
        )

    def watch_subscribers(self, subscribers: Sequence[object]) -> None:
        """Report the lag of each FastStream Kafka subscriber's group on its topics."""
        for subscriber in subscribers:
            group = getattr(subscriber, "group_id", None)
            topics = getattr(subscriber, "topics", ())
            if group:
                self.lag.watch((group, getattr(t, "name", str(t))) for t in topics)

    def instrument(self, app: FastAPI) -> None:
        """HTTP metrics for every route, and ``GET /metrics``."""
        Instrumentator(registry=self.registry, excluded_handlers=["^/metrics$"]).instrument(app)

        async def metrics() -> PlainTextResponse:
            """Prometheus metrics of this process (text exposition format)."""
            await self.lag.refresh()
            return PlainTextResponse(render(self.registry), media_type=CONTENT_TYPE_LATEST)

        app.add_api_route(
            "/metrics",
            metrics,
            methods=["GET"],
            tags=["operations"],
            response_class=PlainTextResponse,
        )

    async def close(self) -> None:
        await self.lag.close()
