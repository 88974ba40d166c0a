"""The delivery guarantees of shared/, against the real Kafka and FerretDB: the outbox
relay publishes every pending event once and clears it; consumers handle each event
once, retry with backoff, and dead-letter what cannot be handled without blocking
the events behind it."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from mylm_shared import dlq as dlq_tool
from mylm_shared.consumer import Consumer, DeadLetters, ProcessedEvents, register_consumers
from mylm_shared.events import INVOICE_ISSUED, CloudEvent, InvoiceIssuedV1
from mylm_shared.failures import MissingDependency, Unavailable
from mylm_shared.kafka import ensure_topics, make_broker, make_producer, topics_with_dead_letters
from mylm_shared.metrics import OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE
from mylm_shared.mongo import make_mongo_client
from mylm_shared.outbox import OutboxRelay, insert_with_events, outbox_entry, with_outbox
from mylm_shared.settings import ServiceSettings
from prometheus_client import Gauge

from testkit.apps import invoice_issued
from testkit.kafka import event_ids, publish, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(platform: Endpoints, run_id: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="shared-tests",
        consumer_max_attempts=3,
        consumer_backoff_seconds=0.05,
        consumer_backoff_max_seconds=0.2,
        consumer_dependency_wait_seconds=4.0,
        **isolated(platform, run_id, "shared"),  # type: ignore[arg-type]
    )


async def test_the_relay_publishes_each_event_once_then_removes_it(
    settings: ServiceSettings,
) -> None:
    await ensure_topics(settings.kafka_bootstrap_servers, [settings.topic("invoice.issued")], 2)
    mongo = make_mongo_client(settings.mongodb_uri, "tests")
    producer = make_producer(settings)
    await producer.start()
    try:
        invoices = mongo[settings.database_name]["invoices"]
        first, second, third, orphan = (invoice_issued(str(uuid.uuid4())) for _ in range(4))
        await insert_with_events(invoices, {"_id": "a"}, outbox_entry("invoice.issued", first))
        await insert_with_events(
            invoices,
            {"_id": "b"},
            outbox_entry("invoice.issued", second),
            outbox_entry("invoice.issued", third),
        )
        # a crash right after the atomic write: the events are stored, the hint is not
        await invoices.insert_one(with_outbox({"_id": "c"}, outbox_entry("invoice.issued", orphan)))
        relay = OutboxRelay([invoices], producer, topic_prefix=settings.topic_prefix)

        assert await relay.publish_pending() == 3
        assert await relay.publish_pending() == 0  # nothing hinted any more
        assert await relay.sweep() == 1  # the sweep finds the orphan
        assert await relay.publish_pending() == 1
        assert await relay.sweep() == 0

        records = await read_all(settings.kafka_bootstrap_servers, settings.topic("invoice.issued"))
        assert sorted(event_ids(records)) == sorted([first.id, second.id, third.id, orphan.id])
        assert await invoices.count_documents({"_outbox": {"$size": 0}}) == 3
    finally:
        await producer.stop()
        await mongo.drop_database(settings.database_name)
        await mongo.close()


@dataclass
class Recorder:
    """A handler that records what it handled and always fails on one poisoned invoice."""

    poisoned: set[str] = field(default_factory=set)
    handled: list[str] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    outage_attempts: int = 0  # the first n attempts of every event meet an outage
    missing: set[str] = field(default_factory=set)  # events whose dependency is not there

    async def __call__(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        self.attempts[invoice.invoice_id] = self.attempts.get(invoice.invoice_id, 0) + 1
        if self.attempts[invoice.invoice_id] <= self.outage_attempts:
            raise Unavailable("the mail server is restarting")
        if invoice.invoice_id in self.missing:
            raise MissingDependency("member not known yet")
        if invoice.invoice_id in self.poisoned:
            raise RuntimeError("cannot handle this one")
        self.handled.append(invoice.invoice_id)


@pytest.fixture
async def consuming(settings: ServiceSettings) -> AsyncIterator[Recorder]:
    topic = settings.topic("invoice.issued")
    await ensure_topics(settings.kafka_bootstrap_servers, topics_with_dead_letters([topic]), 1)
    mongo = make_mongo_client(settings.mongodb_uri, "tests")
    producer = make_producer(settings)
    await producer.start()
    broker = make_broker(settings)
    recorder = Recorder()
    register_consumers(
        broker,
        settings,
        ProcessedEvents(mongo[settings.database_name]),
        DeadLetters(producer, settings),
        [Consumer("recorder", INVOICE_ISSUED, recorder)],
    )
    await broker.start()
    try:
        yield recorder
    finally:
        await broker.stop()
        await producer.stop()
        await mongo.drop_database(settings.database_name)
        await mongo.close()


async def send(settings: ServiceSettings, body: bytes) -> None:
    await publish(settings.kafka_bootstrap_servers, settings.topic("invoice.issued"), body, key="m")


def invoice_id(event: CloudEvent) -> str:
    return str(event.data["invoice_id"])


async def test_a_redelivered_event_is_handled_once(
    settings: ServiceSettings, consuming: Recorder
) -> None:
    event, fence = invoice_issued("m"), invoice_issued("m")
    for body in (event, event, fence):
        await send(settings, body.model_dump_json().encode())

    async def handled() -> list[str]:
        return consuming.handled

    await eventually(handled, until=lambda h: invoice_id(fence) in h)
    assert consuming.handled == [invoice_id(event), invoice_id(fence)]


async def test_malformed_and_failing_messages_are_dead_lettered_and_later_ones_delivered(
    settings: ServiceSettings, consuming: Recorder
) -> None:
    poisoned, after = invoice_issued("m"), invoice_issued("m")
    consuming.poisoned.add(invoice_id(poisoned))
    await send(settings, b'{"this is": "not an event"')
    await send(settings, poisoned.model_dump_json().encode())
    await send(settings, after.model_dump_json().encode())

    async def handled() -> list[str]:
        return consuming.handled

    await eventually(handled, until=lambda h: invoice_id(after) in h)
    dead = await eventually(
        lambda: read_all(settings.kafka_bootstrap_servers, settings.topic("invoice.issued.dlq")),
        until=lambda records: len(records) >= 2,
    )
    reasons = [dict(r.headers)["dlq-reason"] for r in dead]
    assert reasons == [b"malformed", b"handler-failed"]
    assert dead[0].value == b'{"this is": "not an event"'  # kept byte for byte
    assert consuming.attempts[invoice_id(poisoned)] == settings.consumer_max_attempts
    assert consuming.handled == [invoice_id(after)]


async def test_an_outage_is_retried_past_the_attempt_limit_and_never_dead_lettered(
    settings: ServiceSettings, consuming: Recorder
) -> None:
    consuming.outage_attempts = 4 * settings.consumer_max_attempts
    first, second = invoice_issued("m"), invoice_issued("m")
    for event in (first, second):
        await send(settings, event.model_dump_json().encode())

    async def handled() -> list[str]:
        return consuming.handled

    await eventually(handled, until=lambda h: len(h) == 2, within=60)
    assert consuming.handled == [invoice_id(first), invoice_id(second)]  # order kept
    assert consuming.attempts[invoice_id(first)] == consuming.outage_attempts + 1
    dead = await read_all(settings.kafka_bootstrap_servers, settings.topic("invoice.issued.dlq"))
    assert dead == []


async def test_a_missing_dependency_waits_for_it_then_dead_letters_after_its_budget(
    settings: ServiceSettings, consuming: Recorder
) -> None:
    late, never = invoice_issued("m"), invoice_issued("m")
    consuming.missing |= {invoice_id(late), invoice_id(never)}
    await send(settings, late.model_dump_json().encode())
    await eventually(
        lambda: asyncio.sleep(0, consuming.attempts.get(invoice_id(late), 0)),
        until=lambda n: n > settings.consumer_max_attempts,  # past the bug budget
    )
    consuming.missing.discard(invoice_id(late))  # member.registered arrived meanwhile

    async def handled() -> list[str]:
        return consuming.handled

    await eventually(handled, until=lambda h: invoice_id(late) in h)
    await send(settings, never.model_dump_json().encode())
    dead = await eventually(
        lambda: read_all(settings.kafka_bootstrap_servers, settings.topic("invoice.issued.dlq")),
        within=30,
    )
    assert [dict(r.headers)["dlq-reason"] for r in dead] == [b"dependency-missing"]
    assert consuming.handled == [invoice_id(late)]


async def test_one_relay_per_database_and_a_standby_takes_over_when_it_dies(
    settings: ServiceSettings,
) -> None:
    topic = settings.topic("invoice.issued")
    await ensure_topics(settings.kafka_bootstrap_servers, [topic], 1)
    mongo = make_mongo_client(settings.mongodb_uri, "tests")
    producer = make_producer(settings)
    await producer.start()
    invoices = mongo[settings.database_name]["invoices"]
    relays = [
        OutboxRelay([invoices], producer, topic_prefix=settings.topic_prefix, lease_seconds=1.5)
        for _ in range(2)
    ]
    try:
        for relay in relays:
            relay.start()
        before = [invoice_issued("m") for _ in range(30)]
        for n, event in enumerate(before):
            await insert_with_events(
                invoices, {"_id": f"a{n}"}, outbox_entry("invoice.issued", event)
            )
        records = await eventually(
            lambda: read_all(settings.kafka_bootstrap_servers, topic),
            until=lambda r: len(r) >= 30,
        )
        assert event_ids(records) == [e.id for e in before]  # once each, in order
        assert sum(relay.leading for relay in relays) == 1

        leader = next(relay for relay in relays if relay.leading)
        standby = next(relay for relay in relays if relay is not leader)
        assert leader._task is not None
        leader._task.cancel()  # dies without releasing the lease
        after = [invoice_issued("m") for _ in range(5)]
        for n, event in enumerate(after):
            await insert_with_events(
                invoices, {"_id": f"b{n}"}, outbox_entry("invoice.issued", event)
            )
        records = await eventually(
            lambda: read_all(settings.kafka_bootstrap_servers, topic),
            until=lambda r: len(r) >= 35,
            within=30,
        )
        assert event_ids(records) == [e.id for e in before + after]
        assert standby.leading
    finally:
        for relay in relays:
            with contextlib.suppress(asyncio.CancelledError):  # the one that "died"
                await relay.stop()
        await producer.stop()
        await mongo.drop_database(settings.database_name)
        await mongo.close()


async def test_the_dlq_can_be_listed_inspected_and_redriven_once(
    settings: ServiceSettings, consuming: Recorder
) -> None:
    poisoned = invoice_issued("m")
    consuming.poisoned.add(invoice_id(poisoned))
    await send(settings, poisoned.model_dump_json().encode())
    dlq = settings.topic("invoice.issued.dlq")
    await eventually(lambda: read_all(settings.kafka_bootstrap_servers, dlq))

    bootstrap = settings.kafka_bootstrap_servers
    [summary] = await dlq_tool.list_dlqs(bootstrap, prefix=settings.topic_prefix + "invoice")
    assert (summary.topic, summary.messages, summary.not_redriven) == (dlq, 1, 1)
    [letter] = await dlq_tool.show(bootstrap, dlq)
    assert (letter.event_id, letter.reason) == (poisoned.id, "handler-failed")
    assert "cannot handle this one" in letter.error

    # another reason only: this letter is left for a later run
    assert await dlq_tool.redrive(bootstrap, dlq, reason="dependency-missing") == []
    [summary] = await dlq_tool.list_dlqs(bootstrap, prefix=settings.topic_prefix + "invoice")
    assert summary.not_redriven == 1

    consuming.poisoned.clear()  # the bug is fixed
    assert [d.event_id for d in await dlq_tool.redrive(bootstrap, dlq)] == [poisoned.id]

    async def handled() -> list[str]:
        return consuming.handled

    await eventually(handled, until=lambda h: invoice_id(poisoned) in h)
    assert await dlq_tool.redrive(bootstrap, dlq) == []  # idempotent: nothing new
    assert consuming.handled == [invoice_id(poisoned)]
    [summary] = await dlq_tool.list_dlqs(bootstrap, prefix=settings.topic_prefix + "invoice")
    assert summary.not_redriven == 0


def gauge(metric: Gauge, collection: str) -> float:
    (value,) = [
        sample.value
        for family in metric.collect()
        for sample in family.samples
        if sample.labels == {"collection": collection}
    ]
    return value


async def test_the_sweep_measures_the_backlog_and_the_age_of_its_oldest_event(
    settings: ServiceSettings,
) -> None:
    """Issue 21 item 6: ``mylm_outbox_backlog`` and ``mylm_outbox_oldest_age_seconds``
    (the OutboxBacklogLarge / OutboxBacklogOld alerts) come from the relay's sweep."""
    mongo = make_mongo_client(settings.mongodb_uri, "tests")
    producer = make_producer(settings)  # not started: the sweep publishes nothing
    name = f"aged_{uuid.uuid4().hex[:8]}"  # the gauges are per collection, process-wide
    try:
        collection = mongo[settings.database_name][name]
        old = invoice_issued(str(uuid.uuid4())).model_copy(
            update={"time": datetime.now(UTC) - timedelta(minutes=20)}
        )
        new = invoice_issued(str(uuid.uuid4()))
        await collection.insert_one(with_outbox({"_id": "old"}, outbox_entry("t", old)))
        await collection.insert_one(with_outbox({"_id": "new"}, outbox_entry("t", new)))
        relay = OutboxRelay([collection], producer, topic_prefix=settings.topic_prefix)

        assert await relay.sweep() == 2
        assert gauge(OUTBOX_BACKLOG, name) == 2
        age = gauge(OUTBOX_OLDEST_AGE, name)
        assert 20 * 60 <= age < 25 * 60

        await collection.update_many({}, {"$set": {"_outbox": []}})  # published
        await relay.sweep()
        assert gauge(OUTBOX_BACKLOG, name) == 0
        assert gauge(OUTBOX_OLDEST_AGE, name) == 0
    finally:
        await mongo.drop_database(settings.database_name)
        await mongo.close()
