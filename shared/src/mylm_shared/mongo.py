"""MongoDB access through PyMongo's AsyncMongoClient (Motor is end-of-life), and index bootstrap.

Only features FerretDB v1 and MongoDB ≥ 6 both support: no multi-document transactions,
no change streams. Single-document atomicity carries the outbox.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


def make_mongo_client(uri: str, app_name: str) -> AsyncMongoClient[Document]:
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


async def ping(db: AsyncDatabase[Document]) -> None:
    await db.command("ping")
