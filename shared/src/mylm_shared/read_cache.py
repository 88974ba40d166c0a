"""A short-lived, bounded read-through cache of a projection this process also writes
(e.g. a member's language or address, fed by ``member.registered`` / ``member.updated``).

Staleness is bounded: a write handled by this process invalidates its entry at once; a
write handled by another replica shows here within ``ttl_seconds``. Only found values
are kept: a miss ("not known yet") is asked of the store again next time.

A load that began before an invalidation may finish after it with the old value; it is
returned to its caller but not kept (a generation counter, bumped by every
invalidation, tells).
"""

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from cachetools import TTLCache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ReadThroughCache(Generic[K, V]):
    """``max_entries`` or ``ttl_seconds`` of 0 switches caching off (every get loads)."""

    def __init__(
        self,
        *,
        max_entries: int,
        ttl_seconds: float,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._enabled = max_entries > 0 and ttl_seconds > 0
        self._entries: TTLCache[K, V] = TTLCache(max(max_entries, 1), max(ttl_seconds, 0), timer)
        self._generation = 0

    async def get(self, key: K, load: Callable[[], Awaitable[V | None]]) -> V | None:
        """The kept value, else ``load()``'s, kept if found and nothing was invalidated
        while it loaded."""
        if (hit := self._entries.get(key)) is not None:
            return hit
        generation = self._generation
        value = await load()
        if value is not None and self._enabled and generation == self._generation:
            self._entries[key] = value
        return value

    def invalidate(self, key: K) -> None:
        """Forget ``key`` and any load of it in flight (call after writing it)."""
        self._generation += 1
        self._entries.pop(key, None)
