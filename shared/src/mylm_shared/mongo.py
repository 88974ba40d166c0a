"""MongoDB access through PyMongo's AsyncMongoClient (Motor is end-of-life), and index bootstrap.

Only features FerretDB v1 and MongoDB ≥ 6 both support: no multi-document transactions,
no change streams. Single-document atomicity carries the outbox.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import SecretStr
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

Document = dict[str, Any]


def as_utc(value: datetime) -> datetime:
    """BSON dates come back naive (they are UTC): the aware instant."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


T = TypeVar("T")

MAX_POOL_SIZE = 25  # connections per service process
WRITE_CONFLICT = 112  # MongoDB: two writers raced on one document


def is_write_conflict(error: OperationFailure) -> bool:
    """A race another attempt wins: MongoDB's WriteConflict, or (FerretDB on its SQLite
    backend) "database is locked" (SQLITE_BUSY) when two read-then-write operations overlap."""
    return error.code == WRITE_CONFLICT or "SQLITE_BUSY" in str(error)


async def retry_on_conflict(action: Callable[[], Awaitable[T]], attempts: int = 8) -> T:
    """Run a single-document read-modify-write again when it lost a race (jittered)."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(
            lambda error: isinstance(error, OperationFailure) and is_write_conflict(error)
        ),
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(multiplier=0.01, max=2.56),
        reraise=True,
    ):
        with attempt:
            return await action()
    raise AssertionError("unreachable: tenacity re-raises the last error")


def make_mongo_client(uri: str | SecretStr, app_name: str) -> AsyncMongoClient[Document]:
    """``uri`` may be the settings' ``SecretStr`` (it can carry a password)."""
    if isinstance(uri, SecretStr):
        uri = uri.get_secret_value()
    # A bounded pool: FerretDB holds a PostgreSQL connection per operation and hangs for
    # good if its own pool runs dry (a find's connection is held while an update waits
    # for another), so all services together must stay well below its pool of 300.
    return AsyncMongoClient(
        uri,
        appname=app_name,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        maxPoolSize=MAX_POOL_SIZE,
    )


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
