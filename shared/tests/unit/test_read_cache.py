"""The read-through cache of projections (``mylm_shared.read_cache``): found values are
kept until their TTL or an invalidation, misses never, and a load overtaken by an
invalidation is not kept."""

import asyncio
from functools import partial

from mylm_shared.read_cache import ReadThroughCache

from testkit.fakes.shared import MovableClock


class Store:
    def __init__(self, **values: str) -> None:
        self.values = dict(values)
        self.reads = 0

    async def load(self, key: str) -> str | None:
        self.reads += 1
        return self.values.get(key)


async def test_a_found_value_is_read_once_until_its_ttl_runs_out() -> None:
    store, clock = Store(m1="fr"), MovableClock(0.0)
    cache = ReadThroughCache[str, str](max_entries=10, ttl_seconds=30, timer=clock)
    assert [await cache.get("m1", lambda: store.load("m1")) for _ in range(3)] == ["fr"] * 3
    assert store.reads == 1
    store.values["m1"] = "nl"  # written by another replica
    clock.now = 29.9
    assert await cache.get("m1", lambda: store.load("m1")) == "fr"
    clock.now = 30.0
    assert await cache.get("m1", lambda: store.load("m1")) == "nl"
    assert store.reads == 2


async def test_a_miss_is_never_kept() -> None:
    store = Store()
    cache = ReadThroughCache[str, str](max_entries=10, ttl_seconds=30)
    assert await cache.get("m1", lambda: store.load("m1")) is None
    store.values["m1"] = "de"  # the member becomes known
    assert await cache.get("m1", lambda: store.load("m1")) == "de"
    assert store.reads == 2


async def test_an_invalidated_key_is_read_again() -> None:
    store = Store(m1="fr", m2="nl")
    cache = ReadThroughCache[str, str](max_entries=10, ttl_seconds=30)
    for key in ("m1", "m2"):
        await cache.get(key, partial(store.load, key))
    store.values["m1"] = "de"
    cache.invalidate("m1")
    assert await cache.get("m1", lambda: store.load("m1")) == "de"
    assert await cache.get("m2", lambda: store.load("m2")) == "nl"
    assert store.reads == 3


async def test_a_load_overtaken_by_an_invalidation_is_returned_but_not_kept() -> None:
    """The update lands while an older read is in flight: that read must not pin the
    old value for a whole TTL."""
    store = Store(m1="fr")
    cache = ReadThroughCache[str, str](max_entries=10, ttl_seconds=30)
    loading, release = asyncio.Event(), asyncio.Event()

    async def slow_load() -> str | None:
        value = await store.load("m1")
        loading.set()
        await release.wait()
        return value

    reader = asyncio.create_task(cache.get("m1", slow_load))
    await loading.wait()
    store.values["m1"] = "nl"
    cache.invalidate("m1")
    release.set()
    assert await reader == "fr"
    assert await cache.get("m1", lambda: store.load("m1")) == "nl"


async def test_the_cache_is_bounded_and_can_be_switched_off() -> None:
    store = Store(m1="fr", m2="nl", m3="de")
    bounded = ReadThroughCache[str, str](max_entries=2, ttl_seconds=30)
    for key in ("m1", "m2", "m3", "m1"):
        await bounded.get(key, partial(store.load, key))
    assert store.reads == 4  # m1 was evicted by m3
    off = ReadThroughCache[str, str](max_entries=0, ttl_seconds=30)
    for _ in range(2):
        await off.get("m1", lambda: store.load("m1"))
    assert store.reads == 6
