"""Idempotent Kafka consumers: ledger of processed events, retries with backoff, dead letters.

For every message on a subscribed topic:
1. it is parsed as a CloudEvent of the expected type; a malformed one goes straight to
   ``<topic>.dlq`` (retrying cannot fix it) and the partition moves on;
2. an event already in the ledger (``processed_events``, unique ``_id`` = consumer + event
   id) is skipped: redelivery after a crash is harmless;
3. the effect runs; how a failure is retried depends on what failed (``failures``):
   - an outage (``Unavailable``: SMTP, MongoDB, Kafka down) pauses this partition and
     retries with capped backoff for as long as it takes, never dead-lettering;
   - a missing dependency (``MissingDependency``: the member is not known yet because
     ``member.registered`` is late) retries for a long budget, then the DLQ;
   - anything else (a bug, data the effect refuses) retries a few times, then the DLQ
     with the error in its headers, and the partition moves on;
4. the ledger entry is written, and only then is the offset committed.
Effects must themselves be idempotent on the event id (deterministic ``_id``s), which
covers a crash between the effect and the ledger entry. On shutdown a retrying message
is left uncommitted (it is delivered again after the restart).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from pydantic import BaseModel, ValidationError
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mylm_shared.events import CloudEvent, EventSpec, dlq_topic
from mylm_shared.failures import RetryPolicy, ShuttingDown
from mylm_shared.metrics import observe_handler, record_dead_letter
from mylm_shared.mongo import Document
from mylm_shared.settings import ServiceSettings
from mylm_shared.telemetry import consumer_span

log = logging.getLogger(__name__)

LEDGER = "processed_events"

Handler = Callable[[CloudEvent, Any], Awaitable[None]]


class MalformedEvent(ValueError):
    """The message is not a valid event of the expected type."""


class ProcessedEvents:
    """The ledger of events a consumer has fully handled."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[LEDGER]

    @staticmethod
    def _key(consumer: str, event_id: str) -> str:
        return f"{consumer}:{event_id}"

    async def seen(self, consumer: str, event_id: str) -> bool:
        return await self._collection.find_one({"_id": self._key(consumer, event_id)}) is not None

    async def record(self, consumer: str, event_id: str) -> None:
        # A concurrent redelivery may have recorded it first.
        with contextlib.suppress(DuplicateKeyError):
            await self._collection.insert_one(
                {"_id": self._key(consumer, event_id), "at": datetime.now(UTC)}
            )


def parse_event(body: bytes, spec: EventSpec[Any]) -> tuple[CloudEvent, BaseModel]:
    try:
        envelope = CloudEvent.model_validate_json(body)
    except ValidationError as error:
        raise MalformedEvent(f"not a CloudEvent: {error.error_count()} error(s)") from error
    if envelope.type != spec.event_type:
        raise MalformedEvent(f"unexpected type {envelope.type!r}, expected {spec.event_type!r}")
    try:
        return envelope, spec.parse(envelope)
    except ValidationError as error:
        raise MalformedEvent(f"invalid {spec.event_type} data: {error}") from error


@dataclass
class Consumer:
    """One idempotent consumer: a name (ledger scope), the event it takes, its effect.

    ``idempotent_effect=True`` declares that the effect is idempotent on the event id by
    itself (an insert with a deterministic ``_id``, an upsert of the same values, a claim
    keyed by the event id): the ledger is then skipped, saving two round trips per event.
    """

    name: str
    spec: EventSpec[Any]
    handle: Handler
    idempotent_effect: bool = False


class DeadLetters:
    def __init__(self, producer: AIOKafkaProducer, settings: ServiceSettings) -> None:
        self._producer = producer
        self._settings = settings

    async def send(self, message: KafkaMessage, topic: str, reason: str, error: str) -> None:
        record = message.raw_message
        headers: list[tuple[str, bytes]] = list(getattr(record, "headers", None) or [])
        headers += [
            ("dlq-reason", reason.encode()),
            ("dlq-error", error[:2000].encode()),
            ("dlq-original-topic", topic.encode()),
            ("dlq-original-partition", str(getattr(record, "partition", "")).encode()),
            ("dlq-original-offset", str(getattr(record, "offset", "")).encode()),
            ("dlq-consumer", self._settings.group_id.encode()),
        ]
        await self._producer.send_and_wait(
            dlq_topic(topic),
            value=message.body,
            key=getattr(record, "key", None),
            headers=headers,
        )
        record_dead_letter(topic, reason)
        log.warning("dead-lettered a message", extra={"topic": topic, "reason": reason})


@dataclass
class ConsumerControl:
    """Lets the service stop retrying messages at shutdown (set before the broker stops)."""

    stopping: asyncio.Event = field(default_factory=asyncio.Event)


def register_consumers(
    broker: KafkaBroker,
    settings: ServiceSettings,
    ledger: ProcessedEvents,
    dead_letters: DeadLetters,
    consumers: Sequence[Consumer],
    control: ConsumerControl | None = None,
) -> ConsumerControl:
    control = control or ConsumerControl()
    policy = RetryPolicy.from_settings(settings, control.stopping)
    for consumer in consumers:
        _register(broker, settings, ledger, dead_letters, policy, consumer)
    return control


def _register(
    broker: KafkaBroker,
    settings: ServiceSettings,
    ledger: ProcessedEvents,
    dead_letters: DeadLetters,
    policy: RetryPolicy,
    consumer: Consumer,
) -> None:
    topic = settings.topic(consumer.spec.topic)

    async def on_message(body: bytes, message: KafkaMessage) -> None:
        headers = {k: v for k, v in (message.headers or {}).items() if isinstance(v, str)}
        with consumer_span(f"{topic} process", headers, consumer=consumer.name):
            try:
                envelope, payload = parse_event(body, consumer.spec)
            except MalformedEvent as error:
                detail = str(error)
                await policy.run(lambda: dead_letters.send(message, topic, "malformed", detail))
                return

            async def handle_once() -> None:
                if consumer.idempotent_effect:
                    await consumer.handle(envelope, payload)
                    return
                if await ledger.seen(consumer.name, envelope.id):
                    return
                await consumer.handle(envelope, payload)
                await ledger.record(consumer.name, envelope.id)

            started = time.perf_counter()
            try:
                await policy.run(handle_once, event_id=envelope.id, what=consumer.name)
            except ShuttingDown:
                observe_handler(consumer.name, time.perf_counter() - started, "interrupted")
                raise  # not committed: delivered again after the restart
            except Exception as error:
                observe_handler(consumer.name, time.perf_counter() - started, "dead-lettered")
                reason, detail = policy.dead_letter_reason(error), repr(error)
                await policy.run(lambda: dead_letters.send(message, topic, reason, detail))
                return
            observe_handler(consumer.name, time.perf_counter() - started, "ok")

    on_message.__name__ = f"{consumer.name}_on_{consumer.spec.topic.replace('.', '_')}"
    on_message.__doc__ = consumer.spec.description
    broker.subscriber(
        topic,
        # The handler parses the raw bytes itself: a malformed body must reach the DLQ,
        # not fail in FastStream's own decoding and be redelivered forever.
        decoder=_raw_body,
        # One consumer group per handler: its own offsets, and no rebalance ping-pong
        # between a service's subscribers on different topics.
        group_id=f"{settings.group_id}.{consumer.name}",
        auto_offset_reset="earliest",
        # The offset is committed after the effect; an exception (shutdown while an
        # outage is being waited out) seeks back so the message is delivered again.
        ack_policy=AckPolicy.NACK_ON_ERROR,
        # Partitions are handled in parallel by several group members; order within a
        # partition (one member's events) is kept, and each commit follows its effect.
        max_workers=settings.consumer_workers,
        title=f"{consumer.spec.topic}:{consumer.name}",
        description=consumer.spec.description,
    )(on_message)


async def _raw_body(message: KafkaMessage) -> bytes:
    return message.body
