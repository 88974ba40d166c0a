"""``MongoAggregates.due`` on the real MongoDB-compatible server: the aggregates a scheduler
must act on are those whose *newest* version has the date field <= today; an older version
with a passed date does not count (the same as ``InMemoryAggregates.due``)."""

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from mylm_shared.aggregates import DuePass, Message, MongoAggregates, due_indexes, store_indexes
from mylm_shared.kernel.domain import Aggregate
from mylm_shared.mongo import Document, ensure_indexes, make_mongo_client
from pymongo.asynchronous.database import AsyncDatabase

from testkit.fakes.shared import InMemoryAggregates
from testkit.platform import Endpoints

pytestmark = pytest.mark.integration


@dataclass
class Reminder(Aggregate):
    reminder_id: str
    next_on: str | None

    @property
    def aggregate_id(self) -> str:
        return self.reminder_id


class ReminderMapper:
    def to_document(self, reminder: Reminder) -> Document:
        return {"reminder_id": reminder.reminder_id, "next_on": reminder.next_on}

    def from_document(self, document: Document) -> Reminder:
        return Reminder(document["reminder_id"], document["next_on"])

    def to_messages(self, event: object) -> Sequence[Message]:
        return []


@pytest.fixture
async def db(platform: Endpoints, run_id: str) -> AsyncIterator[AsyncDatabase[Document]]:
    mongo = make_mongo_client(platform.mongodb_uri, "tests")
    database = mongo[f"{run_id}_due"]
    await ensure_indexes(
        database, [*store_indexes("reminders"), *due_indexes("reminders", "next_on")]
    )
    yield database
    await mongo.drop_database(database.name)
    await mongo.close()


async def _scenario(store: MongoAggregates[Reminder] | InMemoryAggregates[Reminder]) -> None:
    prefix = uuid.uuid4().hex[:6]
    due, moved, cleared, later, never = (f"{prefix}-{n}" for n in range(5))
    for reminder_id, first in ((due, "2027-01-31"), (moved, "2027-01-01"), (cleared, "2027-01-01")):
        await store.save(Reminder(reminder_id, first))
    await store.save(Reminder(later, "2027-02-01"))
    await store.save(Reminder(never, None))
    for reminder_id, then in ((moved, "2027-03-01"), (cleared, None)):
        newest = await store.get(reminder_id)
        assert newest is not None
        newest.next_on = then
        await store.save(newest)

    found = await store.due("next_on", "2027-01-31")

    assert sorted(r.reminder_id for r in found) == [due]  # on the day counts, newest decides
    assert [r.version for r in found] == [1]


async def test_due_returns_aggregates_whose_newest_version_is_due(
    db: AsyncDatabase[Document],
) -> None:
    await _scenario(MongoAggregates(db["reminders"], ReminderMapper(), "/tests"))


async def test_the_in_memory_fake_answers_the_same() -> None:
    await _scenario(InMemoryAggregates(ReminderMapper()))


async def test_after_a_pass_only_dates_come_since_and_versions_saved_since_are_read(
    db: AsyncDatabase[Document],
) -> None:
    """A scheduler's later passes skip what an earlier pass handled (superseded versions
    keep their passed dates forever), yet see a version saved since with an old date."""
    store = MongoAggregates(db["reminders"], ReminderMapper(), "/tests")
    await store.save(Reminder("came-due", "2027-01-10"))
    await store.save(Reminder("handled", "2027-01-01"))
    swept = DuePass(started_at=datetime.now(UTC), upto="2027-01-05")
    await store.save(Reminder("saved-late", "2026-12-01"))

    after = await store.due("next_on", "2027-01-31", after=swept)
    every = await store.due("next_on", "2027-01-31")

    assert sorted(r.reminder_id for r in after) == ["came-due", "saved-late"]
    assert sorted(r.reminder_id for r in every) == ["came-due", "handled", "saved-late"]
