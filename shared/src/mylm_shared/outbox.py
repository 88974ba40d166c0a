"""Transactional outbox with single-document atomicity.

A state change and the events it causes are written in ONE document write: the events
sit in the changed document's ``_outbox`` array, flagged by ``_outbox_pending``. The
relay publishes pending events with the idempotent producer (acks=all) and only then
removes them from the document. A crash before the removal re-publishes them: delivery
is at-least-once, and consumers are idempotent on the event id.
"""

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document
from mylm_shared.telemetry import current_trace_headers

log = logging.getLogger(__name__)

OUTBOX = "_outbox"
PENDING = "_outbox_pending"
SINCE = "_outbox_since"


def outbox_entry(topic: str, event: CloudEvent) -> Document:
    """One pending message: logical topic, key (the member), CloudEvent JSON, trace headers."""
    return {
        "id": event.id,
        "topic": topic,
        "key": event.subject or "",
        "value": event.model_dump_json(),
        "headers": {"content-type": "application/cloudevents+json", **current_trace_headers()},
    }


def with_outbox(document: Document, *entries: Document) -> Document:
    """``document`` plus its pending events, ready for one atomic insert."""
    return {**document, OUTBOX: list(entries), PENDING: True, SINCE: datetime.now(UTC)}


def outbox_update(*entries: Document) -> Document:
    """Update operators that append pending events to an existing document atomically."""
    return {
        "$push": {OUTBOX: {"$each": list(entries)}},
        "$set": {PENDING: True, SINCE: datetime.now(UTC)},
    }


def strip_outbox(document: Document) -> Document:
    return {k: v for k, v in document.items() if k not in (OUTBOX, PENDING, SINCE)}


class OutboxRelay:
    """Publishes the pending events of some collections, oldest first, then clears them."""

    def __init__(
        self,
        collections: Sequence[AsyncCollection[Document]],
        producer: AIOKafkaProducer,
        *,
        topic_prefix: str = "",
        poll_seconds: float = 0.05,
        batch_size: int = 500,
    ) -> None:
        self._collections = collections
        self._producer = producer
        self._prefix = topic_prefix
        self._poll = poll_seconds
        self._batch = batch_size
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def publish_pending(self) -> int:
        """One pass over every collection; returns how many events it published."""
        published = 0
        for collection in self._collections:
            published += await self._publish_batch(collection)
        return published

    async def _publish_batch(self, collection: AsyncCollection[Document]) -> int:
        cursor = collection.find({PENDING: True}, {OUTBOX: 1}).sort(SINCE, 1).limit(self._batch)
        documents = await cursor.to_list()
        if not documents:
            return 0
        sends: list[asyncio.Future[Any]] = []
        for document in documents:
            for entry in document.get(OUTBOX, []):
                sends.append(await self._send(entry))
        # Every send must be acknowledged (acks=all) before any event leaves the outbox.
        await asyncio.gather(*sends)
        ids = [d["_id"] for d in documents]
        # $pullAll of the exact entries published: portable to FerretDB, whose $pull
        # cannot match array elements by a condition on one of their fields.
        await collection.bulk_write(
            [
                UpdateOne({"_id": d["_id"]}, {"$pullAll": {OUTBOX: d.get(OUTBOX, [])}})
                for d in documents
            ],
            ordered=False,
        )
        # Only documents that got no new event meanwhile stop being pending.
        await collection.update_many(
            {"_id": {"$in": ids}, OUTBOX: {"$size": 0}}, {"$set": {PENDING: False}}
        )
        return len(sends)

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
        while not self._stopping.is_set():
            try:
                published = await self.publish_pending()
            except Exception:
                log.exception("outbox relay pass failed; retrying")
                published = 0
            if not published:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._poll)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self, flush_timeout: float = 5.0) -> None:
        """Stop polling, then flush what is still pending (graceful shutdown)."""
        self._stopping.set()
        if self._task:
            await self._task
        with contextlib.suppress(Exception):
            async with asyncio.timeout(flush_timeout):
                while await self.publish_pending():
                    pass
