"""Temporary locks after repeated failed password checks (issue 7 item 3).

Counted per username, whether or not it exists (so a lock tells nothing about which
usernames exist), and per client address (one address guessing many usernames). When
a key reaches its limit within the window it is locked for ``lock``; while locked, no
password is even checked. A success clears nothing: an attacker who owns one account
must not be able to reset the count of the address it guesses others' passwords from.

Insert-only (docs/write-patterns.md): each failure is a new document, each lock one
with a deterministic ``_id``. FerretDB v1 has no TTL index and does not push down
sort/limit, so the reads stay small by construction: failures are filed under
``<key>:<time bucket of one window>`` (an indexed equality; a sliding window reads the
current and the previous bucket), and a lock under ``<key>:<time bucket of one lock>``.
Old documents are never read again (a clean-up job may delete them).
"""

import asyncio
import contextlib
import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mylm_shared.auth import Clock, utc_now
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.settings import IdentitySettings

FAILURES = "login_failures"
LOCKS = "login_locks"
THROTTLE_INDEXES = [IndexSpec(FAILURES, [("k", 1)])]


@dataclass(frozen=True)
class ThrottleRule:
    failures: int
    window: timedelta
    lock: timedelta


class Locked(Exception):
    """Too many failures: retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


def _bucket(at: datetime, size: timedelta) -> int:
    return math.floor(at.timestamp() / size.total_seconds())


class LoginThrottle:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        per_account: ThrottleRule,
        per_address: ThrottleRule,
        clock: Clock = utc_now,
    ) -> None:
        self._failures = db[FAILURES]
        self._locks = db[LOCKS]
        self._per_account = per_account
        self._per_address = per_address
        self._clock = clock

    def _keys(self, username: str | None, address: str | None) -> list[tuple[str, ThrottleRule]]:
        # No username: counted per address only (service clients: a lock per client id
        # would let anyone lock a service out; their random secrets resist guessing).
        keys = []
        if username is not None:
            keys.append((f"account:{username.strip().casefold()}", self._per_account))
        if address:
            keys.append((f"address:{address}", self._per_address))
        return keys

    async def check(self, username: str | None, address: str | None) -> None:
        """Raises ``Locked`` while the username or the address is locked."""
        now = self._clock()
        ids = [
            f"{key}:{bucket}"
            for key, rule in self._keys(username, address)
            for bucket in (_bucket(now, rule.lock), _bucket(now, rule.lock) - 1)
        ]
        until = [lock["until"] async for lock in self._locks.find({"_id": {"$in": ids}})]
        latest = max(until, default=None)
        if latest is not None and latest > now:
            raise Locked(max(1, math.ceil((latest - now).total_seconds())))

    async def failed(self, username: str | None, address: str | None) -> None:
        """Counts one failure against the username and the address; locks each key that
        reaches its limit within its window."""
        now = self._clock()
        await asyncio.gather(
            *(self._fail(key, rule, now) for key, rule in self._keys(username, address))
        )

    async def _fail(self, key: str, rule: ThrottleRule, now: datetime) -> None:
        bucket = _bucket(now, rule.window)
        await self._failures.insert_one(
            {"_id": uuid.uuid4().hex, "k": f"{key}:{bucket}", "at": now}
        )
        since = now - rule.window
        recent = 0
        for k in (f"{key}:{bucket}", f"{key}:{bucket - 1}"):
            async for failure in self._failures.find({"k": k}, {"at": 1}):
                recent += failure["at"] > since
        if recent >= rule.failures:
            lock_id = f"{key}:{_bucket(now, rule.lock)}"
            # Concurrent failures lock once; the first lock's end holds.
            with contextlib.suppress(DuplicateKeyError):
                await self._locks.insert_one({"_id": lock_id, "at": now, "until": now + rule.lock})


def login_throttle(
    db: AsyncDatabase[Document], settings: IdentitySettings, clock: Clock = utc_now
) -> LoginThrottle:
    window = timedelta(seconds=settings.login_failure_window_seconds)
    lock = timedelta(seconds=settings.login_lock_seconds)
    return LoginThrottle(
        db,
        per_account=ThrottleRule(settings.login_failures_per_account, window, lock),
        per_address=ThrottleRule(settings.login_failures_per_address, window, lock),
        clock=clock,
    )
