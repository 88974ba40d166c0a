"""Fakes of ``mylm_shared``'s ports: the aggregate store, unique keys, number sequences,
the revocation feed, Kafka's topic admin, and clocks a test moves by hand."""

import asyncio
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic

from mylm_shared.aggregates import (
    AGGREGATE_ID,
    SAVED_AT,
    VERSION,
    A,
    DuePass,
    Mapper,
    Message,
    _is_due,
    _loaded,
    _newest,
    _taken,
    version_id,
)
from mylm_shared.mongo import Document
from mylm_shared.projections import AS_OF
from mylm_shared.unique_keys import KeyTaken


class InMemoryAggregates(Generic[A]):
    """``AggregateStore`` in memory: the Mongo store's versioning and mapping (its own
    helpers), and the messages that would have gone to the bus in ``published``."""

    def __init__(self, mapper: Mapper[A]) -> None:
        self._mapper = mapper
        self.documents: dict[str, Document] = {}
        self.published: list[Message] = []

    async def get(self, aggregate_id: str) -> A | None:
        versions = [d for d in self.documents.values() if d[AGGREGATE_ID] == aggregate_id]
        return self._load(_newest(versions)[0]) if versions else None

    async def current(self, field: str, value: str) -> list[A]:
        versions = [d for d in self.documents.values() if d.get(field) == value]
        return [self._load(document) for document in _newest(versions)]

    async def due(self, field: str, upto: str, *, after: DuePass | None = None) -> list[A]:
        # ``after`` only narrows the candidates Mongo reads; the answer is the same.
        newest = _newest(list(self.documents.values()))
        return [self._load(d) for d in newest if _is_due(d, field, upto)]

    async def save(self, aggregate: A) -> None:
        version = aggregate.version + 1
        key = version_id(aggregate.aggregate_id, version)
        if key in self.documents:
            raise _taken(aggregate.aggregate_id, version)
        self.documents[key] = {
            **self._mapper.to_document(aggregate),
            AGGREGATE_ID: aggregate.aggregate_id,
            VERSION: version,
            SAVED_AT: datetime.now(UTC),  # real time, as the Mongo store's
        }
        self.published += [m for e in aggregate.events for m in self._mapper.to_messages(e)]
        aggregate.version = version
        aggregate.events.clear()

    def _load(self, document: Document) -> A:
        return _loaded(self._mapper, document)


class InMemoryKeys:
    """``mylm_shared.unique_keys.Keys``: the first owner of a key keeps it."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    async def claim(self, key: str, owner: str) -> None:
        if self.keys.setdefault(key, owner) != owner:
            raise KeyTaken(key)

    async def owner(self, key: str) -> str | None:
        return self.keys.get(key)


class CountingSequence:
    """``mylm_shared.sequences.NumberSource``: 1, 2, 3 …"""

    def __init__(self) -> None:
        self.last = 0

    async def next(self) -> int:
        self.last += 1
        return self.last


def apply_in_memory(
    documents: MutableMapping[str, dict[str, Any]],
    key: str,
    fields: Mapping[str, Any],
    as_of: str,
    *,
    first: bool,
    on_insert: Mapping[str, Any] | None = None,
) -> bool:
    """``mylm_shared.projections``' ``insert_first`` (``first=True``) or ``apply_newer``
    on a dict: what the projection fakes store."""
    stored = documents.get(key)
    if stored is None:
        documents[key] = {**(on_insert or {}), **fields, AS_OF: as_of}
        return True
    if first or stored.get(AS_OF, "") >= as_of:
        return False
    stored.update({**fields, AS_OF: as_of})
    return True


class MovableClock:
    """A monotonic clock (``time.monotonic``-like, seconds) the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class MovableToday:
    """ "Today" (``belgian_today``-like) the test moves by hand."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


class FakeEventFeed:
    """``mylm_shared.revocations.EventFeed``: what the bus held at start, then what is
    published (``live``) while the reader runs; ``fail_opens`` opens fail first."""

    def __init__(self, at_start: Sequence[bytes], fail_opens: int = 0) -> None:
        self.backlog = list(at_start)
        self.live: asyncio.Queue[bytes] = asyncio.Queue()
        self.opened_since: datetime | None = None
        self.fail_opens = fail_opens
        self.closed = False

    async def open(self, since: datetime) -> None:
        if self.fail_opens:
            self.fail_opens -= 1
            raise ConnectionError("broker not reachable")
        self.opened_since = since

    async def read(self) -> Sequence[bytes]:
        if self.backlog:  # one message at a time, so "caught up" comes last
            return [self.backlog.pop(0)]
        try:
            async with asyncio.timeout(0.05):
                return [await self.live.get()]
        except TimeoutError:
            return []

    @property
    def caught_up(self) -> bool:
        return self.opened_since is not None and not self.backlog

    async def close(self) -> None:
        self.closed = True


@dataclass
class TopicErrors:
    topic_errors: list[tuple[str, int, str | None]]


@dataclass
class FakeTopicAdmin:
    """The two calls of aiokafka's admin client that ``create_missing_topics`` makes;
    ``error_codes`` per topic name are the broker's answers."""

    existing: list[str]
    error_codes: dict[str, int] = field(default_factory=dict)
    created: list[Any] = field(default_factory=list)

    async def list_topics(self) -> list[str]:
        return self.existing

    async def create_topics(self, new_topics: list[Any]) -> TopicErrors:
        self.created += new_topics
        return TopicErrors([(t.name, self.error_codes.get(t.name, 0), None) for t in new_topics])
