"""In-memory fakes of identity-svc's ports (``identity/service/ports.py``), one per port,
and ``IdentityFakes``, which wires them with ``identity.bootstrap.bootstrap`` (issue 17
item 6): unit tests of identity's use cases without servers.

Each fake keeps the rules the use cases rely on from the real adapter: the throttle's
budgets reserved before a verification (all or none, never more than the limit among
parallel attempts, a success gives its own back), the codes' five attempts per request,
guess budgets, hourly sends, expiry, supersession and single use, the refresh tokens'
rotation, reuse detection (family revoked, reuse told) and lifetimes, the audit trail's
HMAC chain and ``audited`` writing the operation with the change (the real
``AuditingMapper`` over the in-memory aggregate store).
"""

import asyncio
import hashlib
import hmac
import math
import secrets
import uuid
from collections.abc import Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from identity.adapters.audit import AuditingMapper, audited
from identity.adapters.keys import SigningKey
from identity.adapters.reannouncement import announcement
from identity.adapters.store import AccountMapper, MemberMapper
from identity.bootstrap import bootstrap
from identity.domain.accounts import Account
from identity.domain.attempts import Budget, Locked, Reservation
from identity.domain.audit import AuditEntry, AuditKey, AuditKeys, Checkpoint, Operation, next_entry
from identity.domain.codes import (
    MAX_ATTEMPTS,
    Channel,
    CodeExpired,
    CodeLocked,
    CodeMessage,
    CodeRequest,
    CodeSuperseded,
    CodeUsed,
    Purpose,
    UnknownCode,
    WrongCode,
    code_digest,
    decoy_mask,
    guess_key,
    well_formed,
)
from identity.domain.csam import LoginRejected, PendingLogin, PendingSignup, digest
from identity.domain.members import Member, MemberEntry
from identity.domain.password_policy import normalized
from identity.domain.reannouncement import Replayed, Run, StoredAccount, StoredMember
from identity.domain.sessions import Family
from identity.service.audit import AuditAnchors
from identity.service.context import Origin
from identity.service.ports import ReuseRecorder
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.aggregates import AGGREGATE_ID, SAVED_AT, VERSION, AggregateStore, _loaded
from mylm_shared.fanout import Announcement
from mylm_shared.mongo import Document
from mylm_shared.unique_keys import Keys

from testkit.fakes.shared import InMemoryAggregates, InMemoryKeys


class MovableNow:
    """An aware UTC clock (``mylm_shared.auth.Clock``) a test moves by hand; it starts
    at the real now (tokens are checked for expiry against real time too)."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, by: timedelta) -> None:
        self.at += by


# --- members and accounts --------------------------------------------------------------


class FakeIdentityStores:
    """``IdentityStores``: the in-memory aggregate store with identity's own mappers,
    wrapped like the Mongo store's (``AuditingMapper``), so an operation recorded with
    ``audited`` goes with the change exactly as in production; ``published`` per store
    holds the events that would have gone to the bus."""

    def __init__(self) -> None:
        self.member_store: InMemoryAggregates[Member] = InMemoryAggregates(
            AuditingMapper(MemberMapper(), lambda member: member.member_id)
        )
        self.account_store: InMemoryAggregates[Account] = InMemoryAggregates(
            AuditingMapper(AccountMapper(), lambda a: a.member_id or a.account_id)
        )
        self.key_store = InMemoryKeys()

    @property
    def members(self) -> AggregateStore[Member]:
        return self.member_store

    @property
    def accounts(self) -> AggregateStore[Account]:
        return self.account_store

    @property
    def keys(self) -> Keys:
        return self.key_store

    def topics(self) -> list[str]:
        """The topics of every event published so far (members, then accounts)."""
        published = [*self.member_store.published, *self.account_store.published]
        return [message.spec.topic for message in published]


class FakePasswords:
    """``Passwords`` without argon2's cost: the NFKC form, tagged; counts verifications
    (a test of the throttle checks how many guesses were actually verified)."""

    def __init__(self) -> None:
        self.verifications = 0

    def hash(self, password: str) -> str:
        return "fake$" + hashlib.sha256(normalized(password).encode()).hexdigest()

    def verify(self, password_hash: str | None, password: str) -> bool:
        self.verifications += 1
        return password_hash is not None and hmac.compare_digest(password_hash, self.hash(password))


# --- sessions -----------------------------------------------------------------------


@dataclass
class _Token:
    family: Family
    expires_at: datetime


class FakeRefreshTokens:
    """``RefreshTokenStore``: one use per token; a spent token presented again revokes
    its family and is told to ``on_reuse``; a family ends ``absolute_lifetime`` after
    its login."""

    def __init__(
        self,
        clock: MovableNow,
        lifetime: timedelta = timedelta(days=14),
        absolute_lifetime: timedelta = timedelta(hours=12),
    ) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._absolute = absolute_lifetime
        self.tokens: dict[str, _Token] = {}
        self.spent: set[str] = set()
        self.families: dict[str, Family] = {}
        self.revoked: set[str] = set()
        self.on_reuse: ReuseRecorder | None = None

    async def issue(self, account_id: str, family: Family | None = None) -> str:
        now = self._clock()
        if family is None:
            family = Family(secrets.token_hex(8), account_id, now)
            self.families[family.family_id] = family
        token = secrets.token_urlsafe(32)
        expires = min(now + self._lifetime, family.started_at + self._absolute)
        self.tokens[token] = _Token(family, expires)
        return token

    async def spend(self, token: str) -> Family | None:
        found = self.tokens.get(token)
        if found is None or found.family.family_id in self.revoked:
            return None
        if token in self.spent:
            await self.revoke_family(found.family.family_id)
            if self.on_reuse is not None:
                await self.on_reuse(found.family.account_id, found.family.family_id)
            return None
        self.spent.add(token)
        now = self._clock()
        if found.expires_at <= now or found.family.started_at + self._absolute <= now:
            return None
        return found.family

    async def revoke(self, token: str) -> str | None:
        found = self.tokens.get(token)
        if found is None:
            return None
        await self.revoke_family(found.family.family_id)
        return found.family.account_id

    async def revoke_family(self, family_id: str) -> None:
        self.revoked.add(family_id)

    async def revoke_account(self, account_id: str) -> int:
        alive_since = self._clock() - self._absolute
        families = [
            f.family_id
            for f in self.families.values()
            if f.account_id == account_id and f.started_at > alive_since
        ]
        for family_id in families:
            await self.revoke_family(family_id)
        return len(families)

    async def sessions_of(self, account_id: str) -> list[dict[str, object]]:
        families = sorted(
            (f for f in self.families.values() if f.account_id == account_id),
            key=lambda f: f.started_at,
        )
        return [
            {"started_at": f.started_at, "revoked": f.family_id in self.revoked} for f in families
        ]


class FakeLedger:
    """Attempt budgets over a sliding window (``adapters/throttle.AttemptLedger``):
    ``reserve_all`` takes a slot in every budget or none, with nothing awaited in
    between, so parallel attempts never get more than the limit."""

    def __init__(self, clock: MovableNow) -> None:
        self._clock = clock
        self.slots: dict[str, dict[str, datetime]] = {}  # key -> slot id -> at

    def _counted(self, key: str, budget: Budget) -> list[datetime]:
        since = self._clock() - budget.window
        return [at for at in self.slots.get(key, {}).values() if at > since]

    def used(self, key: str, budget: Budget) -> int:
        return len(self._counted(key, budget))

    def available(self, key: str, budget: Budget) -> bool:
        return self.used(key, budget) < budget.limit

    def reserve_all(self, budgets: list[tuple[str, Budget]]) -> Reservation:
        now = self._clock()
        for key, budget in budgets:
            counted = self._counted(key, budget)
            if len(counted) >= budget.limit:
                wait = min(counted) + budget.window - now
                raise Locked(max(1, math.ceil(wait.total_seconds())))
        taken = []
        for key, _ in budgets:
            slot = f"{key}@{uuid.uuid4().hex}"
            self.slots.setdefault(key, {})[slot] = now
            taken.append(slot)
        return Reservation(tuple(taken))

    def release(self, reservation: Reservation) -> None:
        for slot in reservation.slots:
            key = slot.rsplit("@", 1)[0]
            self.slots.get(key, {}).pop(slot, None)


class FakeLoginThrottle:
    """``LoginThrottle``: failures per username (case-insensitive, known or not) and per
    address, reserved before verifying; a right password gives its own back."""

    def __init__(self, clock: MovableNow, settings: IdentitySettings) -> None:
        self.ledger = FakeLedger(clock)
        window = timedelta(seconds=settings.login_failure_window_seconds)
        self._per_account = Budget(settings.login_failures_per_account, window)
        self._per_address = Budget(settings.login_failures_per_address, window)

    def _keys(self, username: str | None, address: str | None) -> list[tuple[str, Budget]]:
        keys = []
        if username is not None:
            keys.append((f"login:account:{username.strip().casefold()}", self._per_account))
        if address:
            keys.append((f"login:address:{address}", self._per_address))
        return keys

    async def reserve(self, username: str | None, address: str | None) -> Reservation:
        return self.ledger.reserve_all(self._keys(username, address))

    async def succeeded(self, reservation: Reservation) -> None:
        self.ledger.release(reservation)

    async def failures(self, username: str) -> int:
        [(key, budget)] = self._keys(username, None)
        return self.ledger.used(key, budget)


class FakeSigningKey(SigningKey):
    """``TokenSigner``: a real Ed25519 key made in memory (signing is pure)."""

    def __init__(self) -> None:
        super().__init__(Ed25519PrivateKey.generate())


# --- one-time codes -------------------------------------------------------------------


class FakeCodeStore:
    """``CodeStore``: a request's checks in the real order (unknown, used, expired,
    superseded; then one of its ``MAX_ATTEMPTS`` attempts and a guess in each budget
    before the code is compared; a right code gives both back)."""

    def __init__(self, clock: MovableNow, settings: IdentitySettings) -> None:
        self._secret = secrets.token_bytes(32)
        self.ledger = FakeLedger(clock)
        window = timedelta(seconds=settings.code_guess_window_seconds)
        self._per_target = Budget(settings.code_guesses_per_identifier, window)
        self._per_address = Budget(settings.code_guesses_per_address, window)
        self.requests: dict[str, CodeRequest] = {}
        self.attempts: dict[str, set[int]] = {}
        self.used_codes: set[str] = set()
        self.sends: dict[str, int] = {}  # contact:hour -> sends
        self.masks: dict[str, dict[str, str]] = {"email": {}, "sms": {}}
        self.decoys: dict[str, str] = {}
        self.compared = 0  # codes compared with a guess

    def digest(self, code_id: str, purpose: Purpose, code: str) -> str:
        return code_digest(self._secret, code_id, purpose, code)

    def _keyed(self, label: str, value: str) -> bytes:
        return hmac.new(self._secret, f"{label}\x00{value}".encode(), "sha256").digest()

    def target_of_identifier(self, identifier: str) -> str:
        return f"id:{self._keyed('target', identifier.strip().casefold()).hex()[:32]}"

    async def count_attempt(self, key: str, budget: Budget) -> None:
        self.ledger.reserve_all([(key, budget)])

    async def guesses_left(self, purpose: Purpose, target: str) -> bool:
        return self.ledger.available(guess_key(purpose, target), self._per_target)

    async def take_send_slot(self, contact_key: str, at: datetime, per_hour: int) -> bool:
        slot = f"{contact_key}:{int(at.timestamp() // 3600)}"
        if self.sends.get(slot, 0) >= per_hour:
            return False
        self.sends[slot] = self.sends.get(slot, 0) + 1
        return True

    async def add(self, request: CodeRequest) -> None:
        if request.code_id in self.requests:
            raise ValueError(f"duplicate code request {request.code_id}")
        self.requests[request.code_id] = request

    async def decoy(self, channel: Channel, identifier: str) -> str:
        choice = f"{channel}:{identifier.strip().casefold()}"
        if choice not in self.decoys:
            seed = self._keyed("decoy", choice)
            pool = sorted(self.masks[channel].values())
            self.decoys[choice] = (
                pool[int.from_bytes(seed[4:8]) % len(pool)] if pool else decoy_mask(seed, channel)
            )
        return self.decoys[choice]

    async def remember_mask(self, channel: Channel, member_id: str, mask: str) -> None:
        slot = str(int.from_bytes(self._keyed("mask-slot", member_id)[:4]) % 256)
        self.masks[channel].setdefault(slot, mask)

    def _superseded(self, request: CodeRequest) -> bool:
        return request.target is not None and any(
            other.purpose == request.purpose
            and other.target == request.target
            and other.newer_than(request)
            for other in self.requests.values()
        )

    async def verify(
        self, code_id: str, purpose: Purpose, code: str, at: datetime, address: str | None = None
    ) -> CodeRequest:
        request = self.requests.get(code_id)
        if request is None or request.purpose != purpose:
            raise UnknownCode(code_id)
        if code_id in self.used_codes:
            raise CodeUsed(code_id)
        if request.expired(at):
            raise CodeExpired(code_id)
        if self._superseded(request):
            raise CodeSuperseded(code_id)
        budgets: list[tuple[str, Budget]] = []
        if request.target is not None:
            budgets.append((guess_key(purpose, request.target), self._per_target))
        if address:
            budgets.append((f"code-guess:address:{address}", self._per_address))
        taken = self.attempts.setdefault(code_id, set())
        attempt = next((n for n in range(1, MAX_ATTEMPTS + 1) if n not in taken), None)
        if attempt is None:
            raise CodeLocked(code_id)
        taken.add(attempt)
        try:
            reservation = self.ledger.reserve_all(budgets)
        except Locked:
            taken.discard(attempt)
            raise
        self.compared += 1
        matches = well_formed(code) and hmac.compare_digest(
            request.digest, self.digest(code_id, purpose, code)
        )
        if matches and request.live:
            self.ledger.release(reservation)
            taken.discard(attempt)
            return request
        if attempt >= MAX_ATTEMPTS:
            raise CodeLocked(code_id)
        raise WrongCode(MAX_ATTEMPTS - attempt)

    async def use(self, code_id: str, at: datetime) -> None:
        if code_id in self.used_codes:
            raise CodeUsed(code_id)
        self.used_codes.add(code_id)


@dataclass(frozen=True)
class SentCode:
    channel: Channel
    message: CodeMessage
    code_id: str


class FakeCodeDelivery:
    """``CodeDelivery``: what would have been sent, in ``sent``; the work after the
    answer runs as tasks, awaited by ``drain``."""

    def __init__(self) -> None:
        self.sent: list[SentCode] = []
        self._pending: set[asyncio.Task[None]] = set()

    def dispatch(self, channel: Channel, message: CodeMessage, code_id: str) -> None:
        self.sent.append(SentCode(channel, message, code_id))

    def in_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        while self._pending:
            await asyncio.gather(*self._pending)

    def code_for(self, code_id: str) -> str:
        """The code sent for a request (what the member reads in the message)."""
        [sent] = [s for s in self.sent if s.code_id == code_id]
        return sent.message.code


# --- CSAM ------------------------------------------------------------------------------


class FakeCsamProvider:
    """``CsamProvider``: the provider's side of a login. A test lets a login through
    with ``authenticate(state, national_number)``, which answers the code the provider
    would have redirected back with."""

    issuer = "https://csam.test"

    def __init__(self, claim: str = "national_number") -> None:
        self._claim = claim
        self._nonces: dict[str, str] = {}  # state -> nonce
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (nonce, national number)

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str:
        self._nonces[state] = nonce
        return f"{self.issuer}/authorize?state={state}"

    def authenticate(self, state: str, national_number: str) -> str:
        code = secrets.token_urlsafe(16)
        self._codes[code] = (self._nonces[state], national_number)
        return code

    async def exchange(self, code: str, code_verifier: str) -> dict[str, Any]:
        if code not in self._codes:
            raise LoginRejected("unknown code")
        return {"id_token": code, "access_token": f"at-{code}"}

    async def verify_id_token(
        self, id_token: str, *, nonce: str, access_token: str, now: datetime
    ) -> dict[str, Any]:
        expected, national_number = self._codes[id_token]
        if nonce != expected:
            raise LoginRejected("ID token: nonce")
        return {"sub": f"sub-{national_number}", self._claim: national_number}

    async def userinfo(self, access_token: str) -> dict[str, Any]:
        return {}


class FakeCsamLogins:
    """``CsamLogins``: logins in progress and sign-ups, each usable once."""

    def __init__(self) -> None:
        self.logins: dict[str, PendingLogin] = {}
        self.signups: dict[str, PendingSignup] = {}
        self.uses: set[str] = set()

    async def add_login(self, login: PendingLogin) -> None:
        self.logins[login.state] = login

    async def login(self, state: str) -> PendingLogin | None:
        return self.logins.get(state)

    async def used(self, kind: str, key: str) -> bool:
        return f"{kind}:{key}" in self.uses

    async def use(self, kind: str, key: str, at: datetime) -> bool:
        if f"{kind}:{key}" in self.uses:
            return False
        self.uses.add(f"{kind}:{key}")
        return True

    async def add_signup(self, signup_id: str, signup: PendingSignup) -> None:
        self.signups[digest(signup_id)] = signup

    async def signup(self, signup_id: str) -> PendingSignup | None:
        return self.signups.get(digest(signup_id))

    async def use_signup(self, signup_id: str, at: datetime) -> bool:
        return await self.use("signup", digest(signup_id), at)


# --- the audit trail -------------------------------------------------------------------


class FakeAuditTrail:
    """``AuditTrail`` in memory: the same HMAC chain (a random key per instance), the
    same ``audited`` (the operation goes with the change, then into the trail), one
    entry per operation id; ``record_later`` records at once."""

    def __init__(self, keys: AuditKeys | None = None) -> None:
        self.keys = keys or AuditKeys(AuditKey(secrets.token_bytes(32)))
        self.trails: dict[str, list[AuditEntry]] = {}

    async def record(self, trail: str, operation: Operation, op_id: str | None = None) -> None:
        self._append(trail, operation, op_id or uuid.uuid4().hex)

    def _append(self, trail: str, operation: Operation, op_id: str) -> None:
        entries = self.trails.setdefault(trail, [])
        if any(entry.op_id == op_id for entry in entries):
            return
        tail = entries[-1] if entries else None
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        entries.append(next_entry(self.keys.current, trail, tail, at, operation, op_id))

    def record_later(self, trail: str, operation: Operation) -> None:
        self._append(trail, operation, uuid.uuid4().hex)

    async def entries(self, trail: str) -> list[AuditEntry]:
        return list(self.trails.get(trail, []))

    def audited(
        self, operation: Operation, into: str | None = None
    ) -> AbstractAsyncContextManager[dict[str, Any]]:
        return audited(self, operation, into)

    def actions(self, trail: str) -> list[str]:
        return [entry.operation.action for entry in self.trails.get(trail, [])]


@dataclass
class FakeCheckpoints:
    """The checkpoints ``AuditAnchors`` reads (Kafka in production): none unless set."""

    latest: dict[str, Checkpoint] = field(default_factory=dict)

    async def __call__(self, trail: str) -> Checkpoint | None:
        return self.latest.get(trail)


# --- the re-announcement of the directory (issue 18 item 3, EI-2) ---------------------


def _versions_after(
    documents: dict[str, Document], after: str, limit: int
) -> tuple[dict[str, list[Document]], str, bool]:
    """``mylm_shared.aggregates.versions_after`` over the in-memory store's documents."""
    ordered = sorted(
        (d for d in documents.values() if d[AGGREGATE_ID] > after),
        key=lambda d: (d[AGGREGATE_ID], d[VERSION]),
    )
    size = max(limit, 2)
    page, exhausted = ordered[:size], len(ordered) <= size
    grouped: dict[str, list[Document]] = {}
    for doc in page:
        grouped.setdefault(doc[AGGREGATE_ID], []).append(doc)
    if not grouped:
        return {}, after, True
    last = next(reversed(grouped))
    grouped[last] = [d for d in ordered if d[AGGREGATE_ID] == last]
    return grouped, last, exhausted


class FakeDirectorySnapshot:
    """``DirectorySnapshot`` over the fake stores' documents (their ``saved_at``)."""

    def __init__(self, stores: FakeIdentityStores) -> None:
        self._stores = stores
        self.pages = 0  # pages read

    async def members_after(self, after: str, limit: int) -> tuple[list[StoredMember], str, bool]:
        self.pages += 1
        store = self._stores.member_store
        grouped, end, exhausted = _versions_after(store.documents, after, limit)
        members = [
            StoredMember(_loaded(store._mapper, docs[-1]), docs[-1][VERSION], docs[-1][SAVED_AT])
            for docs in grouped.values()
        ]
        return members, end, exhausted

    async def accounts_after(self, after: str, limit: int) -> tuple[list[StoredAccount], str, bool]:
        self.pages += 1
        store = self._stores.account_store
        grouped, end, exhausted = _versions_after(store.documents, after, limit)
        accounts = [
            StoredAccount(_loaded(store._mapper, docs[-1]), docs[0][SAVED_AT])
            for docs in grouped.values()
        ]
        return accounts, end, exhausted


class FakeReannouncements:
    """``Reannouncements``: runs and batches in memory; ``published`` every batch's
    events as the relay would publish them (mapped by the adapter's ``announcement``),
    once per batch written (a batch written twice is one batch)."""

    def __init__(self) -> None:
        self.runs: dict[str, tuple[datetime, bool]] = {}
        self.batches: dict[tuple[str, int], tuple[str, list[Announcement], bool]] = {}

    async def open(self, run_id: str, at: datetime) -> None:
        self.runs.setdefault(run_id, (at, False))

    async def request(self, at: datetime) -> str:
        requests = sorted(r for r in self.runs if r.startswith("request-"))
        pending = [r for r in requests if not self.runs[r][1]]
        if pending:
            return pending[0]
        run_id = f"request-{len(requests) + 1:06d}"
        await self.open(run_id, at)
        return run_id

    async def pending(self) -> list[Run]:
        runs = sorted((at, run_id) for run_id, (at, done) in self.runs.items() if not done)
        return [Run(run_id, at) for at, run_id in runs]

    async def finish(self, run_id: str, at: datetime) -> None:
        self.runs[run_id] = (self.runs[run_id][0], True)

    async def done(self, run_id: str) -> bool:
        return run_id in self.runs and self.runs[run_id][1]

    async def resume(self, run_id: str) -> tuple[int, str] | None:
        number, after = 0, ""
        while (batch := self.batches.get((run_id, number))) is not None:
            if batch[2]:
                return None
            number, after = number + 1, batch[0]
        return number, after

    async def add_batch(
        self, run_id: str, number: int, after: str, events: Sequence[Replayed], last: bool
    ) -> None:
        announcements = [announcement(replayed) for replayed in events]
        self.batches.setdefault((run_id, number), (after, announcements, last))

    @property
    def published(self) -> list[Announcement]:
        return [a for _, (_, events, _) in sorted(self.batches.items()) for a in events]


# --- all of them, wired ---------------------------------------------------------------


def unit_settings(**overrides: Any) -> IdentitySettings:
    """identity's settings for unit tests (no server is reached)."""
    return IdentitySettings(**{"profile": "test", **overrides})


class IdentityFakes:
    """Every port of identity faked, sharing one movable clock; ``use_cases()`` wires
    them with ``identity.bootstrap.bootstrap``, like the service does with its real
    adapters."""

    def __init__(
        self, settings: IdentitySettings | None = None, clock: MovableNow | None = None
    ) -> None:
        self.settings = settings or unit_settings()
        self.clock = clock or MovableNow()
        self.stores = FakeIdentityStores()
        self.passwords = FakePasswords()
        self.refresh_tokens = FakeRefreshTokens(
            self.clock,
            timedelta(days=self.settings.refresh_token_days),
            timedelta(hours=self.settings.session_absolute_hours),
        )
        self.signing_key = FakeSigningKey()
        self.audit = FakeAuditTrail()
        self.checkpoints = FakeCheckpoints()
        self.throttle = FakeLoginThrottle(self.clock, self.settings)
        self.codes = FakeCodeStore(self.clock, self.settings)
        self.code_delivery = FakeCodeDelivery()
        self.csam_provider = FakeCsamProvider(self.settings.csam_national_number_claim)
        self.csam_logins = FakeCsamLogins()
        self.directory_snapshot = FakeDirectorySnapshot(self.stores)
        self.reannouncements = FakeReannouncements()
        self.paused: list[float] = []  # the re-announcement's pauses between batches

    async def _pause(self, seconds: float) -> None:
        self.paused.append(seconds)

    def use_cases(self) -> IdentityUseCases:
        return bootstrap(
            self.settings,
            stores=self.stores,
            passwords=self.passwords,
            refresh_tokens=self.refresh_tokens,
            signing_key=self.signing_key,
            audit=self.audit,
            anchors=AuditAnchors(self.audit.keys, self.checkpoints),
            throttle=self.throttle,
            codes=self.codes,
            code_delivery=self.code_delivery,
            csam_provider=self.csam_provider,
            csam_logins=self.csam_logins,
            directory_snapshot=self.directory_snapshot,
            reannouncements=self.reannouncements,
            clock=self.clock,
            sleep=self._pause,
        )


PASSWORD = "a quiet walk along the Scheldt"  # passes the password policy
_serials = iter(range(100, 998))


def insz(born: date) -> str:
    """A valid INSZ/NISS for ``born`` (mod 97, a leading 2 for births from 2000)."""
    body = f"{born:%y%m%d}{next(_serials):03d}"
    checked = int(("2" if born.year >= 2000 else "") + body)
    return f"{body}{97 - checked % 97:02d}"


async def enrol(
    use_cases: IdentityUseCases,
    name: str,
    born: date,
    *,
    titular: str | None = None,
    account: bool = True,
    password: str = PASSWORD,
    mobile: str | None = "+32470123456",
) -> Member:
    """A member in the directory (``Directory.register``) and, unless ``account`` is
    False, their account with username ``name`` (``AccountOpening.open``)."""
    entry = MemberEntry(
        member_number=f"M-{name}",
        national_number=insz(born),
        first_name=name.title(),
        last_name="Peeters",
        birth_date=born,
        language="nl",
        mutuality="LM Plus",
        email=f"{name}@example.org",
        mobile=mobile,
        titular_member_id=titular,
    )
    member = await use_cases.directory.register(entry)
    if account:
        await use_cases.opening.open(
            member,
            username=name,
            password_hash=use_cases.context.passwords.hash(password),
            method="password",
            terms_version=use_cases.settings.terms_version,
            origin=Origin("192.0.2.1"),
        )
    return member
