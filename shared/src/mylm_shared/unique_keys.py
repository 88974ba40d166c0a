"""Unique keys over insert-only aggregates (a username, a member number …).

Versioned aggregates (``mylm_shared.aggregates``) keep many documents per aggregate, so a
unique index on one of their fields cannot say "one aggregate per value". A key is
instead claimed by *inserting* ``{_id: "<kind>:<value>", owner}``: the unique ``_id``
decides between concurrent claimants on FerretDB and MongoDB alike, and a lookup is one
read by ``_id``. A claimant that crashed before storing its aggregate left a key whose
owner does not exist; claiming again with the same owner id (derive it, e.g. uuid5)
simply finds it its own.
"""

from datetime import UTC, datetime
from typing import Protocol

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.mongo import Document


class KeyTaken(Exception):
    """Another owner holds the key."""


class Keys(Protocol):
    async def claim(self, key: str, owner: str) -> None: ...

    async def owner(self, key: str) -> str | None: ...


class MongoKeys:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._collection = collection

    async def claim(self, key: str, owner: str) -> None:
        """Make ``owner`` the holder of ``key``; ``KeyTaken`` if someone else is."""
        try:
            await self._collection.insert_one({"_id": key, "owner": owner, "at": datetime.now(UTC)})
        except DuplicateKeyError:
            if await self.owner(key) != owner:
                raise KeyTaken(key) from None

    async def owner(self, key: str) -> str | None:
        found = await self._collection.find_one({"_id": key})
        return str(found["owner"]) if found else None
