"""Code requests in identity-svc's database, insert-only (docs/write-patterns.md).

- ``one_time_codes``: one document per request, ``_id`` = the request id, holding the
  HMAC of the code (never the code) and who it is for. Never updated.
- ``one_time_code_attempts``: each attempt *inserts* ``<request>@<n>`` for the first free
  n of 1..5, so of any number of concurrent guesses at most five are ever checked (the
  unique ``_id`` decides; a counter ``$inc`` could lose increments on FerretDB v1).
  Using a code inserts ``<request>@used``: of two concurrent confirmations one wins.
  A right guess deletes its own attempt document (one writer per document), so a right
  code refused for another reason (a taken username) can be tried again.
- Issue 15 item 1: each request is filed under its ``series`` (purpose, target, hour),
  an indexed equality: a request is ended when its series (or the next hour's) holds a
  newer request; nothing is ever updated. Guesses are reserved, before the code is
  compared, in ``adapters/throttle.py``'s insert-only budgets: per purpose and target
  across codes, and per client address.
- ``decoy_masks``: masks of real contacts (one per slot of a keyed hash of the member,
  insert-once), from which the stand-in shown for an identifier that finds nobody is
  drawn, so stand-ins have the shapes real masks have (domains, foreign numbers); the
  one chosen for an identifier is kept (``decoy_choices``, insert-once), so asking
  twice shows the same.

The HMAC secret (``mylm_shared.code_secret``) comes from CODE_SECRET_FILE (a mounted
secret) or, in dev/test only, is generated once and kept in the database, like the
signing key (``keys.py``).
"""

import contextlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mylm_shared.auth import Clock, utc_now
from mylm_shared.code_secret import load_code_secret
from mylm_shared.mongo import Document, IndexSpec, as_utc
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.adapters.code_delivery import CodeDelivery, local_code_delivery
from identity.adapters.throttle import AttemptLedger, Budget, Locked
from identity.domain.codes import (
    MAX_ATTEMPTS,
    Channel,
    CodeExpired,
    CodeLocked,
    CodeRequest,
    CodeSuperseded,
    CodeUsed,
    Purpose,
    UnknownCode,
    WrongCode,
    code_digest,
    decoy_mask,
    guess_key,
    series_of,
    well_formed,
)
from identity.settings import IdentitySettings

CODES = "one_time_codes"
ATTEMPTS = "one_time_code_attempts"
SENDS = "one_time_code_sends"
MASKS = "decoy_masks"
DECOYS = "decoy_choices"
MASK_SLOTS = 256
CODE_INDEXES = [IndexSpec(CODES, [("series", 1)]), IndexSpec(MASKS, [("channel", 1)])]


@dataclass(frozen=True)
class GuessBudgets:
    """Issue 15 item 1: wrong codes per purpose and target across codes, and per client
    address across targets."""

    per_target: Budget
    per_address: Budget


class CodeStore:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        secret: bytes,
        ledger: AttemptLedger,
        budgets: GuessBudgets,
    ) -> None:
        self._codes = db[CODES]
        self._attempts = db[ATTEMPTS]
        self._sends = db[SENDS]
        self._masks = db[MASKS]
        self._decoys = db[DECOYS]
        self._secret = secret
        self.ledger = ledger
        self.budgets = budgets

    def digest(self, code_id: str, purpose: Purpose, code: str) -> str:
        return code_digest(self._secret, code_id, purpose, code)

    def _keyed(self, label: str, value: str) -> bytes:
        return hmac.new(self._secret, f"{label}\x00{value}".encode(), "sha256").digest()

    def decoy_seed(self, identifier: str) -> bytes:
        """Keyed, so nobody can tell a decoy mask from a real one by recomputing it."""
        return self._keyed("decoy", identifier)

    def target_of_identifier(self, identifier: str) -> str:
        """The budget and series key of an identifier that finds nobody (keyed hash: the
        identifier itself is not stored)."""
        return f"id:{self._keyed('target', identifier.strip().casefold()).hex()[:32]}"

    async def remember_mask(self, channel: Channel, member_id: str, mask: str) -> None:
        """Keep a real member's mask in the pool decoys are drawn from (first one per
        slot stays: insert-only)."""
        slot = int.from_bytes(self._keyed("mask-slot", member_id)[:4]) % MASK_SLOTS
        with contextlib.suppress(DuplicateKeyError):
            await self._masks.insert_one(
                {"_id": f"{channel}:{slot:03d}", "channel": channel, "mask": mask}
            )

    async def decoy(self, channel: Channel, identifier: str) -> str:
        """The stand-in mask for an identifier that finds nobody (or a member without
        this contact): drawn from real masks, the same every time it is asked."""
        seed = self.decoy_seed(f"{channel}:{identifier.strip().casefold()}")
        choice_id = seed.hex()[:40]
        chosen = await self._decoys.find_one({"_id": choice_id})
        if chosen is not None:
            return str(chosen["mask"])
        pool = sorted(
            [doc async for doc in self._masks.find({"channel": channel})],
            key=lambda doc: str(doc["_id"]),
        )
        if pool:
            mask = str(pool[int.from_bytes(seed[4:8]) % len(pool)]["mask"])
        else:  # no real mask yet (a fresh installation): a generated one
            mask = decoy_mask(seed, channel)
        with contextlib.suppress(DuplicateKeyError):  # a concurrent twin chose first
            await self._decoys.insert_one({"_id": choice_id, "mask": mask})
            return mask
        again = await self._decoys.find_one({"_id": choice_id})
        return str(again["mask"]) if again else mask

    async def take_send_slot(self, contact_key: str, at: datetime, per_hour: int) -> bool:
        """One of ``per_hour`` sending slots of this contact in the current hour, or False.
        Insert-only: slot n is ``<contact>:<hour>@<n>``, so concurrent requests cannot
        take more than ``per_hour`` between them."""
        hour = int(at.timestamp() // 3600)
        for n in range(1, per_hour + 1):
            try:
                await self._sends.insert_one({"_id": f"{contact_key}:{hour}@{n}", "at": at})
                return True
            except DuplicateKeyError:
                continue
        return False

    async def count_attempt(self, key: str, budget: Budget) -> None:
        """One attempt of ``key``'s budget (a call of a code route from an address),
        never given back; ``Locked`` beyond it."""
        await self.ledger.reserve(key, budget)

    async def guesses_left(self, purpose: Purpose, target: str) -> bool:
        """Whether the target's guess budget for ``purpose`` has room now."""
        return await self.ledger.available(guess_key(purpose, target), self.budgets.per_target)

    async def add(self, request: CodeRequest) -> None:
        await self._codes.insert_one(
            {
                "_id": request.code_id,
                "purpose": request.purpose,
                "channel": request.channel,
                "digest": request.digest,
                "created_at": request.created_at,
                "expires_at": request.expires_at,
                "member_id": request.member_id,
                "account_id": request.account_id,
                "target": request.target,
                "series": (
                    series_of(request.purpose, request.target, request.created_at)
                    if request.target
                    else None
                ),
            }
        )

    async def get(self, code_id: str, purpose: Purpose) -> CodeRequest | None:
        doc = await self._codes.find_one({"_id": code_id})
        if doc is None or doc.get("purpose") != purpose:
            return None
        return _request(doc)

    async def superseded(self, request: CodeRequest, at: datetime) -> bool:
        """Whether a newer request of the same purpose and target exists (it ends this
        one). A live request is younger than ``CODE_LIFETIME``, shorter than a series
        bucket, so its successors are filed in its bucket or in ``at``'s."""
        if request.target is None:
            return False
        buckets = {
            series_of(request.purpose, request.target, request.created_at),
            series_of(request.purpose, request.target, at),
        }
        for series in sorted(buckets):
            async for doc in self._codes.find({"series": series}, {"created_at": 1}):
                other = (as_utc(doc["created_at"]), str(doc["_id"]))
                if other > (request.created_at, request.code_id):
                    return True
        return False

    def _matches(self, request: CodeRequest, code: str) -> bool:
        """The one place a guess is compared with a code (tests count the calls)."""
        return well_formed(code) and hmac.compare_digest(
            request.digest, self.digest(request.code_id, request.purpose, code)
        )

    async def verify(
        self,
        code_id: str,
        purpose: Purpose,
        code: str,
        at: datetime,
        address: str | None = None,
    ) -> CodeRequest:
        """The request if ``code`` is its code; else raises why not (``CodeProblem``), or
        ``Locked`` when the guess budget of the request's target or of ``address`` is
        spent. Checks that need no guess come first (unknown, used, expired, ended by a
        newer code); then one of the request's five attempts is claimed and a guess is
        reserved in every budget, and only then is the code compared. A right code
        gives its reservations back."""
        request = await self.get(code_id, purpose)
        if request is None:
            raise UnknownCode(code_id)
        if await self._attempts.find_one({"_id": f"{code_id}@used"}, {"_id": 1}):
            raise CodeUsed(code_id)
        if request.expired(at):
            raise CodeExpired(code_id)
        if await self.superseded(request, at):
            raise CodeSuperseded(code_id)
        budgets: list[tuple[str, Budget]] = []
        if request.target is not None:
            budgets.append((guess_key(purpose, request.target), self.budgets.per_target))
        if address:
            budgets.append((f"code-guess:address:{address}", self.budgets.per_address))
        attempt = await self._claim_attempt(code_id, at)
        if attempt is None:
            raise CodeLocked(code_id)
        try:
            reservation = await self.ledger.reserve_all(budgets)
        except Locked:  # nothing is compared: the request's attempt is given back
            await self._attempts.delete_one({"_id": f"{code_id}@{attempt}"})
            raise
        # A request for nobody (unknown identifier, or beyond a cap) never matches: no
        # code was sent, but the guess is compared and counted all the same.
        if self._matches(request, code) and request.live:
            await self.ledger.release(reservation)
            await self._attempts.delete_one({"_id": f"{code_id}@{attempt}"})
            return request
        if attempt >= MAX_ATTEMPTS:
            raise CodeLocked(code_id)
        raise WrongCode(MAX_ATTEMPTS - attempt)

    async def _claim_attempt(self, code_id: str, at: datetime) -> int | None:
        for n in range(1, MAX_ATTEMPTS + 1):
            try:
                await self._attempts.insert_one({"_id": f"{code_id}@{n}", "at": at})
                return n
            except DuplicateKeyError:
                continue
        return None

    async def use(self, code_id: str, at: datetime) -> None:
        """Mark the code used; ``CodeUsed`` if a concurrent confirmation did first."""
        try:
            await self._attempts.insert_one({"_id": f"{code_id}@used", "at": at})
        except DuplicateKeyError:
            raise CodeUsed(code_id) from None


def _request(doc: dict[str, Any]) -> CodeRequest:
    return CodeRequest(
        code_id=doc["_id"],
        purpose=doc["purpose"],
        channel=doc["channel"],
        digest=doc["digest"],
        created_at=as_utc(doc["created_at"]),
        expires_at=as_utc(doc["expires_at"]),
        member_id=doc.get("member_id"),
        account_id=doc.get("account_id"),
        target=doc.get("target"),
    )


@dataclass
class OneTimeCodes:
    """What registration and password reset need: the store and the senders."""

    store: CodeStore
    delivery: CodeDelivery


async def one_time_codes(
    db: AsyncDatabase[Document], settings: IdentitySettings, clock: Clock = utc_now
) -> OneTimeCodes:
    secret = await load_code_secret(
        db, settings.code_secret_file, generate_if_missing=settings.profile != "prod"
    )
    delivery = local_code_delivery(
        settings.smtp_url.get_secret_value(),
        settings.mail_from,
        settings.smtp_timeout_seconds,
        settings.sms_sink_domain,
    )
    window = timedelta(seconds=settings.code_guess_window_seconds)
    budgets = GuessBudgets(
        per_target=Budget(settings.code_guesses_per_identifier, window),
        per_address=Budget(settings.code_guesses_per_address, window),
    )
    return OneTimeCodes(CodeStore(db, secret, AttemptLedger(db, clock), budgets), delivery)
