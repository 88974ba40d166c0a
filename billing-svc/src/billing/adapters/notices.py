"""billing-svc's conditions, maintenance windows and notice batches in Mongo (issue 18
items 5 and 6; EI-6, EI-7); see ``billing.service.notices`` for the fan-out's design.

Every write is an insert with a unique ``_id`` (a version, a window id, ``<notice>:<n>``)
or a change of one document by its single writer (the ``announced`` mark, set by the
lease holder): safe on FerretDB v1 and MongoDB alike.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.aggregates import AGGREGATE_ID, VERSION, Message, versions_after
from mylm_shared.fanout import Announcement, MongoBatches
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from billing.adapters.einvoicing import EINVOICING
from billing.domain.maintenance import MaintenanceWindow, Reason
from billing.domain.terms import Summary, TermsVersion

TERMS = "terms"
MAINTENANCE = "maintenance"
NOTICE_BATCHES = "notice_batches"

NOTICE_INDEXES: list[IndexSpec] = [
    IndexSpec(TERMS, [("announced", 1)]),
    IndexSpec(MAINTENANCE, [("announced", 1)]),
]


class MongoTermsVersions:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[TERMS]

    async def all(self) -> list[TermsVersion]:
        return [_version(d) async for d in self._collection.find({})]

    async def add(self, version: TermsVersion) -> bool:
        try:
            await self._collection.insert_one(
                {
                    "_id": version.version,
                    "effective_on": version.effective_on.isoformat(),
                    "published_on": version.published_on.isoformat(),
                    "summary": {"nl": version.summary.nl, "fr": version.summary.fr},
                    "announced": False,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def unannounced(self) -> list[TermsVersion]:
        return [_version(d) async for d in self._collection.find({"announced": False})]

    async def mark_announced(self, version: str) -> None:
        await self._collection.update_one({"_id": version}, {"$set": {"announced": True}})


def _version(doc: Document) -> TermsVersion:
    return TermsVersion(
        version=doc["_id"],
        effective_on=date.fromisoformat(doc["effective_on"]),
        summary=Summary(doc["summary"]["nl"], doc["summary"]["fr"]),
        published_on=date.fromisoformat(doc["published_on"]),
    )


class MongoMaintenanceWindows:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[MAINTENANCE]

    async def all(self) -> list[MaintenanceWindow]:
        return [_window(d) async for d in self._collection.find({})]

    async def add(self, window_id: str, window: MaintenanceWindow) -> bool:
        try:
            await self._collection.insert_one(
                {
                    "_id": window_id,
                    "starts_at": window.starts_at.isoformat(),
                    "ends_at": window.ends_at.isoformat(),
                    "announced_at": window.announced_at.isoformat(),
                    "reason": {"nl": window.reason.nl, "fr": window.reason.fr},
                    "announced": False,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def unannounced(self) -> list[MaintenanceWindow]:
        return [_window(d) async for d in self._collection.find({"announced": False})]

    async def mark_announced(self, window_id: str) -> None:
        await self._collection.update_one({"_id": window_id}, {"$set": {"announced": True}})


def _window(doc: Document) -> MaintenanceWindow:
    return MaintenanceWindow(
        starts_at=datetime.fromisoformat(doc["starts_at"]),
        ends_at=datetime.fromisoformat(doc["ends_at"]),
        reason=Reason(doc["reason"]["nl"], doc["reason"]["fr"]),
        announced_at=datetime.fromisoformat(doc["announced_at"]),
    )


def event_id(notice_id: str, member_id: str) -> str:
    """One event per (notice, member), whichever run writes it: consumers dedupe on it."""
    return str(uuid5(NAMESPACE_URL, f"mylm:billing:notice:{notice_id}:{member_id}"))


class MongoNotices:
    """The batches of each notice (``mylm_shared.fanout.MongoBatches``), their events'
    ids derived from (notice, member)."""

    def __init__(self, db: AsyncDatabase[Document], source: str) -> None:
        self._batches = MongoBatches(db[NOTICE_BATCHES], source)

    async def resume(self, notice_id: str) -> tuple[int, str] | None:
        return await self._batches.resume(notice_id)

    async def add_batch(
        self, notice_id: str, number: int, after: str, messages: Sequence[Message], last: bool
    ) -> None:
        now = datetime.now(UTC)
        announcements = [Announcement(m, event_id(notice_id, m.subject), now) for m in messages]
        await self._batches.add_batch(notice_id, number, after, announcements, last)


class MongoEInvoicingMembers:
    """Members whose newest e-invoicing state is on, by member id (the store's
    ``aggregate_id``, ``version`` index), a page of stored versions at a time."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[EINVOICING]

    async def enabled_after(self, after: str, limit: int) -> tuple[list[str], str, bool]:
        projection = {AGGREGATE_ID: 1, VERSION: 1, "enabled": 1}
        versions, end, exhausted = await versions_after(self._collection, after, limit, projection)
        members = [m for m, docs in versions.items() if docs[-1].get("enabled")]
        return members, end, exhausted
