"""Projections of another service's entity fed by two topics: a first state
(``member.registered``) and later whole states (``member.updated``).

Kafka keeps order within a partition of one topic only, so the two topics' events of
one member may be handled in either order, and a re-driven old event may come after a
newer one. Each projection document therefore keeps the time of the event it reflects
(``as_of``) and takes a state only if it is newer:

- the first state is only ever *inserted* (``insert_first``): if the document exists,
  it holds that state or a later one, and the insert is refused by the unique ``_id``;
- a later state (``apply_newer``) is inserted if nothing is there yet, else written
  over an older state only. Its topic is keyed by the entity's id, so one consumer at a
  time writes each document in place: write pattern 3 of docs/write-patterns.md holds
  (the inserts of the other topic cannot overwrite anything).

``as_of`` is the event's CloudEvents ``time`` as an ISO 8601 string with microseconds
(BSON dates keep milliseconds, too coarse to order two events of one request).
"""

import contextlib
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.events import CloudEvent
from mylm_shared.mongo import Document

AS_OF = "as_of"


def event_order(event: CloudEvent) -> str:
    """The event's time as a string that sorts in time order."""
    return event.time.astimezone(UTC).isoformat(timespec="microseconds")


async def insert_first(
    collection: AsyncCollection[Document], key: str, fields: Mapping[str, Any], as_of: str
) -> bool:
    """Store the first state unless a state (this one or a later one) is there already."""
    try:
        await collection.insert_one({"_id": key, **fields, AS_OF: as_of})
        return True
    except DuplicateKeyError:
        return False


async def apply_newer(
    collection: AsyncCollection[Document],
    key: str,
    fields: Mapping[str, Any],
    as_of: str,
    *,
    on_insert: Mapping[str, Any] | None = None,
) -> bool:
    """Store a later whole state unless the stored one is as new or newer; ``on_insert``
    are defaults of a document this creates (the first state had not arrived yet)."""
    if await collection.find_one({"_id": key}, {"_id": 1}) is None:
        with contextlib.suppress(DuplicateKeyError):  # else: the first state came meanwhile
            await collection.insert_one({"_id": key, **(on_insert or {}), **fields, AS_OF: as_of})
            return True
    older = {"$or": [{AS_OF: {"$exists": False}}, {AS_OF: {"$lt": as_of}}]}
    result = await collection.update_one({"_id": key, **older}, {"$set": {**fields, AS_OF: as_of}})
    return result.modified_count > 0
