"""MongoDB access through PyMongo's AsyncMongoClient (Motor is end-of-life), and index bootstrap.

Only features FerretDB v1 and MongoDB ≥ 6 both support: no multi-document transactions,
no change streams. Single-document atomicity carries the outbox.
"""

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import SecretStr
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

Document = dict[str, Any]
T = TypeVar("T")

WRITE_CONFLICT = 112  # MongoDB: two writers raced on one document


def is_write_conflict(error: OperationFailure) -> bool:
    """A race another attempt wins: MongoDB's WriteConflict, or FerretDB/SQLite's
    "database is locked" (SQLITE_BUSY) when two read-then-write operations overlap."""
    return error.code == WRITE_CONFLICT or "SQLITE_BUSY" in str(error)


async def retry_on_conflict(action: Callable[[], Awaitable[T]], attempts: int = 8) -> T:
    """Run a single-document read-modify-write again when it lost a race (jittered)."""
    for attempt in range(1, attempts + 1):
        try:
            return await action()
        except OperationFailure as error:
            if attempt == attempts or not is_write_conflict(error):
                raise
            await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))  # noqa: S311 — jitter
    raise AssertionError("unreachable")


def make_mongo_client(uri: str | SecretStr, app_name: str) -> AsyncMongoClient[Document]:
    """``uri`` may be the settings' ``SecretStr`` (it can carry a password)."""
    if isinstance(uri, SecretStr):
        uri = uri.get_secret_value()
    return AsyncMongoClient(uri, appname=app_name, tz_aware=True, serverSelectionTimeoutMS=5000)


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: Sequence[tuple[str, int]]
    unique: bool = False
    name: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


async def ensure_indexes(db: AsyncDatabase[Document], specs: Sequence[IndexSpec]) -> None:
    """Create the indexes a service relies on (idempotent: same spec, no-op)."""
    for spec in specs:
        await db[spec.collection].create_index(
            list(spec.keys), unique=spec.unique, name=spec.name, **spec.options
        )
