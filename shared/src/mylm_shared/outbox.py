"""Transactional outbox with single-document atomicity.

A state change and the events it causes are written in ONE document write: the events
sit in the changed document's ``_outbox`` array. Right after that write, a small
*hint* (``outbox_hints``: which document has news) wakes the relay. The relay takes a
hint, reads that document by ``_id``, publishes its events with the idempotent producer
(acks=all) and only then removes exactly those events from the document (``$pullAll``).

Crash anywhere and nothing is lost: a document whose events were not removed still
carries them; a sweep (at start-up, then periodically) finds every document with a
non-empty ``_outbox`` and hints it again. Delivery is at-least-once; consumers are
idempotent on the event id.

One relay per database publishes: it holds a lease (``mylm_shared.lease``); the relays
of other replicas stand by and take over within the lease's term when it dies.

Why hints instead of querying a "pending" flag: every hot-path query here is an
equality on ``_id``, which FerretDB pushes down to an index; a query on the outbox array
is a scan of every stored version there. On MongoDB both are cheap; the sweep (in the
background, every ``OUTBOX_SWEEP_SECONDS``, 300 s by default, and when a relay takes the
lease) uses the ``_outbox.id`` index; on FerretDB it scans, hence rarely.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.events import CloudEvent
from mylm_shared.lease import LEASES, Lease
from mylm_shared.metrics import set_outbox_backlog
from mylm_shared.mongo import Document, IndexSpec, retry_on_conflict
from mylm_shared.telemetry import current_trace_headers

log = logging.getLogger(__name__)
T = TypeVar("T")

OUTBOX = "_outbox"
HINTS = "outbox_hints"
STANDBY_POLL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 5.0


def outbox_index(collection: str) -> IndexSpec:
    """Lets the sweep find documents with unpublished events without a scan (MongoDB)."""
    return IndexSpec(collection, [(f"{OUTBOX}.id", 1)])


def outbox_entry(topic: str, event: CloudEvent) -> Document:
    """One unpublished message: logical topic, key (the member), CloudEvent JSON, trace."""
    return {
        "id": event.id,
        "topic": topic,
        "key": event.subject or "",
        "value": event.model_dump_json(),
        "headers": {"content-type": "application/cloudevents+json", **current_trace_headers()},
    }


def with_outbox(document: Document, *entries: Document) -> Document:
    """``document`` plus its unpublished events, ready for one atomic insert."""
    return {**document, OUTBOX: list(entries)}


def strip_outbox(document: Document) -> Document:
    return {k: v for k, v in document.items() if k != OUTBOX}


async def wake_relay(collection: AsyncCollection[Document], document_id: Any) -> None:
    """Tell the relay that ``document_id`` has events (after the atomic write).

    If this write is lost (crash, error), the sweep finds the events anyway, later.
    """
    with contextlib.suppress(DuplicateKeyError):  # already hinted, not yet taken
        await collection.database[HINTS].insert_one(
            {
                "_id": f"{collection.name}:{document_id}",
                "collection": collection.name,
                "document_id": document_id,
                "at": datetime.now(UTC),
            }
        )


async def insert_with_events(
    collection: AsyncCollection[Document], document: Document, *entries: Document
) -> None:
    """Insert ``document`` and its events atomically, then wake the relay."""
    await collection.insert_one(with_outbox(document, *entries))
    await wake_relay(collection, document["_id"])


def _stored_at(entry: Document) -> datetime | None:
    """When an outbox entry was stored: its event's ``time`` (events are made when they
    are stored); None if the entry does not say."""
    try:
        stored = datetime.fromisoformat(json.loads(entry["value"])["time"])
    except (KeyError, TypeError, ValueError):
        return None
    return stored if stored.tzinfo else stored.replace(tzinfo=UTC)


class OutboxRelay:
    """Publishes the events of hinted documents, then removes them from the documents."""

    def __init__(
        self,
        collections: Sequence[AsyncCollection[Document]],
        producer: AIOKafkaProducer,
        *,
        topic_prefix: str = "",
        poll_seconds: float = 0.05,
        sweep_seconds: float = 30.0,
        batch_size: int = 2000,
        concurrency: int = 16,
        lease_seconds: float = 10.0,
    ) -> None:
        self._collections = {c.name: c for c in collections}
        self._hints = collections[0].database[HINTS] if collections else None
        # One relay per database publishes; the other replicas' relays stand by.
        self._lease = (
            Lease(collections[0].database[LEASES], "outbox-relay", ttl_seconds=lease_seconds)
            if collections
            else None
        )
        self._producer = producer
        self._prefix = topic_prefix
        self._poll = poll_seconds
        self._sweep_every = sweep_seconds
        self._batch = batch_size
        self._concurrency = concurrency
        self._task: asyncio.Task[None] | None = None
        self._sweeping: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def leading(self) -> bool:
        """This relay holds the lease (it is the one publishing)."""
        return self._lease is not None and self._lease.held

    async def sweep(self) -> int:
        """Hint every document that still carries events (after a crash, a lost hint);
        also measures the backlog for ``/metrics``: the events not yet published and the
        age of the oldest (from its CloudEvent ``time``, set when it was stored)."""
        hinted = 0
        for collection in self._collections.values():
            pending = 0
            oldest: datetime | None = None
            cursor = collection.find({f"{OUTBOX}.id": {"$exists": True}}, {OUTBOX: 1})
            async for document in cursor:
                if document.get(OUTBOX):
                    await wake_relay(collection, document["_id"])
                    hinted += 1
                    pending += len(document[OUTBOX])
                    for stored in filter(None, map(_stored_at, document[OUTBOX])):
                        oldest = stored if oldest is None else min(oldest, stored)
            age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
            set_outbox_backlog(collection.name, pending, max(0.0, age))
        return hinted

    async def publish_pending(self) -> int:
        """One pass over the hints; returns how many events it published."""
        if self._hints is None:
            return 0
        # All hints, oldest first, sorted here: FerretDB never pushes sort or limit down,
        # so a sort+limit query reads every hint anyway, and under a backlog each pass
        # would read thousands to take a few hundred.
        hints = sorted(await self._hints.find({}).to_list(), key=lambda hint: hint["at"])
        hints = hints[: self._batch]
        if not hints:
            return 0
        # The hints go first: an event appended from now on comes with a new hint.
        # (One delete for the batch: FerretDB scans the hints on every delete.)
        await self._hints.delete_many({"_id": {"$in": [hint["_id"] for hint in hints]}})
        documents = await self._concurrently(
            self._read_events(self._collections.get(hint["collection"]), hint["document_id"])
            for hint in hints
        )
        taken = [item for item in documents if item is not None]
        sends = [await self._send(entry) for _, document in taken for entry in document[OUTBOX]]
        # Every send must be acknowledged (acks=all) before any event leaves its document.
        try:
            await asyncio.gather(*sends)
        except Exception:
            for collection, document in taken:  # try these again on the next pass
                await wake_relay(collection, document["_id"])
            raise
        await self._concurrently(self._remove_published(c, d) for c, d in taken)
        return len(sends)

    @staticmethod
    async def _remove_published(collection: AsyncCollection[Document], document: Document) -> None:
        """Remove exactly the events just published; later ones stay for the next pass."""
        await retry_on_conflict(
            lambda: collection.update_one(
                {"_id": document["_id"]}, {"$pullAll": {OUTBOX: document[OUTBOX]}}
            )
        )

    @staticmethod
    async def _read_events(
        collection: AsyncCollection[Document] | None, document_id: Any
    ) -> tuple[AsyncCollection[Document], Document] | None:
        if collection is None:
            return None
        document = await collection.find_one({"_id": document_id}, {OUTBOX: 1})
        return (collection, document) if document and document.get(OUTBOX) else None

    async def _concurrently(self, calls: Iterable[Awaitable[T]]) -> list[T]:
        """Overlap the round trips of many small ``_id`` reads or writes (bounded)."""
        gate = asyncio.Semaphore(self._concurrency)

        async def gated(call: Awaitable[T]) -> T:
            async with gate:
                return await call

        return await asyncio.gather(*(gated(call) for call in calls))

    async def _send(self, entry: Document) -> "asyncio.Future[Any]":
        headers = [(k, str(v).encode()) for k, v in entry.get("headers", {}).items()]
        headers.append(("ce_id", entry["id"].encode()))
        future: asyncio.Future[Any] = await self._producer.send(
            self._prefix + entry["topic"],
            value=entry["value"].encode(),
            key=entry["key"].encode(),
            headers=headers,
        )
        return future

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time()
        failures = 0
        while not self._stopping.is_set():
            try:
                if self._lease is not None and not self._lease.held:
                    if not await self._lease.hold():
                        await self._pause(STANDBY_POLL_SECONDS)  # another replica publishes
                        continue
                    next_sweep = loop.time()  # a new holder first collects what was left
                elif self._lease is not None and not await self._lease.hold():
                    continue  # lost it to a successor
                if loop.time() >= next_sweep and (self._sweeping is None or self._sweeping.done()):
                    # Beside the passes, not in their way: on FerretDB the sweep scans every
                    # stored version, which takes seconds in a grown store.
                    self._sweeping = asyncio.create_task(self._sweep_logged(), name="outbox-sweep")
                    next_sweep = loop.time() + self._sweep_every
                published = await self.publish_pending()
            except Exception:
                # An outage (Kafka or MongoDB down): back off, capped, and keep trying.
                failures += 1
                log.exception("outbox relay pass failed; retrying", extra={"failures": failures})
                await self._pause(min(self._poll * 2**failures, MAX_BACKOFF_SECONDS))
                continue
            failures = 0
            if not published:
                await self._pause(self._poll)

    async def _sweep_logged(self) -> None:
        try:
            if hinted := await self.sweep():
                log.info("outbox sweep found unpublished events", extra={"n": hinted})
        except Exception:
            log.exception("outbox sweep failed; it runs again later")

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self, flush_timeout: float = 5.0) -> None:
        """Stop polling, then flush what is still hinted (graceful shutdown)."""
        self._stopping.set()
        if self._task:
            await self._task
        if self._sweeping is not None:
            self._sweeping.cancel()
        if self._lease is not None and not self._lease.held:
            return  # a standby: the holder publishes
        with contextlib.suppress(Exception):
            async with asyncio.timeout(flush_timeout):
                while await self.publish_pending():
                    pass
            if self._lease is not None:
                await self._lease.release()  # a standby takes over at once
