"""The re-announcement's Mongo adapters (issue 18 item 3, EI-2; see
``identity.service.reannouncement``): the directory read a page at a time in id order,
the runs (one document each), and their batches (``mylm_shared.fanout.MongoBatches``,
whose outbox the relay publishes: ``REANNOUNCE_BATCHES`` is an outbox collection).

Inserts with unique ``_id``s, ``_id`` reads and one writer per run document (the lease
holder marks it done): safe on FerretDB v1 and MongoDB alike.
"""

import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime

from mylm_shared.aggregates import SAVED_AT, VERSION, versions_after
from mylm_shared.fanout import Announcement, MongoBatches
from mylm_shared.mongo import Document, as_utc
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.adapters.store import ACCOUNTS, MEMBERS, AccountMapper, MemberMapper
from identity.domain.accounts import AccountCreated
from identity.domain.reannouncement import (
    Replayed,
    Run,
    StoredAccount,
    StoredMember,
    request_run,
)

REANNOUNCE_RUNS = "reannounce_runs"
REANNOUNCE_BATCHES = "reannounce_batches"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _saved_at(document: Document) -> datetime:
    value = document.get(SAVED_AT)
    return as_utc(value) if isinstance(value, datetime) else _EPOCH


class MongoDirectorySnapshot:
    """``DirectorySnapshot`` over the members' and accounts' stored versions."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._members = db[MEMBERS]
        self._accounts = db[ACCOUNTS]

    async def members_after(self, after: str, limit: int) -> tuple[list[StoredMember], str, bool]:
        grouped, end, exhausted = await versions_after(self._members, after, limit)
        mapper = MemberMapper()
        members = [
            StoredMember(
                mapper.from_document(docs[-1]), int(docs[-1][VERSION]), _saved_at(docs[-1])
            )
            for docs in grouped.values()
        ]
        return members, end, exhausted

    async def accounts_after(self, after: str, limit: int) -> tuple[list[StoredAccount], str, bool]:
        grouped, end, exhausted = await versions_after(self._accounts, after, limit)
        mapper = AccountMapper()
        accounts = [
            StoredAccount(mapper.from_document(docs[-1]), _saved_at(docs[0]))
            for docs in grouped.values()
        ]
        return accounts, end, exhausted


def announcement(replayed: Replayed) -> Announcement:
    """The event on the bus, as identity's store would have published it, with the
    replay's own id and time."""
    event = replayed.event
    mapped = (
        AccountMapper().to_messages(event)
        if isinstance(event, AccountCreated)
        else MemberMapper().to_messages(event)
    )
    (message,) = mapped
    return Announcement(message, replayed.event_id, replayed.at)


class MongoReannouncements:
    """``Reannouncements``: ``reannounce_runs`` (``_id`` = run id, ``done``) and the
    batches in ``reannounce_batches``."""

    def __init__(self, db: AsyncDatabase[Document], source: str) -> None:
        self._runs = db[REANNOUNCE_RUNS]
        self._batches = MongoBatches(db[REANNOUNCE_BATCHES], source)

    async def open(self, run_id: str, at: datetime) -> None:
        with contextlib.suppress(DuplicateKeyError):  # opened before: left as it is
            await self._runs.insert_one({"_id": run_id, "opened_at": at, "done": False})

    async def request(self, at: datetime) -> str:
        runs = await self._runs.find({}, {"done": 1}).to_list()
        requests = sorted(str(r["_id"]) for r in runs if str(r["_id"]).startswith("request-"))
        pending = [r["_id"] for r in runs if r["_id"] in requests and not r.get("done")]
        if pending:
            return str(min(pending))
        run_id = request_run(len(requests) + 1)
        await self.open(run_id, at)  # taken by a concurrent request: the same run
        return run_id

    async def pending(self) -> list[Run]:
        runs = await self._runs.find({"done": False}).to_list()
        ordered = sorted(runs, key=lambda r: (r["opened_at"], r["_id"]))
        return [Run(str(r["_id"]), as_utc(r["opened_at"])) for r in ordered]

    async def finish(self, run_id: str, at: datetime) -> None:
        await self._runs.update_one({"_id": run_id}, {"$set": {"done": True, "done_at": at}})

    async def done(self, run_id: str) -> bool:
        run = await self._runs.find_one({"_id": run_id}, {"done": 1})
        return bool(run and run.get("done"))

    async def resume(self, run_id: str) -> tuple[int, str] | None:
        return await self._batches.resume(run_id)

    async def add_batch(
        self, run_id: str, number: int, after: str, events: Sequence[Replayed], last: bool
    ) -> None:
        announcements = [announcement(replayed) for replayed in events]
        await self._batches.add_batch(run_id, number, after, announcements, last)
