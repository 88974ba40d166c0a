"""billing-svc's conditions, maintenance windows and notice batches in Mongo (issue 18
items 5 and 6; EI-6, EI-7); see ``billing.service.notices`` for the fan-out's design.

Every write is an insert with a unique ``_id`` (a version, a window id, ``<notice>:<n>``)
or a change of one document by its single writer (the ``announced`` mark, set by the
lease holder): safe on FerretDB v1 and MongoDB alike.
"""

import contextlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.aggregates import AGGREGATE_ID, VERSION, Message
from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.outbox import insert_with_events, outbox_entry
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


def batch_id(notice_id: str, number: int) -> str:
    return f"{notice_id}:{number:06d}"


def event_id(notice_id: str, member_id: str) -> str:
    """One event per (notice, member), whichever run writes it: consumers dedupe on it."""
    return str(uuid5(NAMESPACE_URL, f"mylm:billing:notice:{notice_id}:{member_id}"))


class MongoNotices:
    """The batches of each notice: ``_id`` equality reads only (FerretDB pushes them down)."""

    def __init__(self, db: AsyncDatabase[Document], source: str) -> None:
        self._collection = db[NOTICE_BATCHES]
        self._source = source

    async def resume(self, notice_id: str) -> tuple[int, str] | None:
        number, after = 0, ""
        while True:
            doc = await self._collection.find_one({"_id": batch_id(notice_id, number)})
            if doc is None:
                return number, after
            if doc.get("last"):
                return None
            number, after = number + 1, doc["after"]

    async def add_batch(
        self, notice_id: str, number: int, after: str, messages: Sequence[Message], last: bool
    ) -> None:
        document: dict[str, Any] = {
            "_id": batch_id(notice_id, number),
            "notice_id": notice_id,
            "after": after,
            "last": last,
            "members": [m.subject for m in messages],
        }
        entries = [outbox_entry(m.spec.topic, self._event(notice_id, m)) for m in messages]
        # Written before a crash: its events are in its outbox already.
        with contextlib.suppress(DuplicateKeyError):
            await insert_with_events(self._collection, document, *entries)

    def _event(self, notice_id: str, message: Message) -> CloudEvent:
        return CloudEvent(
            id=event_id(notice_id, message.subject),
            source=self._source,
            type=message.spec.event_type,
            time=datetime.now(UTC),
            subject=message.subject,
            data=message.payload.model_dump(mode="json"),
        )


class MongoEInvoicingMembers:
    """Members whose newest e-invoicing state is on, by member id (the store's
    ``aggregate_id``, ``version`` index), a page of stored versions at a time."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._collection = db[EINVOICING]

    async def enabled_after(self, after: str, limit: int) -> tuple[list[str], str, bool]:
        page = max(limit, 2)
        docs = await (
            self._collection.find(
                {AGGREGATE_ID: {"$gt": after}}, {AGGREGATE_ID: 1, VERSION: 1, "enabled": 1}
            )
            .sort([(AGGREGATE_ID, 1), (VERSION, 1)])
            .limit(page)
            .to_list()
        )
        exhausted = len(docs) < page
        newest: dict[str, Document] = {}
        for doc in docs:
            newest[doc[AGGREGATE_ID]] = doc  # versions ascending: the newest stays
        ids = list(newest)
        if not exhausted and ids:
            # The last member's versions may go on beyond the page: read them whole.
            last = ids[-1]
            versions = await self._collection.find({AGGREGATE_ID: last}).to_list()
            newest[last] = max(versions, key=lambda d: int(d[VERSION]))
        members = [m for m in ids if newest[m].get("enabled")]
        end = ids[-1] if ids else after
        return members, end, exhausted
