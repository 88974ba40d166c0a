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
class Found:
    documents: list[dict[str, Any]]

    async def to_list(self) -> list[dict[str, Any]]:
        return self.documents


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

    def find(self, query: dict[str, Any], projection: dict[str, int] | None = None) -> "Found":
        """Top-level equality filters only (an aggregate's versions by ``aggregate_id``)."""
        self.finds += 1
        return Found(
            [
                dict(d)
                for d in self.documents.values()
                if all(d.get(k) == v for k, v in query.items())
            ]
        )

    async def insert_one(self, document: dict[str, Any]) -> None:
        if document["_id"] in self.documents:
            raise DuplicateKeyError("E11000 duplicate key")
        self.documents[document["_id"]] = dict(document)

    async def update_one(self, query: dict[str, Any], update: dict[str, Any]) -> Updated:
        """By ``_id``: ``apply_newer``'s (an older or no ``as_of``), or a plain ``$set``."""
        stored = self.documents.get(query["_id"])
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

    def __getitem__(self, name: str) -> FakeCollection:
        return self.collections.setdefault(name, FakeCollection())
