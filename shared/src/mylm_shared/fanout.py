"""A paced, resumable fan-out of events, one insert-only batch document at a time.

Used by billing-svc's notices to every e-invoicing member (issue 18 items 5 and 6; EI-6,
EI-7) and identity-svc's re-announcement of its directory (issue 18 item 3, EI-2): a
run walks a cursor (an id order: member ids, account ids) a page at a time and writes
each page's events as ONE document ``<run id>:<n>`` whose outbox holds them and which
names the cursor value it ends at. So:

- a crash half-way loses nothing: a written batch is published by the relay (its events
  are in its outbox), and the next run resumes after the last batch written (``resume``);
- a batch written twice is one document (its ``_id`` is taken: the second insert is
  dropped), and the events carry ids fixed by what they announce, not by the run, so
  consumers deduplicate a run done again;
- batches are paced (``pause_seconds`` between them) so the bus, and what consumers do
  with each event (e-mails), stay steady.

Only ``_id`` equality reads and inserts: safe on FerretDB v1 and MongoDB alike. The run
itself is a scheduler task under a lease (``mylm_shared.scheduler``): one replica.
"""

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.aggregates import Message
from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document
from mylm_shared.outbox import insert_with_events, outbox_entry

E = TypeVar("E")
E_contra = TypeVar("E_contra", contravariant=True)

# A page of the cursor after a position: its events, the position it ends at, and
# whether nothing follows.
Page = Callable[[str], Awaitable[tuple[Sequence[E], str, bool]]]


class Batches(Protocol[E_contra]):
    """Where a fan-out's batches are written (``MongoBatches``; fakes in testkit)."""

    async def resume(self, run_id: str) -> tuple[int, str] | None:
        """The next batch number and the position the previous batch ended at
        (``(0, "")`` at the start); None when the last batch is written."""
        ...

    async def add_batch(
        self, run_id: str, number: int, after: str, events: Sequence[E_contra], last: bool
    ) -> None:
        """Batch ``number`` with its events, ending at ``after``; a batch already written
        (a crash between its insert and the next) is left as it is."""
        ...


async def fan_out(
    run_id: str,
    batches: Batches[E],
    page: Page[E],
    *,
    pause_seconds: float,
    sleep: Callable[[float], Awaitable[None]],
) -> int:
    """Write the run's batches from where it stopped to the end of the cursor; answers
    how many events this call wrote (0 when the run was complete already)."""
    position = await batches.resume(run_id)
    written = 0
    while position is not None:
        number, after = position
        events, end, exhausted = await page(after)
        await batches.add_batch(run_id, number, end, events, exhausted)
        written += len(events)
        if exhausted:
            break
        position = (number + 1, end)
        await sleep(pause_seconds)  # keep the bus and the consumers' effects steady
    return written


@dataclass(frozen=True)
class Announcement:
    """One event of a fan-out with a fixed identity: its id (consumers deduplicate on
    it) and its time (projections order states by it, ``mylm_shared.projections``)."""

    message: Message
    event_id: str
    time: datetime


def batch_id(run_id: str, number: int) -> str:
    return f"{run_id}:{number:06d}"


class MongoBatches:
    """``Batches`` of ``Announcement``s in one collection: ``_id`` reads and inserts."""

    def __init__(self, collection: AsyncCollection[Document], source: str) -> None:
        self._collection = collection
        self._source = source  # CloudEvents ``source`` (``/identity-svc``)

    async def resume(self, run_id: str) -> tuple[int, str] | None:
        number, after = 0, ""
        while True:
            doc = await self._collection.find_one({"_id": batch_id(run_id, number)})
            if doc is None:
                return number, after
            if doc.get("last"):
                return None
            number, after = number + 1, doc["after"]

    async def add_batch(
        self,
        run_id: str,
        number: int,
        after: str,
        events: Sequence[Announcement],
        last: bool,
    ) -> None:
        document: dict[str, Any] = {
            "_id": batch_id(run_id, number),
            "run": run_id,
            "after": after,
            "last": last,
            "subjects": [a.message.subject for a in events],
        }
        entries = [outbox_entry(a.message.spec.topic, self._event(a)) for a in events]
        # Written before a crash: its events are in its outbox already.
        with contextlib.suppress(DuplicateKeyError):
            await insert_with_events(self._collection, document, *entries)

    def _event(self, announcement: Announcement) -> CloudEvent:
        message = announcement.message
        return CloudEvent(
            id=announcement.event_id,
            source=self._source,
            type=message.spec.event_type,
            time=announcement.time,
            subject=message.subject,
            data=message.payload.model_dump(mode="json"),
        )
