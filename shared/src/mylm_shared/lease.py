"""A lease in MongoDB: one holder at a time (e.g. one outbox relay per database),
taken over when its holder stops renewing it (crashed, hung, partitioned away).

Insert-only, like every write here that must not race (FerretDB v1 applies update
operators between a read and a write): a holder owns *epoch* n of the lease, the
document ``{_id: "<name>:<n>"}``. A candidate that sees epoch n expired inserts epoch
n+1; the unique ``_id`` lets exactly one candidate win. Only the holder of an epoch
renews it (one writer per document), and before each renewal it checks that no later
epoch exists, so a holder that was presumed dead learns it lost the lease. Between two
checks a stalled holder may overlap its successor briefly: at-least-once delivery
absorbs that (consumers are idempotent), the same as a crash window.
"""

import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.mongo import Document, IndexSpec

log = logging.getLogger(__name__)

LEASES = "leases"
LEASE_INDEX = IndexSpec(LEASES, [("lease", 1)])


class Lease:
    def __init__(
        self,
        collection: AsyncCollection[Document],
        name: str,
        *,
        ttl_seconds: float = 10.0,
        holder: str | None = None,
    ) -> None:
        self._leases = collection
        self._name = name
        self._ttl = ttl_seconds
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._epoch: int | None = None
        self._valid_until = 0.0  # monotonic: trust our own clock for our own expiry
        self._renew_at = 0.0

    @property
    def held(self) -> bool:
        return self._epoch is not None and time.monotonic() < self._valid_until

    async def hold(self) -> bool:
        """True while this process holds the lease: takes it when free, renews it when due."""
        now = time.monotonic()
        if self._epoch is not None and now < self._renew_at and now < self._valid_until:
            return True
        if self._epoch is not None:
            return await self._renew()
        return await self._try_take()

    async def release(self) -> None:
        """Let a successor take over at once (graceful shutdown)."""
        if self._epoch is not None:
            await self._leases.update_one(
                {"_id": self._id(self._epoch)}, {"$set": {"expires_at": datetime.now(UTC)}}
            )
            self._epoch = None

    def _id(self, epoch: int) -> str:
        return f"{self._name}:{epoch}"

    async def _renew(self) -> bool:
        assert self._epoch is not None
        if await self._leases.find_one({"_id": self._id(self._epoch + 1)}, {"_id": 1}):
            log.warning("lease lost to a successor", extra={"lease": self._name})
            self._epoch = None
            return False
        started = time.monotonic()
        await self._leases.update_one(
            {"_id": self._id(self._epoch)},
            {"$set": {"expires_at": datetime.now(UTC) + timedelta(seconds=self._ttl)}},
        )
        self._granted(started)
        return True

    async def _try_take(self) -> bool:
        epochs = await self._leases.find({"lease": self._name}).to_list()
        latest = max(epochs, key=lambda doc: doc["epoch"], default=None)
        if latest is not None and latest["expires_at"] > datetime.now(UTC):
            return False  # someone holds it
        epoch = latest["epoch"] + 1 if latest else 1
        started = time.monotonic()
        try:
            await self._leases.insert_one(
                {
                    "_id": self._id(epoch),
                    "lease": self._name,
                    "epoch": epoch,
                    "holder": self.holder,
                    "expires_at": datetime.now(UTC) + timedelta(seconds=self._ttl),
                }
            )
        except DuplicateKeyError:
            return False  # another candidate won this epoch
        self._epoch = epoch
        self._granted(started)
        log.info("lease taken", extra={"lease": self._name, "epoch": epoch})
        if latest is not None:  # the older epochs are history now
            await self._leases.delete_many({"lease": self._name, "epoch": {"$lt": epoch}})
        return True

    def _granted(self, started: float) -> None:
        # Valid from when we asked, not when the answer came: never longer than the
        # others believe. Renew at a third of the term, so one slow round trip is fine.
        self._valid_until = started + self._ttl
        self._renew_at = started + self._ttl / 3
