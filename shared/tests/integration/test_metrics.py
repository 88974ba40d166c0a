"""Operations endpoints of a service app against the real Kafka and FerretDB: /metrics
(HTTP latency, handler duration, consumer lag), /readyz without internals, and the
replication factor reaching the broker."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import InvalidReplicationFactorError
from fastapi import APIRouter, FastAPI
from mylm_shared.consumer import Consumer
from mylm_shared.events import INVOICE_ISSUED, CloudEvent, InvoiceIssuedV1
from mylm_shared.kafka import ensure_topics
from mylm_shared.metrics import ServiceMetrics
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app
from mylm_shared.settings import ServiceSettings
from prometheus_client.parser import text_string_to_metric_families

from testkit.apps import invoice_issued, serving
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

Samples = dict[str, list[tuple[dict[str, str], float]]]


@dataclass
class Handled:
    invoices: list[str] = field(default_factory=list)

    async def __call__(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        self.invoices.append(invoice.invoice_id)


@dataclass
class Service:
    app: FastAPI
    client: httpx.AsyncClient
    settings: ServiceSettings
    handled: Handled


@pytest.fixture
async def service(platform: Endpoints, run_id: str) -> AsyncIterator[Service]:
    settings = ServiceSettings(service_name="metrics-svc", **isolated(platform, run_id, "metrics"))  # type: ignore[arg-type]
    handled = Handled()
    router = APIRouter()

    @router.get("/v1/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[Handled]:
        yield handled

    definition = ServiceDefinition(
        title="metrics-svc",
        description="A service to scrape.",
        routers=[router],
        bootstrap=live,
        consumers_of=lambda use_cases: [Consumer("metrics-probe", INVOICE_ISSUED, use_cases)],
        verify_tokens=False,
    )
    app = create_service_app(settings, definition)
    async with serving(app) as client:
        yield Service(app, client, settings, handled)


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    found: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


async def test_metrics_show_http_latency_handler_duration_and_consumer_lag(
    service: Service,
) -> None:
    settings = service.settings
    assert (await service.client.get("/v1/ping")).status_code == 200
    event = invoice_issued(str(uuid.uuid4()))
    await publish_event(settings.kafka_bootstrap_servers, settings.topic("invoice.issued"), event)

    async def handled() -> list[str]:
        return service.handled.invoices

    await eventually(handled, what="the event handled")
    metrics: ServiceMetrics = service.app.state.metrics
    metrics.lag.min_interval_seconds = 0  # measure at every scrape here

    group = f"{settings.group_id}.metrics-probe"
    topic = settings.topic("invoice.issued")

    def caught_up(found: Samples) -> bool:
        lag = [v for labels, v in found.get("mylm_consumer_lag", []) if labels["group"] == group]
        return len(lag) == settings.topic_partitions and sum(lag) == 0

    found = await eventually(lambda: scrape(service.client), until=caught_up, what="lag 0")

    assert {labels["topic"] for labels, _ in found["mylm_consumer_lag"]} == {topic}
    assert any(
        labels["handler"] == "/v1/ping" and value == 1
        for labels, value in found["http_request_duration_seconds_count"]
    )
    assert any(
        labels["handler"] == topic and labels["app_name"] == "metrics-svc" and value >= 1
        for labels, value in found["faststream_received_processed_messages_duration_seconds_count"]
    )
    # fed by the consumer and the relay (module-level; values depend on other tests)
    for name in ("mylm_dead_letters_total", "mylm_handler_duration_seconds", "mylm_outbox_backlog"):
        assert (
            f"# TYPE {name.removesuffix('_total')}" in (await service.client.get("/metrics")).text
        )


async def test_lag_counts_the_messages_a_group_has_not_committed(service: Service) -> None:
    settings = service.settings
    metrics: ServiceMetrics = service.app.state.metrics
    metrics.lag.min_interval_seconds = 0
    # a group that never consumed: everything on the topic is lag
    idle = f"{settings.group_id}.idle"
    metrics.lag.watch([(idle, settings.topic("invoice.issued"))])
    for _ in range(3):
        event = invoice_issued("one-member")  # one key: one partition
        await publish_event(
            settings.kafka_bootstrap_servers, settings.topic("invoice.issued"), event
        )

    def idle_lag(found: Samples) -> float:
        return sum(v for labels, v in found.get("mylm_consumer_lag", []) if labels["group"] == idle)

    found = await eventually(lambda: scrape(service.client), until=lambda f: idle_lag(f) == 3)
    assert idle_lag(found) == 3


async def test_readyz_answers_only_ok_or_unreachable(service: Service) -> None:
    ready = await service.client.get("/readyz")
    assert ready.json() == {"status": "ready", "checks": {"mongodb": "ok", "kafka": "ok"}}

    runtime: Runtime = service.app.state.runtime
    real_db = runtime.db

    class BrokenDatabase:
        async def command(self, *args: Any) -> None:
            raise ConnectionError("mongodb://app:s3cret@10.1.2.3:27017 refused")

    runtime.db = BrokenDatabase()  # type: ignore[assignment]
    try:
        not_ready = await service.client.get("/readyz")
    finally:
        runtime.db = real_db
    assert not_ready.status_code == 503
    assert not_ready.headers["content-type"] == "application/problem+json"
    assert not_ready.json()["checks"] == {"mongodb": "unreachable", "kafka": "ok"}
    assert "s3cret" not in not_ready.text
    assert "10.1.2.3" not in not_ready.text


async def test_the_replication_factor_reaches_the_broker(platform: Endpoints, run_id: str) -> None:
    bootstrap = platform.kafka_bootstrap_servers
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        brokers = len((await admin.describe_cluster())["brokers"])
        await ensure_topics(bootstrap, [f"{run_id}.replicated"], 3, replication_factor=brokers)

        async def described_topic() -> Any:
            (topic,) = await admin.describe_topics([f"{run_id}.replicated"])
            return topic

        # A broker that has just started may describe a new topic before its partitions.
        described = await eventually(
            described_topic, until=lambda t: len(t["partitions"]) == 3, what="3 partitions"
        )
        assert {len(p["replicas"]) for p in described["partitions"]} == {brokers}
        with pytest.raises(InvalidReplicationFactorError):
            await ensure_topics(bootstrap, [f"{run_id}.over"], 1, replication_factor=brokers + 1)
    finally:
        await admin.close()
