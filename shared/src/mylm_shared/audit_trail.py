"""Append-only HMAC-chained trails in MongoDB, anchored by checkpoints in Kafka: the
generic mechanism behind identity-svc's audit trail (LF-5; issue 15 item 6) and
inbox-svc's chain of received messages (ES-2; issue 19 item 3). Each service passes its
own collection names (``MongoAuditTrail(collection=, due_collection=)``), its own key
settings and its own lease name; both publish to ``audit.checkpoint`` with their own
trail names (inbox's start with ``messages/``) under their own keys.

Keys (never in the database; identity's setting names, inbox's are MESSAGE_CHAIN_*):
AUDIT_KEY_FILE, a mounted secret (>= 32 bytes), signs new
entries and checkpoints; AUDIT_RETIRED_KEY_FILES lists the keys of before a rotation,
still accepted when verifying. Without AUDIT_KEY_FILE the dev/test profiles generate
one under the git-ignored ``.cache/`` (AUDIT_DEV_KEY_FILE); prod refuses to start.

Store: insert-only, ``_id = "<trail>@<seq>"``. Two operations on one trail at once both
claim the next ``seq``: the unique ``_id`` lets one win, the other re-reads the tail and
chains after it (with a jittered back-off), so the trail never forks, on FerretDB v1
(no transactions, read-then-write updates) as on MongoDB. Each entry carries its
operation's id: recording the same operation again appends nothing.

Checkpoints: each append also inserts a marker ``{_id: trail}`` in
``audit_checkpoint_due``; one replica (a lease) periodically takes the markers, reads
those trails' heads and publishes each head, HMAC'd, to ``audit.checkpoint`` (key: the
trail; compacted, never deleted). ``latest_checkpoint`` reads a trail's newest one back.
"""

import asyncio
import contextlib
import logging
import os
import random
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code
from aiokafka.partitioner import DefaultPartitioner
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from mylm_shared.aggregates import SAVED_AT, Mapper, Message
from mylm_shared.events import (
    AUDIT_CHECKPOINT,
    AuditCheckpointV1,
    CloudEvent,
    EventSpec,
    new_event,
)
from mylm_shared.kernel.audit_chain import (
    MIN_KEY_BYTES,
    AuditEntry,
    AuditKey,
    AuditKeys,
    Checkpoint,
    Operation,
    checkpoint_of,
    next_entry,
    verify,
)
from mylm_shared.kernel.domain import Aggregate
from mylm_shared.lease import LEASES, Lease
from mylm_shared.mongo import Document, IndexSpec

log = logging.getLogger(__name__)

AUDIT = "audit_trail"
CHECKPOINT_DUE = "audit_checkpoint_due"


def trail_indexes(collection: str) -> list[IndexSpec]:
    """The indexes a trail's collection needs (tail reads per trail, ``op_id`` look-ups)."""
    return [
        IndexSpec(collection, [("trail", 1), ("seq", -1)]),
        IndexSpec(collection, [("op_id", 1)]),
    ]


AUDIT_INDEXES = trail_indexes(AUDIT)
# The topic keeps the newest checkpoint of every trail for ever.
CHECKPOINT_TOPIC_CONFIG = {"cleanup.policy": "compact", "retention.ms": "-1"}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# --- keys ---------------------------------------------------------------------------


class AuditKeyMissing(RuntimeError):
    """No usable audit key: identity-svc must not start."""


def _read_key(path: str, setting: str) -> AuditKey:
    """The key in ``path``; errors name ``setting`` and the file, never its content."""
    try:
        secret = Path(path).read_bytes().strip()
    except OSError as error:  # names the file, never its content
        raise AuditKeyMissing(f"{setting} {path}: {error.strerror}") from None
    if len(secret) < MIN_KEY_BYTES:
        raise AuditKeyMissing(f"{setting} {path}: needs at least {MIN_KEY_BYTES} bytes")
    return AuditKey(secret)


def _dev_key(path: str, setting: str) -> AuditKey:
    """Made once (exclusive create: of two processes one writes it), never committed."""
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return _read_key(path, setting)


def load_audit_keys(
    key_file: str | None,
    retired_key_files: Sequence[str] = (),
    *,
    dev_key_file: str | None,
    setting: str = "AUDIT_KEY_FILE",
) -> AuditKeys:
    """The mounted key and the retired ones; else (dev/test only, ``dev_key_file`` set)
    a key generated once in a git-ignored file. Never the database: whoever can write
    the trail must not be able to recompute its HMACs."""
    retired_setting = setting.replace("_KEY_FILE", "_RETIRED_KEY_FILES")
    retired = tuple(_read_key(f, retired_setting) for f in retired_key_files)
    if key_file:
        return AuditKeys(_read_key(key_file, setting), retired)
    if dev_key_file is None:
        raise AuditKeyMissing(f"{setting} is required: no key is generated in prod")
    return AuditKeys(_dev_key(dev_key_file, setting.replace("_KEY_FILE", "_DEV_KEY_FILE")), retired)


# --- the trail ----------------------------------------------------------------------


class Recorder(Protocol):
    """What ``audited`` chains into (``MongoAuditTrail``; the fake in ``testkit``)."""

    async def record(self, trail: str, operation: Operation, op_id: str | None = None) -> None: ...


def _document(entry: AuditEntry) -> Document:
    op = entry.operation
    return {
        "_id": f"{entry.trail}@{entry.seq:08d}",
        "trail": entry.trail,
        "seq": entry.seq,
        "at": entry.at,
        "action": op.action,
        "by": op.by,
        "source": op.source,
        "acting_for": op.acting_for,
        "details": op.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
        "key_id": entry.key_id,
        "op_id": entry.op_id,
    }


def _entry(doc: Document) -> AuditEntry:
    operation = Operation(
        action=doc["action"],
        by=doc.get("by"),
        source=doc.get("source"),
        acting_for=doc.get("acting_for"),
        details=doc.get("details") or {},
    )
    return AuditEntry(
        doc["trail"],
        doc["seq"],
        doc["at"],
        operation,
        doc["prev_hash"],
        doc["hash"],
        doc.get("key_id"),
        doc.get("op_id"),
    )


class MongoAuditTrail:
    # Attempts under contention (60 parallel failed logins on one account chain one
    # after the other); each lost attempt backs off a little, randomly.
    MAX_ATTEMPTS = 500

    def __init__(
        self,
        db: AsyncDatabase[Document],
        keys: AuditKeys,
        *,
        collection: str = AUDIT,
        due_collection: str = CHECKPOINT_DUE,
    ) -> None:
        self._collection = db[collection]
        self._due = db[due_collection]
        self._keys = keys
        self._later: set[asyncio.Task[None]] = set()

    def record_later(self, trail: str, operation: Operation) -> None:
        """Record after the answer is computed: for an attempt that changed nothing
        (a failed or refused login), whose answer must not take longer for an existing
        account than for an unknown username. ``drain`` waits for them (shutdown, tests)."""
        task = asyncio.create_task(self.record(trail, operation))
        self._later.add(task)
        task.add_done_callback(self._recorded)

    def _recorded(self, task: "asyncio.Task[None]") -> None:
        self._later.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("audit entry not recorded", extra={"error": repr(error)})

    async def drain(self) -> None:
        if self._later:
            await asyncio.gather(*self._later, return_exceptions=True)

    @property
    def collection(self) -> AsyncCollection[Document]:
        return self._collection

    async def record(self, trail: str, operation: Operation, op_id: str | None = None) -> None:
        op_id = op_id or uuid.uuid4().hex
        for attempt in range(self.MAX_ATTEMPTS):
            entries = await self.entries(trail)
            if any(entry.op_id == op_id for entry in entries):
                return  # recorded before (a retry of the same operation)
            tail = entries[-1] if entries else None
            entry = next_entry(self._keys.current, trail, tail, _now(), operation, op_id)
            try:
                await self._collection.insert_one(_document(entry))
            except DuplicateKeyError:  # another operation took this seq: chain after it
                jitter = random.uniform(0, min(0.05, 0.001 * 2**attempt))  # noqa: S311
                await asyncio.sleep(jitter)
                continue
            with contextlib.suppress(DuplicateKeyError):  # due already
                await self._due.insert_one({"_id": trail, "at": datetime.now(UTC)})
            return
        raise RuntimeError(f"audit trail {trail}: too much contention")

    def audited(
        self, operation: Operation, into: str | None = None
    ) -> AbstractAsyncContextManager[dict[str, Any]]:
        """``audited`` (below) into this trail: the operation goes with the change."""
        return audited(self, operation, into)

    async def entries(self, trail: str) -> list[AuditEntry]:
        docs = await self._collection.find({"trail": trail}).to_list()
        return sorted((_entry(d) for d in docs), key=lambda e: e.seq)

    async def has(self, op_id: str) -> bool:
        return await self._collection.find_one({"op_id": op_id}, {"_id": 1}) is not None

    async def head(self, trail: str) -> AuditEntry | None:
        entries = await self.entries(trail)
        return entries[-1] if entries else None

    async def take_due(self) -> list[str]:
        """The trails appended to since their last checkpoint. The markers go first: an
        entry appended from now on marks its trail again."""
        due = [doc["_id"] async for doc in self._due.find({})]
        if due:
            await self._due.delete_many({"_id": {"$in": due}})
        return due

    async def mark_due(self, trails: Sequence[str]) -> None:
        for trail in trails:
            with contextlib.suppress(DuplicateKeyError):
                await self._due.insert_one({"_id": trail, "at": datetime.now(UTC)})


# --- with the change: the operation in the changed document ------------------------


@dataclass
class PendingOperation:
    """An operation waiting for the change it proves (``audited``)."""

    op_id: str
    operation: Operation
    trail: str | None = None  # set when written into a changed aggregate's document


_PENDING: ContextVar[tuple[PendingOperation, ...]] = ContextVar("audit_pending", default=())
PENDING_FIELD = "_audit"  # in an aggregate version's document
# How far back the sweep looks for operations a crash left unchained (it runs when a
# replica takes the checkpoint lease, so at every start, and every sweep interval).
PENDING_HORIZON = timedelta(days=7)
A = TypeVar("A", bound=Aggregate)


class AuditingMapper(Generic[A]):
    """Wraps an aggregate's mapper: a version saved inside ``audited`` carries the
    pending operations in ``_audit``, so the change and the operation proving it are
    ONE single-document insert (LF-5, issue 15 item 6). Never removed afterwards (the
    outbox relay updates that document too; two updates could lose one on FerretDB v1):
    an operation is done once its ``op_id`` is in the trail."""

    def __init__(self, inner: Mapper[A], trail_of: Callable[[A], str]) -> None:
        self._inner = inner
        self._trail_of = trail_of

    def to_document(self, aggregate: A) -> Document:
        document = self._inner.to_document(aggregate)
        pending = _PENDING.get()
        if pending:
            trail = self._trail_of(aggregate)
            for item in pending:
                item.trail = item.trail or trail
            document[PENDING_FIELD] = [_pending_document(item) for item in pending]
        return document

    def from_document(self, document: Document) -> A:
        return self._inner.from_document(document)

    def to_messages(self, event: object) -> Sequence[Message]:
        return self._inner.to_messages(event)


def _pending_document(item: PendingOperation) -> Document:
    return {"op_id": item.op_id, "trail": item.trail, **asdict(item.operation)}


@asynccontextmanager
async def audited(
    trail: Recorder, operation: Operation, into: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Record ``operation`` with the aggregate change made inside the block: it is
    written into that change's document, then chained into the trail (``into``, else
    the changed aggregate's). A crash (or an error) between the two leaves it in the
    document, where ``sweep_pending`` finds it. Without ``into``, no aggregate saved in
    the block (nothing changed) records nothing. Yields the operation's details, which
    the block may complete until the change is saved (what changed)."""
    item = PendingOperation(uuid.uuid4().hex, operation, into)
    token = _PENDING.set((*_PENDING.get(), item))
    try:
        yield operation.details
    finally:
        _PENDING.reset(token)
    if item.trail is not None:
        await trail.record(item.trail, operation, item.op_id)


async def sweep_pending(
    collections: Sequence[AsyncCollection[Document]],
    trail: MongoAuditTrail,
    *,
    since: datetime,
) -> int:
    """Chain the operations written with a change (saved since ``since``) that are not
    in their trail yet (a crash between the change and the chaining); how many."""
    chained = 0
    for collection in collections:
        query = {f"{PENDING_FIELD}.op_id": {"$exists": True}, SAVED_AT: {"$gte": since}}
        async for document in collection.find(query, {PENDING_FIELD: 1}):
            for item in document.get(PENDING_FIELD) or []:
                if item.get("trail") is None or await trail.has(item["op_id"]):
                    continue
                operation = Operation(
                    action=item["action"],
                    by=item.get("by"),
                    source=item.get("source"),
                    acting_for=item.get("acting_for"),
                    details=item.get("details") or {},
                )
                await trail.record(item["trail"], operation, item["op_id"])
                chained += 1
    return chained


# --- checkpoints --------------------------------------------------------------------


async def ensure_checkpoint_topic(
    bootstrap_servers: str, topic: str, partitions: int, replication_factor: int
) -> None:
    """Create ``audit.checkpoint`` compacted and never deleted (local platform; in
    Kubernetes it is a KafkaTopic with the same config)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        if topic in set(await admin.list_topics()):
            return
        new = NewTopic(topic, partitions, replication_factor, topic_configs=CHECKPOINT_TOPIC_CONFIG)
        response = await admin.create_topics([new])
        for name, code, *rest in response.topic_errors:
            error = for_code(code)
            if code and error is not TopicAlreadyExistsError:
                message = rest[0] if rest and rest[0] else error.__name__
                raise error(f"cannot create topic {name}: {message}")
    finally:
        await admin.close()


CheckpointSpec = EventSpec[AuditCheckpointV1]


def _checkpoint_payload(checkpoint: Checkpoint) -> AuditCheckpointV1:
    return AuditCheckpointV1(
        trail=checkpoint.trail,
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        at=checkpoint.at,
        key_id=checkpoint.key_id,
        mac=checkpoint.mac,
    )


class CheckpointUnavailable(RuntimeError):
    """The checkpoint topic cannot be read: a verification cannot conclude."""


def _parse_checkpoint(value: bytes, spec: CheckpointSpec = AUDIT_CHECKPOINT) -> Checkpoint:
    envelope = CloudEvent.model_validate_json(value)
    payload = spec.parse(envelope)
    return Checkpoint(
        payload.trail, payload.seq, payload.hash, payload.at, payload.key_id, payload.mac
    )


async def read_checkpoints(
    bootstrap_servers: str,
    topic: str,
    trail: str | None = None,
    *,
    within: float = 15.0,
    spec: CheckpointSpec = AUDIT_CHECKPOINT,
) -> dict[str, Checkpoint]:
    """The newest checkpoint of each trail (only ``trail``'s, read from its partition as
    the producer's default partitioner chose it, when given): the partitions read from
    their start to their end. For one trail the highest ``seq`` wins over arrival order
    (two publishers overlapping briefly never publish a lower one: see the publisher)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None
    )
    found: dict[str, Checkpoint] = {}
    try:
        async with asyncio.timeout(within):
            await consumer.start()
            # the topic's partitions (the consumer subscribes to nothing: ask the cluster)
            metadata = await consumer._client.fetch_all_metadata()
            partitions = sorted(metadata.partitions_for_topic(topic) or [])
            if not partitions:
                return found
            key = trail.encode() if trail is not None else None
            if key is not None:
                partitions = [DefaultPartitioner()(key, partitions, partitions)]
            assigned = [TopicPartition(topic, p) for p in partitions]
            consumer.assign(assigned)
            ends = await consumer.end_offsets(assigned)
            for partition, start in (await consumer.beginning_offsets(assigned)).items():
                consumer.seek(partition, start)
            for partition in assigned:
                while await consumer.position(partition) < ends[partition]:
                    batch = await consumer.getmany(partition, timeout_ms=500)
                    for record in batch.get(partition, []):
                        if record.value is None or (key is not None and record.key != key):
                            continue
                        with contextlib.suppress(ValueError):
                            checkpoint = _parse_checkpoint(record.value, spec)
                            seen = found.get(checkpoint.trail)
                            if seen is None or checkpoint.seq >= seen.seq:
                                found[checkpoint.trail] = checkpoint
            return found
    except (TimeoutError, OSError) as error:
        raise CheckpointUnavailable(f"cannot read {topic}: {error!r}") from error
    finally:
        await consumer.stop()


async def latest_checkpoint(bootstrap_servers: str, topic: str, trail: str) -> Checkpoint | None:
    return (await read_checkpoints(bootstrap_servers, topic, trail)).get(trail)


class CheckpointPublisher:
    """Every ``interval`` seconds, the heads of the trails appended to are published
    (one replica at a time: a lease). A head is published only when the trail verifies
    against its last checkpoint: a truncated or rewritten trail never gets a checkpoint
    that would launder it (compaction keeps only the newest per trail). A failed
    publish puts the trails back for the next pass."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        trail: MongoAuditTrail,
        keys: AuditKeys,
        producer: AIOKafkaProducer,
        *,
        bootstrap_servers: str,
        topic: str,
        source: str,
        interval: float,
        lease_seconds: float = 10.0,
        lease_name: str = "audit-checkpoint",
        spec: CheckpointSpec = AUDIT_CHECKPOINT,
        changed_collections: Sequence[AsyncCollection[Document]] = (),
        sweep_seconds: float = 300.0,
    ) -> None:
        self._changed = changed_collections
        self._spec = spec
        self._sweep_seconds = sweep_seconds
        self._trail = trail
        self._keys = keys
        self._producer = producer
        self._bootstrap = bootstrap_servers
        self._topic = topic
        self._source = source
        self._interval = interval
        self._lease = Lease(db[LEASES], lease_name, ttl_seconds=lease_seconds)
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Set once this replica has held the lease and swept: what a crash left before
        # this start is chained from then on.
        self.swept = asyncio.Event()
        # The newest checkpoint of each trail, read once when the lease is taken.
        self._known: dict[str, Checkpoint] | None = None

    async def publish_due(self) -> int:
        """One pass: how many checkpoints it published."""
        if self._known is None:
            self._known = await read_checkpoints(self._bootstrap, self._topic, spec=self._spec)
        trails = await self._trail.take_due()
        published = 0
        try:
            for trail in trails:
                published += await self._publish(trail, self._known)
        except Exception:
            await self._trail.mark_due(trails)
            raise
        return published

    async def _publish(self, trail: str, known: dict[str, Checkpoint]) -> int:
        entries = await self._trail.entries(trail)
        if not entries:  # nothing left to vouch for: the last checkpoint stays
            return 0
        verification = verify(entries, self._keys, known.get(trail))
        if not verification.valid:
            log.error(
                "audit trail fails verification: no checkpoint published",
                extra={"trail": trail, "findings": [f.kind for f in verification.findings]},
            )
            return 0
        checkpoint = checkpoint_of(self._keys.current, entries[-1], _now())
        event = new_event(
            self._spec, _checkpoint_payload(checkpoint), source=self._source, subject=trail
        )
        await self._producer.send_and_wait(
            self._topic,
            value=event.model_dump_json().encode(),
            key=trail.encode(),
            headers=[
                ("content-type", b"application/cloudevents+json"),
                ("ce_id", event.id.encode()),
            ],
        )
        known[trail] = checkpoint
        return 1

    async def sweep(self) -> int:
        """Chain what a crash left in changed documents (see ``sweep_pending``)."""
        since = datetime.now(UTC) - PENDING_HORIZON
        chained = await sweep_pending(self._changed, self._trail, since=since)
        if chained:
            log.warning("audit sweep chained operations a crash left", extra={"n": chained})
        return chained

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        while not self._stopping.is_set():
            try:
                if await self._lease.hold():
                    if loop.time() >= next_sweep:  # when taking the lease, then now and then
                        await self.sweep()
                        self.swept.set()
                        next_sweep = loop.time() + self._sweep_seconds
                    await self.publish_due()
                else:
                    self._known = None  # another replica publishes; re-read when taking over
                    next_sweep = loop.time()
            except Exception:
                log.exception("audit checkpoint pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="audit-checkpoints")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
        await self._trail.drain()  # the entries recorded after their answer
        if self._lease.held:
            with contextlib.suppress(Exception):
                await self.publish_due()  # the last heads before going
            await self._lease.release()
