"""Idempotent Kafka consumers: ledger of processed events, retries with backoff, dead letters.

Messages arrive in batches (FastStream's batch subscriber: up to
``consumer_batch_max_records`` per poll). Within a batch, the messages of one Kafka key
(one member's events) are handled one after the other in offset order, and different
keys concurrently (at most ``consumer_batch_concurrency`` at a time), so store round
trips overlap. For every message:
1. it is parsed as a CloudEvent of the expected type; a malformed one goes straight to
   ``<topic>.dlq`` (retrying cannot fix it) and its key moves on;
2. an event already in the ledger (``processed_events``, unique ``_id`` = consumer + event
   id) is skipped: redelivery after a crash is harmless;
3. the effect runs; how a failure is retried depends on what failed (``failures``):
   - an outage (``Unavailable``: SMTP, MongoDB, Kafka down) holds the batch back and
     retries with capped backoff for as long as it takes, never dead-lettering;
   - a missing dependency (``MissingDependency``: the member is not known yet because
     ``member.registered`` is late) retries for a long budget, then the DLQ;
   - anything else (a bug, data the effect refuses) retries a few times, then the DLQ
     with the error in its headers, and its key moves on;
4. the ledger entry is written.
The offsets are committed once per batch, after every message of it has been handled
(effect and ledger entry written, or dead-lettered): nothing is committed past a message
that has not been. Effects must themselves be idempotent on the event id (deterministic
``_id``s), which covers a crash between the effect and the ledger entry, and the
redelivery of a whole batch. On shutdown the batch being handled is left uncommitted (it
is delivered again after the restart).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeAlias

from aiokafka import AIOKafkaProducer, ConsumerRecord
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
Record: TypeAlias = ConsumerRecord[Any, Any]


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

    async def send(self, record: Record, topic: str, reason: str, error: str) -> None:
        headers: list[tuple[str, bytes]] = list(record.headers or ())
        headers += [
            ("dlq-reason", reason.encode()),
            ("dlq-error", error[:2000].encode()),
            ("dlq-original-topic", topic.encode()),
            ("dlq-original-partition", str(record.partition).encode()),
            ("dlq-original-offset", str(record.offset).encode()),
            ("dlq-consumer", self._settings.group_id.encode()),
        ]
        await self._producer.send_and_wait(
            dlq_topic(topic), value=record.value or b"", key=record.key, headers=headers
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


def in_key_order(records: Iterable[Record]) -> list[list[Record]]:
    """The records of a batch in chains that may run concurrently: one per partition and
    key, each in offset order (a batch holds each partition's records in order)."""
    chains: dict[tuple[int, Any], list[Record]] = {}
    for record in records:
        chains.setdefault((record.partition, record.key), []).append(record)
    return list(chains.values())


async def handle_batch(
    records: Sequence[Record],
    handle: Callable[[Record], Awaitable[None]],
    concurrency: int,
    stopping: asyncio.Event,
) -> None:
    """Every record through ``handle``, in order per key, keys concurrently. Raises
    ``ShuttingDown`` (after the records in progress are done) if the service stops."""
    slots = asyncio.Semaphore(max(1, concurrency))

    async def chain(mine: list[Record]) -> None:
        for record in mine:
            async with slots:
                if stopping.is_set():
                    raise ShuttingDown("batch left uncommitted")
                await handle(record)

    outcomes = await asyncio.gather(
        *(chain(mine) for mine in in_key_order(records)), return_exceptions=True
    )
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    for error in errors:
        if isinstance(error, ShuttingDown):
            raise error
    if errors:
        raise errors[0]


def _register(
    broker: KafkaBroker,
    settings: ServiceSettings,
    ledger: ProcessedEvents,
    dead_letters: DeadLetters,
    policy: RetryPolicy,
    consumer: Consumer,
) -> None:
    topic = settings.topic(consumer.spec.topic)

    async def on_record(record: Record) -> None:
        headers = _text_headers(record)
        with consumer_span(f"{topic} process", headers, consumer=consumer.name):
            try:
                envelope, payload = parse_event(record.value or b"", consumer.spec)
            except MalformedEvent as error:
                detail = str(error)
                await policy.run(lambda: dead_letters.send(record, topic, "malformed", detail))
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
                raise  # the batch is not committed: delivered again after the restart
            except Exception as error:
                observe_handler(consumer.name, time.perf_counter() - started, "dead-lettered")
                reason, detail = policy.dead_letter_reason(error), repr(error)
                await policy.run(lambda: dead_letters.send(record, topic, reason, detail))
                return
            observe_handler(consumer.name, time.perf_counter() - started, "ok")

    async def on_batch(bodies: list[bytes], message: KafkaMessage) -> None:
        records: tuple[Record, ...] = message.raw_message
        await handle_batch(records, on_record, settings.consumer_batch_concurrency, policy.stopping)

    on_batch.__name__ = f"{consumer.name}_on_{consumer.spec.topic.replace('.', '_')}"
    on_batch.__doc__ = consumer.spec.description
    broker.subscriber(
        topic,
        batch=True,
        max_records=settings.consumer_batch_max_records,
        batch_timeout_ms=settings.consumer_batch_timeout_ms,
        # The handler parses the raw bytes itself: a malformed body must reach the DLQ,
        # not fail in FastStream's own decoding and be redelivered forever.
        decoder=_raw_bodies,
        # One consumer group per handler: its own offsets, and no rebalance ping-pong
        # between a service's subscribers on different topics.
        group_id=f"{settings.group_id}.{consumer.name}",
        auto_offset_reset="earliest",
        # One commit per batch, after every message of it is handled; an exception
        # (shutdown while an outage is being waited out) seeks each partition back to
        # its first record of the batch, so the batch is delivered again.
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=f"{consumer.spec.topic}:{consumer.name}",
        description=consumer.spec.description,
    )(on_batch)


def _text_headers(record: Record) -> dict[str, str]:
    """The headers that are text (``traceparent`` …), for the trace context."""
    headers: dict[str, str] = {}
    for name, value in record.headers or ():
        with contextlib.suppress(UnicodeDecodeError, AttributeError):
            headers[name] = value.decode()
    return headers


async def _raw_bodies(message: KafkaMessage) -> Any:
    return message.body
