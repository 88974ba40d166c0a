"""Batch consumption against the real Kafka and FerretDB: one offset commit per batch
after every message of it is handled or dead-lettered, order kept per Kafka key while
keys run concurrently, and a batch interrupted by shutdown left uncommitted."""

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from faststream.kafka import KafkaBroker
from mylm_shared.consumer import (
    Consumer,
    ConsumerControl,
    DeadLetters,
    ProcessedEvents,
    register_consumers,
)
from mylm_shared.events import INVOICE_ISSUED, CloudEvent, InvoiceIssuedV1
from mylm_shared.failures import Unavailable
from mylm_shared.kafka import ensure_topics, make_broker, make_producer, topics_with_dead_letters
from mylm_shared.mongo import make_mongo_client
from mylm_shared.settings import ServiceSettings
from pymongo import AsyncMongoClient

from testkit.apps import invoice_issued
from testkit.kafka import end_offsets, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

KEYS = ("member-a", "member-b", "member-c", "member-d")


@pytest.fixture
def settings(platform: Endpoints, run_id: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="shared-batch-tests",
        consumer_max_attempts=2,
        consumer_backoff_seconds=0.05,
        consumer_backoff_max_seconds=0.2,
        consumer_batch_max_records=100,
        consumer_batch_concurrency=8,
        **isolated(platform, run_id, "batch"),  # type: ignore[arg-type]
    )


@dataclass
class Effect:
    """Records what it handled, per key; fails on poisoned invoices, meets an outage on
    blocked ones (until unblocked) and takes a little random time on the others."""

    poisoned: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)
    handled: list[tuple[str, str]] = field(default_factory=list)  # (member, invoice)
    attempts: dict[str, int] = field(default_factory=dict)
    in_flight: int = 0
    most_in_flight: int = 0

    async def __call__(self, event: CloudEvent, invoice: InvoiceIssuedV1) -> None:
        self.attempts[invoice.invoice_id] = self.attempts.get(invoice.invoice_id, 0) + 1
        if invoice.invoice_id in self.blocked:
            raise Unavailable("the store is restarting")
        if invoice.invoice_id in self.poisoned:
            raise RuntimeError("cannot handle this one")
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(random.uniform(0, 0.02))  # a store round trip's latency
        finally:
            self.in_flight -= 1
        self.handled.append((invoice.member_id, invoice.invoice_id))

    def order_of(self, member: str) -> list[str]:
        return [invoice for m, invoice in self.handled if m == member]


@dataclass
class Harness:
    settings: ServiceSettings
    mongo: AsyncMongoClient[Any]
    effect: Effect = field(default_factory=Effect)
    commits: int = 0

    @property
    def topic(self) -> str:
        return self.settings.topic("invoice.issued")

    @property
    def group(self) -> str:
        return f"{self.settings.group_id}.recorder"

    async def publish(self, events: list[CloudEvent]) -> None:
        """All at once, before a consumer runs: the first poll returns them as one batch."""
        producer = make_producer(self.settings)
        await producer.start()
        try:
            for event in events:
                body = event.model_dump_json().encode()
                await producer.send(
                    self.topic, value=body, key=str(event.data["member_id"]).encode()
                )
            await producer.flush()
        finally:
            await producer.stop()

    async def consume(self) -> tuple[KafkaBroker, ConsumerControl, Callable[[], Awaitable[None]]]:
        """A started consumer whose offset commits are counted; and how to stop it."""
        producer = make_producer(self.settings)
        await producer.start()
        broker = make_broker(self.settings)
        control = register_consumers(
            broker,
            self.settings,
            ProcessedEvents(self.mongo[self.settings.database_name]),
            DeadLetters(producer, self.settings),
            [Consumer("recorder", INVOICE_ISSUED, self.effect)],
        )
        await broker.start()
        [subscriber] = broker.subscribers
        kafka_consumer: AIOKafkaConsumer = subscriber.consumer  # type: ignore[attr-defined]
        commit = kafka_consumer.commit

        async def counted_commit(*args: Any, **kwargs: Any) -> None:
            self.commits += 1
            await commit(*args, **kwargs)

        kafka_consumer.commit = counted_commit

        async def stop() -> None:
            control.stopping.set()
            await broker.stop()
            await producer.stop()

        return broker, control, stop

    async def committed(self) -> dict[TopicPartition, int]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.settings.kafka_bootstrap_servers)
        await admin.start()
        try:
            offsets = await admin.list_consumer_group_offsets(self.group)
            return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}
        finally:
            await admin.close()

    async def fully_committed(self) -> bool:
        ends = await end_offsets(self.settings.kafka_bootstrap_servers, self.topic)
        committed = await self.committed()
        return all(committed.get(tp, 0) == end for tp, end in ends.items())


@pytest.fixture
async def harness(settings: ServiceSettings) -> AsyncIterator[Harness]:
    topics = topics_with_dead_letters([settings.topic("invoice.issued")])
    await ensure_topics(settings.kafka_bootstrap_servers, topics, 2)
    mongo = make_mongo_client(settings.mongodb_uri, "tests")
    try:
        yield Harness(settings, mongo)
    finally:
        await mongo.drop_database(settings.database_name)
        await mongo.close()


def invoice_id(event: CloudEvent) -> str:
    return str(event.data["invoice_id"])


async def test_a_batch_with_a_poison_message_is_handled_dead_lettered_and_committed_once(
    harness: Harness,
) -> None:
    events = [invoice_issued(KEYS[n % len(KEYS)]) for n in range(40)]
    poison = events[len(events) // 2]
    harness.effect.poisoned.add(invoice_id(poison))
    await harness.publish(events)

    _, _, stop = await harness.consume()
    try:
        await eventually(harness.fully_committed, within=60, what="the batch committed")
        assert harness.commits == 1  # one commit for the whole batch

        handled = {invoice for _, invoice in harness.effect.handled}
        assert handled == {invoice_id(e) for e in events} - {invoice_id(poison)}
        dead = await read_all(harness.settings.kafka_bootstrap_servers, f"{harness.topic}.dlq")
        assert [r.value for r in dead] == [poison.model_dump_json().encode()]
        assert dict(dead[0].headers)["dlq-reason"] == b"handler-failed"
        assert harness.effect.attempts[invoice_id(poison)] == harness.settings.consumer_max_attempts

        for member in KEYS:  # one member's events in the order they were published
            published = [invoice_id(e) for e in events if e.data["member_id"] == member]
            assert harness.effect.order_of(member) == [i for i in published if i in handled]
        assert harness.effect.most_in_flight > 1  # keys ran concurrently
    finally:
        await stop()


async def test_a_batch_interrupted_by_shutdown_is_not_committed_and_is_delivered_again(
    harness: Harness,
) -> None:
    events = [invoice_issued(KEYS[n % len(KEYS)]) for n in range(12)]
    stuck, behind = events[5], events[9]  # the same key: behind waits for stuck
    assert stuck.data["member_id"] == behind.data["member_id"]
    harness.effect.blocked.add(invoice_id(stuck))
    await harness.publish(events)

    _, _, stop = await harness.consume()
    try:
        await eventually(
            lambda: asyncio.sleep(0, harness.effect.attempts.get(invoice_id(stuck), 0)),
            until=lambda n: n > harness.settings.consumer_max_attempts,  # an outage: no DLQ
        )
        # every other event is done; the batch waits for the stuck one
        await eventually(
            lambda: asyncio.sleep(0, len(harness.effect.handled)),
            until=lambda n: n == len(events) - 2,
        )
    finally:
        await stop()
    assert harness.commits == 0
    assert await harness.committed() == {}  # nothing committed past the stuck message

    harness.effect.blocked.clear()  # the store is back, the service restarts
    handled_before = len(harness.effect.handled)
    _, _, stop = await harness.consume()
    try:
        await eventually(harness.fully_committed, within=60, what="the batch committed")
    finally:
        await stop()
    # the batch is delivered again: the ledger skips what was handled, the rest follows
    member = str(stuck.data["member_id"])
    assert harness.effect.handled[handled_before:] == [
        (member, invoice_id(stuck)),
        (member, invoice_id(behind)),
    ]
    assert sorted(i for _, i in harness.effect.handled) == sorted(invoice_id(e) for e in events)
    dead = await read_all(harness.settings.kafka_bootstrap_servers, f"{harness.topic}.dlq")
    assert dead == []
