"""Issue 17 item 3: one idempotency module for every create that takes an Idempotency-Key
(fingerprint, derived id, replay or conflict), tested on an in-memory store."""

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

import pytest
from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.kernel.idempotency import (
    IdempotencyConflict,
    create_once,
    derived_id,
    fingerprint,
    replay_or_conflict,
)


@dataclass(frozen=True)
class Made:
    made_id: str
    request_fingerprint: str
    body: str


class Store:
    """Insert-only by id, like an aggregate's version 1 (the unique ``_id`` decides)."""

    def __init__(self, barrier: asyncio.Barrier | None = None) -> None:
        self.items: dict[str, Made] = {}
        self.gets = 0
        # Holds every insert until all concurrent creates have looked up and found
        # nothing, so the race is the one the test names, not a scheduling accident.
        self._barrier = barrier

    async def get(self, made_id: str) -> Made | None:
        self.gets += 1
        return self.items.get(made_id)

    async def insert(self, made: Made) -> Made:
        if self._barrier is not None:
            await self._barrier.wait()
        if made.made_id in self.items:
            raise AggregateExists(made.made_id)
        self.items[made.made_id] = made
        return made


def maker(
    store: Store, made_id: str, body: str, calls: list[str] | None = None
) -> Callable[[], Awaitable[Made]]:
    """The create of ``body`` under ``made_id`` (each run noted in ``calls``)."""

    async def create() -> Made:
        if calls is not None:
            calls.append(body)
        return await store.insert(Made(made_id, fingerprint(body), body))

    return create


def test_a_fingerprint_is_the_sha256_of_the_request_as_canonical_json() -> None:
    """Issue 17 item 3: dates ISO 8601, decimals as written, tuples as lists; pinned, so a
    resource stored by an earlier release still replays."""
    parts = ("m-1", date(2026, 11, 1), ((date(2026, 10, 3), "Consultatie", Decimal("12.50")),))
    expected = b'["m-1", "2026-11-01", [["2026-10-03", "Consultatie", "12.50"]]]'
    assert fingerprint(*parts) == hashlib.sha256(expected).hexdigest()
    when = datetime(2026, 11, 1, 9, 30)
    uuid = UUID("12345678-1234-5678-1234-567812345678")
    assert (
        fingerprint(when, uuid)
        == hashlib.sha256(
            b'["2026-11-01T09:30:00", "12345678-1234-5678-1234-567812345678"]'
        ).hexdigest()
    )


def test_a_fingerprint_ignores_key_order_but_not_values() -> None:
    """Issue 17 item 3: the same request (keys in another order) is the same; any other
    value, even 7.5 for 7.50, is another request."""
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint([1, 2]) == fingerprint((1, 2))
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
    assert fingerprint(Decimal("7.50")) != fingerprint(Decimal("7.5"))
    assert fingerprint("a", "b") != fingerprint("ab")
    assert fingerprint(None, True, 5) != fingerprint(None, True, 6)


def test_a_value_without_a_stable_form_cannot_be_fingerprinted() -> None:
    """Issue 17 item 3: a set's order changes between processes; a retry's fingerprint
    must not, so it is refused rather than hashed in some order."""
    with pytest.raises(TypeError, match="set"):
        fingerprint({"x", "y"})
    with pytest.raises(TypeError, match="object"):
        fingerprint(object())


def test_the_id_is_derived_from_the_key_and_the_caller() -> None:
    """Issue 17 item 3: the same caller and key name the same resource (the ids stored by
    earlier releases), another caller's key another one; without a key every id is new."""
    invoice = derived_id("invoice", "k-1", caller="staff-1")
    assert invoice == derived_id("invoice", "k-1", caller="staff-1")
    assert invoice == "f08482ff-59fd-5abc-b759-aa71c776f86c"
    assert invoice == str(uuid5(NAMESPACE_URL, "mylm:invoice:staff-1:k-1"))
    assert derived_id("invoice", "k-1", caller="staff-2") != invoice
    assert derived_id("invoice", "k-2", caller="staff-1") != invoice
    assert derived_id("policy", "k-1", caller="staff-1") != invoice
    assert derived_id("policy", "k-1", caller="staff-1") == "5abc0b54-5384-5f57-a8a6-7497cb6d1c89"
    assert derived_id("claim", "k-1", caller="acc-1>m-2") == "74b02934-b59d-57dc-a7fd-1aa20a382fc5"
    # The key alone (a bank's transaction id): the same payment whoever sends it.
    payment = derived_id("payment", "bank-1", caller=None)
    assert payment == "fd96ad23-a937-5f74-90da-96a4fa5d4afb"
    assert derived_id("payment", None, caller=None) != derived_id("payment", None, caller=None)
    assert derived_id("invoice", None, caller="staff-1") != derived_id(
        "invoice", None, caller="staff-1"
    )


async def test_replay_returns_the_earlier_resource_or_refuses_another_request() -> None:
    """Issue 17 item 3: nothing yet: None; the same request: the resource; another: 409's
    exception."""
    store = Store()
    assert await replay_or_conflict(store, "r-1", fingerprint("a")) is None
    made = await store.insert(Made("r-1", fingerprint("a"), "a"))
    assert await replay_or_conflict(store, "r-1", fingerprint("a")) == made
    with pytest.raises(IdempotencyConflict):
        await replay_or_conflict(store, "r-1", fingerprint("b"))


async def test_a_retry_with_the_key_replays_without_creating_again() -> None:
    """Issue 17 item 3: the first call creates, the retry finds it and creates nothing."""
    store, calls = Store(), list[str]()
    first, created = await create_once(
        store, "r-1", fingerprint("a"), maker(store, "r-1", "a", calls), idempotency_key="k-1"
    )
    again, created_again = await create_once(
        store, "r-1", fingerprint("a"), maker(store, "r-1", "a", calls), idempotency_key="k-1"
    )
    assert (created, created_again) == (True, False)
    assert again == first == Made("r-1", fingerprint("a"), "a")
    assert calls == ["a"]


async def test_the_same_key_with_another_request_is_a_conflict_and_creates_nothing() -> None:
    """Issue 17 item 3: another body under a used key is refused before anything runs."""
    store, calls = Store(), list[str]()
    await create_once(
        store, "r-1", fingerprint("a"), maker(store, "r-1", "a", calls), idempotency_key="k-1"
    )
    with pytest.raises(IdempotencyConflict):
        await create_once(
            store, "r-1", fingerprint("b"), maker(store, "r-1", "b", calls), idempotency_key="k-1"
        )
    assert calls == ["a"]
    assert store.items["r-1"].body == "a"


async def test_without_a_key_nothing_is_looked_up_first() -> None:
    """Issue 17 item 3: no key, no replay: every request is a new resource."""
    store = Store()
    made, created = await create_once(
        store, "r-1", fingerprint("a"), maker(store, "r-1", "a"), idempotency_key=None
    )
    assert created and made.body == "a"
    assert store.gets == 0


async def test_concurrent_retries_create_once_and_all_answer_the_same() -> None:
    """Issue 17 item 3: ten retries at once, all past the look-up before any insert: one
    creates, nine collide and replay the winner."""
    store = Store(barrier=asyncio.Barrier(10))
    results = await asyncio.gather(
        *(
            create_once(
                store, "r-1", fingerprint("a"), maker(store, "r-1", "a"), idempotency_key="k-1"
            )
            for _ in range(10)
        )
    )
    assert sorted(created for _, created in results) == [False] * 9 + [True]
    assert {made for made, _ in results} == {store.items["r-1"]}


async def test_losing_the_race_to_another_request_is_a_conflict() -> None:
    """Issue 17 item 3: a concurrent request with the same key but another body stored it
    first (the create ran, its insert collided): the loser gets the conflict."""
    store = Store()

    async def beaten() -> Made:
        await store.insert(Made("r-1", fingerprint("winner"), "winner"))
        return await store.insert(Made("r-1", fingerprint("loser"), "loser"))

    with pytest.raises(IdempotencyConflict):
        await create_once(store, "r-1", fingerprint("loser"), beaten, idempotency_key="k-1")
    assert store.items["r-1"].body == "winner"


async def test_a_taken_id_that_cannot_be_read_is_an_error_not_a_replay() -> None:
    """Issue 17 item 3: a collision must find the winner; if it cannot, nothing is
    invented."""
    store = Store()

    async def collides() -> Made:
        raise AggregateExists("r-1")

    with pytest.raises(LookupError, match="r-1"):
        await create_once(store, "r-1", fingerprint("a"), collides, idempotency_key="k-1")


async def test_what_the_create_raises_reaches_the_caller_and_nothing_is_stored() -> None:
    """Issue 17 item 3: a refused request (an invalid body, an unknown member) is not a
    resource: the error passes through, and a retry is free to try again."""
    store = Store()

    async def refused() -> Made:
        raise ValueError("invalid")

    with pytest.raises(ValueError, match="invalid"):
        await create_once(store, "r-1", fingerprint("a"), refused, idempotency_key="k-1")
    assert store.items == {}
    made, created = await create_once(
        store, "r-1", fingerprint("a"), maker(store, "r-1", "a"), idempotency_key="k-1"
    )
    assert created and made.body == "a"
