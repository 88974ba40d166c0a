"""An in-memory stand-in for the few PyMongo calls of ``mylm_shared.projections`` and
the member look-ups (``find_one`` / ``insert_one`` / ``update_one`` by ``_id``), counting
the reads: unit tests of the read caches check which look-ups reach the store."""

from dataclasses import dataclass, field
from typing import Any

from mylm_shared.projections import AS_OF
from pymongo.errors import DuplicateKeyError


@dataclass
class Updated:
    modified_count: int


@dataclass
class FakeCollection:
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    finds: int = 0

    async def find_one(
        self, query: dict[str, Any], projection: dict[str, int] | None = None
    ) -> dict[str, Any] | None:
        self.finds += 1
        found = self.documents.get(query["_id"])
        return dict(found) if found is not None else None

    async def insert_one(self, document: dict[str, Any]) -> None:
        if document["_id"] in self.documents:
            raise DuplicateKeyError("E11000 duplicate key")
        self.documents[document["_id"]] = dict(document)

    async def update_one(self, query: dict[str, Any], update: dict[str, Any]) -> Updated:
        """Only the filter ``apply_newer`` uses: ``_id`` and an older (or no) ``as_of``."""
        stored = self.documents.get(query["_id"])
        changes = update["$set"]
        if stored is None or stored.get(AS_OF, "") >= changes[AS_OF]:
            return Updated(0)
        stored.update(changes)
        return Updated(1)


@dataclass
class FakeDatabase:
    collections: dict[str, FakeCollection] = field(default_factory=dict)

    def __getitem__(self, name: str) -> FakeCollection:
        return self.collections.setdefault(name, FakeCollection())
