"""An in-memory stand-in for the few PyMongo calls of ``mylm_shared.projections`` and
the member look-ups (``find_one`` / ``insert_one`` / ``update_one`` by ``_id``), counting
the reads: unit tests of the read caches check which look-ups reach the store. Enough
more for inbox's message store, its HMAC chain (``mylm_shared.audit_trail``) and the
outbox relay: top-level equality and ``_id`` ``$in`` filters, ``$pullAll``,
``delete_many``, ``distinct``, async iteration; every write is logged (``writes``) so a
test can say which writes a collection ever saw (ES-2: messages only inserted).
``$pullAll`` behaves as on FerretDB v1: the document is read, changed in a copy and the
whole copy written back; ``FakeDatabase.meanwhile`` (once) runs between the read and the
write, i.e. a concurrent writer whose change that write-back undoes."""

import copy
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from mylm_shared.projections import AS_OF
from pymongo.errors import DuplicateKeyError


@dataclass
class Updated:
    modified_count: int


@dataclass
class Found:
    documents: list[dict[str, Any]]

    async def to_list(self) -> list[dict[str, Any]]:
        return self.documents

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        for document in self.documents:
            yield document


def _matches(document: dict[str, Any], query: dict[str, Any]) -> bool:
    """Top-level equality, or ``{"$in": [...]}`` on a field."""
    for key, wanted in query.items():
        if isinstance(wanted, dict) and "$in" in wanted:
            if document.get(key) not in wanted["$in"]:
                return False
        elif document.get(key) != wanted:
            return False
    return True


@dataclass
class FakeCollection:
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    finds: int = 0
    name: str = ""
    database: "FakeDatabase | None" = field(default=None, repr=False, compare=False)
    writes: list[tuple[str, Any]] = field(default_factory=list)  # (operation, _id or filter)

    async def find_one(
        self, query: dict[str, Any], projection: dict[str, int] | None = None
    ) -> dict[str, Any] | None:
        self.finds += 1
        if set(query) == {"_id"} and not isinstance(query["_id"], dict):
            found = self.documents.get(query["_id"])
        else:
            found = next((d for d in self.documents.values() if _matches(d, query)), None)
        return dict(found) if found is not None else None

    def find(
        self, query: dict[str, Any] | None = None, projection: dict[str, int] | None = None
    ) -> "Found":
        """Top-level equality filters only (an aggregate's versions by ``aggregate_id``)."""
        self.finds += 1
        return Found([dict(d) for d in self.documents.values() if _matches(d, query or {})])

    async def distinct(self, key: str) -> list[Any]:
        return list(dict.fromkeys(d[key] for d in self.documents.values() if key in d))

    async def insert_one(self, document: dict[str, Any]) -> None:
        if document["_id"] in self.documents:
            raise DuplicateKeyError("E11000 duplicate key")
        self.writes.append(("insert_one", document["_id"]))
        self.documents[document["_id"]] = dict(document)

    async def delete_many(self, query: dict[str, Any]) -> None:
        self.writes.append(("delete_many", query))
        for key in [k for k, d in self.documents.items() if _matches(d, query)]:
            del self.documents[key]

    async def update_one(self, query: dict[str, Any], update: dict[str, Any]) -> Updated:
        """By ``_id``: ``apply_newer``'s (an older or no ``as_of``), a plain ``$set``, or
        the outbox relay's ``$pullAll``."""
        self.writes.append(("update_one", query["_id"]))
        stored = self.documents.get(query["_id"])
        if "$pullAll" in update:
            if stored is None:
                return Updated(0)
            changed = copy.deepcopy(stored)  # read, changed in Go, written back whole
            for key, values in update["$pullAll"].items():
                changed[key] = [v for v in changed.get(key, []) if v not in values]
            if self.database is not None and self.database.meanwhile is not None:
                meanwhile, self.database.meanwhile = self.database.meanwhile, None
                meanwhile()
            self.documents[query["_id"]] = changed
            return Updated(1)
        changes = update["$set"]
        if stored is not None and AS_OF not in changes:
            stored.update(changes)
            return Updated(1)
        if stored is None or stored.get(AS_OF, "") >= changes[AS_OF]:
            return Updated(0)
        stored.update(changes)
        return Updated(1)


@dataclass
class FakeDatabase:
    collections: dict[str, FakeCollection] = field(default_factory=dict)
    # once, between the read and the write-back of the next ``$pullAll`` (see above)
    meanwhile: Callable[[], None] | None = None

    def __getitem__(self, name: str) -> FakeCollection:
        if name not in self.collections:
            self.collections[name] = FakeCollection(name=name, database=self)
        return self.collections[name]
