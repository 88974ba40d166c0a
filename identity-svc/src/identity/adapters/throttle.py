"""Attempt budgets that hold under concurrency: logins (issue 7 item 3, issue 15 item 2)
and one-time codes (issue 15 item 1).

An attempt is *reserved before* the expensive or secret-revealing work (an argon2
verification, a code comparison), so of any number of parallel attempts at most the
budget is ever evaluated; the rest are refused (``Locked``, answered 429 + Retry-After).

Write pattern (docs/write-patterns.md; FerretDB v1 and MongoDB alike): insert-only with
deterministic ``_id``s. A budget of ``limit`` per sliding ``window`` for a key is a set of
slot documents ``<key>:<bucket>@<n>`` with ``n`` in 1..limit, where ``bucket`` is the
window-sized time bucket of the attempt. Reserving inserts the first free slot; the
unique ``_id`` decides between concurrent reservations (a duplicate key means someone
else holds that slot), so no counter is ever updated and no increment can be lost. The
previous bucket's attempts still inside the window (``at > now - window``) lower the
slots the current bucket may use, which makes the budget a sliding window: every
attempt counts for exactly ``window`` after it was made.

A reservation whose attempt turns out not to count (the right password, the right
code) is released by deleting its own slot document; only the request that inserted it
ever deletes it (one writer per document). FerretDB v1 has no TTL index and does not
push sort/limit down, so reads stay small by construction: each read is an equality on
the indexed ``k`` (the bucket), of at most ``limit`` documents. Old buckets are never
read again (a clean-up job may delete them).
"""

import math
from datetime import datetime, timedelta
from typing import Any

from mylm_shared.auth import Clock, utc_now
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.domain.attempts import Budget, Locked, Reservation
from identity.settings import IdentitySettings

__all__ = [
    "THROTTLE_INDEXES",
    "AttemptLedger",
    "Budget",
    "Locked",
    "LoginThrottle",
    "Reservation",
    "login_throttle",
]

SLOTS = "attempt_slots"
THROTTLE_INDEXES = [IndexSpec(SLOTS, [("k", 1)])]


def _bucket(at: datetime, size: timedelta) -> int:
    return math.floor(at.timestamp() / size.total_seconds())


class AttemptLedger:
    """Reserves attempts against budgets; see the module's docstring for the pattern."""

    def __init__(self, db: AsyncDatabase[Document], clock: Clock = utc_now) -> None:
        self._slots = db[SLOTS]
        self._clock = clock

    async def _counted(self, k: str) -> list[dict[str, Any]]:
        return [doc async for doc in self._slots.find({"k": k}, {"at": 1})]

    async def reserve(self, key: str, budget: Budget) -> str:
        """One slot of ``key``'s budget (its ``_id``), or ``Locked``."""
        now = self._clock()
        bucket = _bucket(now, budget.window)
        current, previous = f"{key}:{bucket}", f"{key}:{bucket - 1}"
        since = now - budget.window
        still_counting = [d["at"] for d in await self._counted(previous) if d["at"] > since]
        held = await self._counted(current)
        usable = budget.limit - len(still_counting)
        taken = {str(d["_id"]) for d in held}
        if len(held) < usable:
            for n in range(1, usable + 1):
                slot = f"{current}@{n}"
                if slot in taken:
                    continue
                try:
                    await self._slots.insert_one({"_id": slot, "k": current, "at": now})
                    return slot
                except DuplicateKeyError:  # a concurrent attempt took it: the next one
                    continue
            held = await self._counted(current)
        # A concurrent attempt may have been stamped after this one's ``now``.
        oldest = min([now, *still_counting, *(d["at"] for d in held)])
        raise Locked(max(1, math.ceil((oldest + budget.window - now).total_seconds())))

    async def reserve_all(self, budgets: list[tuple[str, Budget]]) -> Reservation:
        """A slot in each budget, or none at all (``Locked``: the ones taken are freed)."""
        taken: list[str] = []
        try:
            for key, budget in budgets:
                taken.append(await self.reserve(key, budget))
        except Locked:
            await self.release(Reservation(tuple(taken)))
            raise
        return Reservation(tuple(taken))

    async def available(self, key: str, budget: Budget) -> bool:
        """Whether ``key`` has a free slot now (a read only; a reservation may still fail)."""
        now = self._clock()
        bucket = _bucket(now, budget.window)
        since = now - budget.window
        previous = [d for d in await self._counted(f"{key}:{bucket - 1}") if d["at"] > since]
        return len(previous) + len(await self._counted(f"{key}:{bucket}")) < budget.limit

    async def used(self, key: str, budget: Budget) -> int:
        """Attempts of ``key`` counted now (tests, diagnostics)."""
        now = self._clock()
        bucket = _bucket(now, budget.window)
        since = now - budget.window
        previous = [d for d in await self._counted(f"{key}:{bucket - 1}") if d["at"] > since]
        return len(previous) + len(await self._counted(f"{key}:{bucket}"))

    async def release(self, reservation: Reservation) -> None:
        """The attempt does not count (it succeeded, or another budget refused it)."""
        if reservation.slots:
            await self._slots.delete_many({"_id": {"$in": list(reservation.slots)}})


class LoginThrottle:
    """Failed password checks, counted per username (known or not, so a lock tells
    nothing about which usernames exist) and per client address (one address guessing
    many usernames). Reserve before verifying; a right password releases its own
    reservation, which clears nobody else's failures: an attacker who owns one account
    cannot reset the count of the address it guesses others' passwords from."""

    def __init__(
        self,
        ledger: AttemptLedger,
        *,
        per_account: Budget,
        per_address: Budget,
    ) -> None:
        self._ledger = ledger
        self._per_account = per_account
        self._per_address = per_address

    def _keys(self, username: str | None, address: str | None) -> list[tuple[str, Budget]]:
        # No username: counted per address only (service clients: a lock per client id
        # would let anyone lock a service out; their random secrets resist guessing).
        keys = []
        if username is not None:
            keys.append((f"login:account:{username.strip().casefold()}", self._per_account))
        if address:
            keys.append((f"login:address:{address}", self._per_address))
        return keys

    async def reserve(self, username: str | None, address: str | None) -> Reservation:
        """Reserve one attempt for the username and the address before the password is
        checked; ``Locked`` when either budget is spent (nothing is verified then)."""
        return await self._ledger.reserve_all(self._keys(username, address))

    async def succeeded(self, reservation: Reservation) -> None:
        """The password was right: this attempt is not a failure."""
        await self._ledger.release(reservation)

    async def failures(self, username: str) -> int:
        """Failures counted against ``username`` now (tests, diagnostics)."""
        [(key, budget)] = self._keys(username, None)
        return await self._ledger.used(key, budget)


def login_throttle(
    db: AsyncDatabase[Document], settings: IdentitySettings, clock: Clock = utc_now
) -> LoginThrottle:
    window = timedelta(seconds=settings.login_failure_window_seconds)
    return LoginThrottle(
        AttemptLedger(db, clock),
        per_account=Budget(settings.login_failures_per_account, window),
        per_address=Budget(settings.login_failures_per_address, window),
    )
