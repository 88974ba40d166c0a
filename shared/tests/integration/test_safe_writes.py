"""The project's write patterns under concurrency, on the real MongoDB-compatible server
(FerretDB v1 loses concurrent ``$inc``/``$set`` updates of one document; these must not):
versioned aggregates (the unique ``_id`` is the optimistic lock) and block sequences."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import pytest
from mylm_shared.aggregates import Message, MongoAggregates, change, store_indexes
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1
from mylm_shared.kernel.domain import Aggregate, AggregateExists
from mylm_shared.mongo import Document, ensure_indexes, make_mongo_client
from mylm_shared.outbox import HINTS, OUTBOX
from mylm_shared.sequences import SEQUENCE_BLOCKS, BlockSequence
from pymongo.asynchronous.database import AsyncDatabase

from testkit.platform import Endpoints

pytestmark = pytest.mark.integration


@dataclass
class Tally(Aggregate):
    """A test aggregate: counts the changes applied to it, raising an event for each."""

    tally_id: str
    member_id: str
    count: int = 0

    @property
    def aggregate_id(self) -> str:
        return self.tally_id

    def bump(self) -> None:
        self.count += 1
        self.raise_event(("bumped", self.count))


class TallyMapper:
    def to_document(self, tally: Tally) -> Document:
        return {"tally_id": tally.tally_id, "member_id": tally.member_id, "count": tally.count}

    def from_document(self, document: Document) -> Tally:
        return Tally(document["tally_id"], document["member_id"], document["count"])

    def to_messages(self, event: object) -> Sequence[Message]:
        payload = MemberRegisteredV1(
            member_id="m",
            email=None,
            language="nl",
            mutuality="LM Plus",
            first_name=str(event),
            last_name="x",
        )
        return [Message(MEMBER_REGISTERED, payload, "m")]


@pytest.fixture
async def db(platform: Endpoints, run_id: str) -> AsyncIterator[AsyncDatabase[Document]]:
    mongo = make_mongo_client(platform.mongodb_uri, "tests")
    database = mongo[f"{run_id}_writes"]
    await ensure_indexes(database, store_indexes("tallies", "member_id"))
    yield database
    await mongo.drop_database(database.name)
    await mongo.close()


async def test_50_concurrent_changes_of_one_aggregate_lose_nothing(
    db: AsyncDatabase[Document],
) -> None:
    store = MongoAggregates(db["tallies"], TallyMapper(), "/tests")
    await store.save(Tally("t-1", "m-1"))

    saved = await asyncio.gather(
        *(change(store, "t-1", Tally.bump, attempts=200) for _ in range(50))
    )

    assert all(tally is not None for tally in saved)
    current = await store.get("t-1")
    assert current is not None
    assert current.count == 50  # every change applied exactly once
    assert current.version == 51
    versions = await db["tallies"].find({"aggregate_id": "t-1"}).to_list()
    assert sorted(v["version"] for v in versions) == list(range(1, 52))
    # each change stored exactly its own event with its state, and woke the relay
    assert sum(len(v[OUTBOX]) for v in versions) == 50
    assert await db[HINTS].count_documents({}) == 51


async def test_creating_an_existing_aggregate_is_refused(db: AsyncDatabase[Document]) -> None:
    store = MongoAggregates(db["tallies"], TallyMapper(), "/tests")
    results = await asyncio.gather(
        *(store.save(Tally("t-2", "m-1")) for _ in range(20)), return_exceptions=True
    )
    assert sum(r is None for r in results) == 1
    assert all(isinstance(r, AggregateExists) for r in results if r is not None)
    assert [t.tally_id for t in await store.current("member_id", "m-1")] == ["t-2"]


async def test_numbers_from_several_processes_at_once_are_unique(
    db: AsyncDatabase[Document],
) -> None:
    name = f"ref-{uuid.uuid4().hex[:6]}"
    processes = [BlockSequence(db[SEQUENCE_BLOCKS], name, block_size=7) for _ in range(4)]

    numbers = await asyncio.gather(*(processes[i % 4].next() for i in range(200)))

    assert len(set(numbers)) == 200
    assert min(numbers) >= 1
    # a restarted process continues after every block taken so far
    restarted = BlockSequence(db[SEQUENCE_BLOCKS], name, block_size=7)
    assert await restarted.next() > max(numbers)
