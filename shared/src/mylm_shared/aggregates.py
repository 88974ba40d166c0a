"""Aggregates stored as insert-only versions: the one way a service changes state.

Every change of an aggregate *inserts* a new document, ``_id = "<aggregate id>@<version>"``,
holding the whole new state and, in its outbox, the events the change raised. Nothing
is ever updated in place (only the relay removes published events from the outbox), so:

- the unique ``_id`` is the optimistic lock: two writers that loaded version n both
  insert n+1, one wins, the other gets ``ConcurrentChange`` and re-applies its change on
  fresh state (``change`` does that). This holds on FerretDB v1, which applies update
  operators between a read and a write and so loses concurrent updates, and on MongoDB;
- state and events are one single-document write (transactional outbox), and the relay
  is woken by the same call;
- the history of every aggregate is kept (claims and audit get it for free).

Reads: ``get`` finds an aggregate's versions by ``aggregate_id`` and keeps the newest;
``current`` does the same for every aggregate of one member (a field that never
changes between versions). Both are one indexed equality filter. ``due`` finds what a
scheduler must act on: aggregates whose newest version has a date field <= today.

``testkit.fakes.shared.InMemoryAggregates`` is the fake of the same port for unit tests.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.events import EventSpec, new_event
from mylm_shared.kernel.domain import Aggregate, AggregateExists, ConcurrentChange
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.outbox import OUTBOX, insert_with_events, outbox_entry

A = TypeVar("A", bound=Aggregate)

AGGREGATE_ID = "aggregate_id"
VERSION = "version"
SAVED_AT = "saved_at"
_META = ("_id", VERSION, SAVED_AT, OUTBOX)  # what the store adds to the state


@dataclass(frozen=True)
class Message:
    """One event for the bus: its type, payload and subject (the member id = Kafka key)."""

    spec: EventSpec[Any]
    payload: BaseModel
    subject: str


class Mapper(Protocol[A]):
    """How one aggregate type is stored and what its domain events say on the bus
    (lives in the service's ``adapters/``; the domain knows nothing of either)."""

    def to_document(self, aggregate: A) -> Document: ...

    def from_document(self, document: Document) -> A: ...

    def to_messages(self, event: object) -> Sequence[Message]: ...


class AggregateStore(Protocol[A]):
    """The port use cases depend on (Mongo adapter below, in-memory fake for unit tests)."""

    async def get(self, aggregate_id: str) -> A | None: ...

    async def save(self, aggregate: A) -> None: ...

    async def current(self, field: str, value: str) -> list[A]: ...

    async def due(self, field: str, upto: str, *, after: "DuePass | None" = None) -> list[A]: ...


@dataclass(frozen=True)
class DuePass:
    """A scheduler pass that handled every aggregate due up to ``upto`` and began at
    ``started_at`` (minus a margin for the clocks of other replicas)."""

    started_at: datetime
    upto: str


def version_id(aggregate_id: str, version: int) -> str:
    return f"{aggregate_id}@{version:06d}"


def store_indexes(collection: str, *key_fields: str) -> list[IndexSpec]:
    """The indexes ``get`` and ``current`` rely on."""
    return [
        IndexSpec(collection, [(AGGREGATE_ID, 1), (VERSION, -1)]),
        *(IndexSpec(collection, [(field, 1)]) for field in key_fields),
    ]


def due_indexes(collection: str, field: str) -> list[IndexSpec]:
    """The indexes ``due`` relies on: the date field and when each version was saved."""
    return [IndexSpec(collection, [(field, 1)]), IndexSpec(collection, [(SAVED_AT, 1)])]


async def versions_after(
    collection: AsyncCollection[Document],
    after: str,
    limit: int,
    projection: Document | None = None,
) -> tuple[dict[str, list[Document]], str, bool]:
    """A page of the store in ``aggregate_id`` order after ``after`` (a fan-out's cursor,
    ``mylm_shared.fanout``): every stored version of each aggregate on it, oldest first
    (about ``limit`` versions read), the aggregate id the page ends at (the next
    cursor) and whether no aggregate follows. The page's last aggregate is read whole:
    its versions may go on beyond the page. Uses the ``store_indexes`` index."""
    size = max(limit, 2)
    docs = await (
        collection.find({AGGREGATE_ID: {"$gt": after}}, projection)
        .sort([(AGGREGATE_ID, 1), (VERSION, 1)])
        .limit(size)
        .to_list()
    )
    exhausted = len(docs) < size
    grouped: dict[str, list[Document]] = {}
    for doc in docs:
        grouped.setdefault(doc[AGGREGATE_ID], []).append(doc)
    if not grouped:
        return {}, after, exhausted
    last = next(reversed(grouped))
    if not exhausted:
        versions = await collection.find({AGGREGATE_ID: last}, projection).to_list()
        grouped[last] = sorted(versions, key=lambda d: int(d[VERSION]))
    return grouped, last, exhausted


def _newest(documents: Sequence[Document]) -> list[Document]:
    newest: dict[str, Document] = {}
    for document in documents:
        seen = newest.get(document[AGGREGATE_ID])
        if seen is None or document[VERSION] > seen[VERSION]:
            newest[document[AGGREGATE_ID]] = document
    return list(newest.values())


def _is_due(document: Document, field: str, upto: str) -> bool:
    value = document.get(field)
    return isinstance(value, str) and value <= upto


def _state(document: Document) -> Document:
    return {k: v for k, v in document.items() if k not in _META}


def _loaded(mapper: Mapper[A], document: Document) -> A:
    aggregate = mapper.from_document(_state(document))
    aggregate.version = document[VERSION]
    return aggregate


def _taken(aggregate_id: str, version: int) -> Exception:
    """Someone stored this version first: a create that was done, or a concurrent change."""
    return (AggregateExists if version == 1 else ConcurrentChange)(aggregate_id)


class MongoAggregates(Generic[A]):
    """Insert-only versioned documents of one aggregate type in one collection."""

    def __init__(self, collection: AsyncCollection[Document], mapper: Mapper[A], source: str):
        self._collection = collection
        self._mapper = mapper
        self._source = source  # CloudEvents ``source`` of the events (``/billing-svc``)

    @property
    def collection(self) -> AsyncCollection[Document]:
        return self._collection

    async def get(self, aggregate_id: str) -> A | None:
        versions = await self._collection.find({AGGREGATE_ID: aggregate_id}).to_list()
        return self._load(_newest(versions)[0]) if versions else None

    async def current(self, field: str, value: str) -> list[A]:
        versions = await self._collection.find({field: value}).to_list()
        return [self._load(document) for document in _newest(versions)]

    async def due(self, field: str, upto: str, *, after: DuePass | None = None) -> list[A]:
        """Aggregates whose *newest* version has ``field`` <= ``upto`` (an ISO date a
        scheduler compares with today; a missing or null field never matches).

        A version matching is only a candidate: its aggregate's newest version is read
        (one ``$in`` on ``aggregate_id``) and checked again, as a later version may have
        moved or cleared the field. Superseded versions keep their passed dates, so
        without ``after`` every aggregate that ever had a date passed is a candidate;
        with ``after`` (a pass that handled everything due then) only versions whose
        date came since, or that were saved since, are. Indexes: ``due_indexes``.
        """
        query: Document = {field: {"$lte": upto}}
        if after is not None:
            query = {
                "$or": [
                    {field: {"$gt": after.upto, "$lte": upto}},
                    {**query, SAVED_AT: {"$gte": after.started_at}},
                ]
            }
        hits = await self._collection.find(query, {AGGREGATE_ID: 1}).to_list()
        ids = sorted({hit[AGGREGATE_ID] for hit in hits})
        if not ids:
            return []
        versions = await self._collection.find({AGGREGATE_ID: {"$in": ids}}).to_list()
        return [self._load(d) for d in _newest(versions) if _is_due(d, field, upto)]

    async def save(self, aggregate: A) -> None:
        """Store the next version with the events raised since the load, atomically.

        Raises ``AggregateExists`` (a new aggregate whose id is taken) or
        ``ConcurrentChange`` (someone saved this version first); nothing is stored then.
        """
        version = aggregate.version + 1
        entries = [
            outbox_entry(
                message.spec.topic,
                new_event(
                    message.spec, message.payload, source=self._source, subject=message.subject
                ),
            )
            for event in aggregate.events
            for message in self._mapper.to_messages(event)
        ]
        document = {
            **self._mapper.to_document(aggregate),
            "_id": version_id(aggregate.aggregate_id, version),
            AGGREGATE_ID: aggregate.aggregate_id,
            VERSION: version,
            SAVED_AT: datetime.now(UTC),
        }
        try:
            await insert_with_events(self._collection, document, *entries)
        except DuplicateKeyError:
            raise _taken(aggregate.aggregate_id, version) from None
        aggregate.version = version
        aggregate.events.clear()

    def _load(self, document: Document) -> A:
        return _loaded(self._mapper, document)


async def change(
    store: AggregateStore[A],
    aggregate_id: str,
    apply: Callable[[A], Awaitable[None] | None],
    *,
    attempts: int = 10,
) -> A | None:
    """Load, apply a change (which raises its events), save; on a concurrent change,
    again on fresh state. Returns the saved aggregate, or None if it does not exist."""
    for _ in range(attempts):
        aggregate = await store.get(aggregate_id)
        if aggregate is None:
            return None
        outcome = apply(aggregate)
        if outcome is not None:
            await outcome
        try:
            await store.save(aggregate)
            return aggregate
        except ConcurrentChange:
            continue
    raise ConcurrentChange(aggregate_id)
