"""The audit trail (LF-5) in Mongo: insert-only, ``_id = "<trail>@<seq>"``.

Two operations on one account at once both try the next ``seq``: the unique ``_id``
lets one win and the other re-reads the tail and chains after it, so the trail never
forks (docs/write-patterns.md).
"""

from datetime import UTC, datetime
from typing import Protocol

from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from identity.domain.audit import AuditEntry, Operation, next_entry

AUDIT = "audit_trail"
AUDIT_INDEXES = [IndexSpec(AUDIT, [("trail", 1), ("seq", -1)])]


class AuditTrail(Protocol):
    async def record(self, trail: str, operation: Operation) -> None: ...

    async def entries(self, trail: str) -> list[AuditEntry]: ...


def _document(entry: AuditEntry) -> Document:
    op = entry.operation
    return {
        "_id": f"{entry.trail}@{entry.seq:08d}",
        "trail": entry.trail,
        "seq": entry.seq,
        "at": entry.at,
        "action": op.action,
        "by": op.by,
        "source": op.source,
        "acting_for": op.acting_for,
        "details": op.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _entry(doc: Document) -> AuditEntry:
    operation = Operation(
        action=doc["action"],
        by=doc.get("by"),
        source=doc.get("source"),
        acting_for=doc.get("acting_for"),
        details=doc.get("details") or {},
    )
    return AuditEntry(doc["trail"], doc["seq"], doc["at"], operation, doc["prev_hash"], doc["hash"])


class MongoAuditTrail:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._collection = collection

    async def record(self, trail: str, operation: Operation) -> None:
        for _ in range(20):
            tail = await self._tail(trail)
            at = datetime.now(UTC).isoformat(timespec="microseconds")
            try:
                await self._collection.insert_one(_document(next_entry(trail, tail, at, operation)))
                return
            except DuplicateKeyError:  # another operation took this seq: chain after it
                continue
        raise RuntimeError(f"audit trail {trail}: too much contention")

    async def entries(self, trail: str) -> list[AuditEntry]:
        docs = await self._collection.find({"trail": trail}).to_list()
        return sorted((_entry(d) for d in docs), key=lambda e: e.seq)

    async def _tail(self, trail: str) -> AuditEntry | None:
        entries = await self.entries(trail)
        return entries[-1] if entries else None


class InMemoryAuditTrail:
    def __init__(self) -> None:
        self.trails: dict[str, list[AuditEntry]] = {}

    async def record(self, trail: str, operation: Operation) -> None:
        entries = self.trails.setdefault(trail, [])
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        entries.append(next_entry(trail, entries[-1] if entries else None, at, operation))

    async def entries(self, trail: str) -> list[AuditEntry]:
        return list(self.trails.get(trail, []))
