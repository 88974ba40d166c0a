"""The ports identity's use cases depend on (issue 17 item 6): Protocols, each with one
adapter in ``adapters/`` and one in-memory fake in ``testkit/fakes/identity.py``.

Only what the use cases call, nothing more. The values that cross them are the
domain's (``domain/attempts.py``, ``domain/sessions.py``, ``domain/codes.py``,
``domain/csam.py``, ``domain/audit.py``); the adapters implement these structurally and
never import this module.
"""

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from mylm_shared.aggregates import AggregateStore
from mylm_shared.unique_keys import Keys

from identity.domain.accounts import Account
from identity.domain.attempts import Budget, Reservation
from identity.domain.audit import AuditEntry, Operation
from identity.domain.codes import Channel, CodeMessage, CodeRequest, Purpose
from identity.domain.csam import PendingLogin, PendingSignup
from identity.domain.members import Member
from identity.domain.reannouncement import Replayed, Run, StoredAccount, StoredMember
from identity.domain.sessions import Family

# --- members and accounts --------------------------------------------------------------


class IdentityStores(Protocol):
    """Members and accounts (versioned aggregates whose save carries their events: the
    transactional outbox) and the unique keys naming them (``domain/keys.py``)."""

    @property
    def members(self) -> AggregateStore[Member]: ...

    @property
    def accounts(self) -> AggregateStore[Account]: ...

    @property
    def keys(self) -> Keys: ...


class Passwords(Protocol):
    """argon2id (``adapters/passwords.py``): ~50 ms each, so called off the event loop.
    ``verify`` with no hash costs the same and is False (unknown usernames)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool: ...


# --- sessions -----------------------------------------------------------------------

ReuseRecorder = Callable[[str, str], Awaitable[None]]


class RefreshTokenStore(Protocol):
    """Rotating refresh tokens, one use each, grouped in families (sessions); a spent
    token presented again revokes its family and is told to ``on_reuse`` (LF-5)."""

    on_reuse: ReuseRecorder | None

    async def issue(self, account_id: str, family: Family | None = None) -> str: ...

    async def spend(self, token: str) -> Family | None: ...

    async def revoke(self, token: str) -> str | None: ...

    async def revoke_family(self, family_id: str) -> None: ...

    async def revoke_account(self, account_id: str) -> int: ...

    async def sessions_of(self, account_id: str) -> list[dict[str, object]]: ...


class LoginThrottle(Protocol):
    """Failed password checks per username and per address (issue 15 item 2): reserve
    before verifying (``Locked`` when a budget is spent), give back on success."""

    async def reserve(self, username: str | None, address: str | None) -> Reservation: ...

    async def succeeded(self, reservation: Reservation) -> None: ...


class TokenSigner(Protocol):
    """The signing key of access tokens and its JWKS (``adapters/keys.py``)."""

    def sign(self, claims: dict[str, Any]) -> str: ...

    def jwks(self) -> dict[str, Any]: ...


# --- one-time codes (RG-2, issue 15 item 1) -------------------------------------------


class CodeStore(Protocol):
    """Code requests (only a keyed digest of each code), their attempts, the hourly
    sends per contact, the guess budgets and the decoy masks."""

    def digest(self, code_id: str, purpose: Purpose, code: str) -> str: ...

    def target_of_identifier(self, identifier: str) -> str: ...

    async def count_attempt(self, key: str, budget: Budget) -> None: ...

    async def guesses_left(self, purpose: Purpose, target: str) -> bool: ...

    async def take_send_slot(self, contact_key: str, at: datetime, per_hour: int) -> bool: ...

    async def add(self, request: CodeRequest) -> None: ...

    async def decoy(self, channel: Channel, identifier: str) -> str: ...

    async def remember_mask(self, channel: Channel, member_id: str, mask: str) -> None: ...

    async def verify(
        self, code_id: str, purpose: Purpose, code: str, at: datetime, address: str | None = None
    ) -> CodeRequest: ...

    async def use(self, code_id: str, at: datetime) -> None: ...


class CodeDelivery(Protocol):
    """Sends codes, and runs the work that follows an answer, in the background."""

    def dispatch(self, channel: Channel, message: CodeMessage, code_id: str) -> None: ...

    def in_background(self, work: Coroutine[Any, Any, None]) -> None: ...


# --- CSAM (RG-5) ----------------------------------------------------------------------


class CsamProvider(Protocol):
    """The OpenID Connect provider (FAS; the local oidc-provider in dev and tests)."""

    @property
    def issuer(self) -> str: ...

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str: ...

    async def exchange(self, code: str, code_verifier: str) -> dict[str, Any]: ...

    async def verify_id_token(
        self, id_token: str, *, nonce: str, access_token: str, now: datetime
    ) -> dict[str, Any]: ...

    async def userinfo(self, access_token: str) -> dict[str, Any]: ...


class CsamLogins(Protocol):
    """CSAM logins in progress and pending sign-ups, each usable once."""

    async def add_login(self, login: PendingLogin) -> None: ...

    async def login(self, state: str) -> PendingLogin | None: ...

    async def used(self, kind: str, key: str) -> bool: ...

    async def use(self, kind: str, key: str, at: datetime) -> bool: ...

    async def add_signup(self, signup_id: str, signup: PendingSignup) -> None: ...

    async def signup(self, signup_id: str) -> PendingSignup | None: ...

    async def use_signup(self, signup_id: str, at: datetime) -> bool: ...


# --- the audit trail (LF-5) ------------------------------------------------------------


class AuditTrail(Protocol):
    """Each account's tamper-evident trail: ``audited`` puts the operation into the
    document of the aggregate change made inside its block (one insert), then chains it;
    ``record_later`` records after the answer (anti-enumeration)."""

    async def record(self, trail: str, operation: Operation, op_id: str | None = None) -> None: ...

    def record_later(self, trail: str, operation: Operation) -> None: ...

    async def entries(self, trail: str) -> list[AuditEntry]: ...

    def audited(
        self, operation: Operation, into: str | None = None
    ) -> AbstractAsyncContextManager[dict[str, Any]]: ...


# --- the re-announcement of the directory (issue 18 item 3, EI-2) ---------------------


class DirectorySnapshot(Protocol):
    """Accounts and members in id order, a page at a time (about ``limit`` stored
    versions read): their newest states, the id the page ends at (the next cursor) and
    whether nothing follows."""

    async def accounts_after(
        self, after: str, limit: int
    ) -> tuple[list[StoredAccount], str, bool]: ...

    async def members_after(
        self, after: str, limit: int
    ) -> tuple[list[StoredMember], str, bool]: ...


class Reannouncements(Protocol):
    """The runs of the re-announcement (a backfill generation or a staff request; one
    document each, done or not) and their batches (``mylm_shared.fanout.Batches``)."""

    async def open(self, run_id: str, at: datetime) -> None:
        """The run, to be done; a run opened already (done or not) is left as it is."""
        ...

    async def request(self, at: datetime) -> str:
        """A staff request's run: the one still to be done, else a new one."""
        ...

    async def pending(self) -> list[Run]:
        """The runs to be done, oldest first."""
        ...

    async def finish(self, run_id: str, at: datetime) -> None: ...

    async def done(self, run_id: str) -> bool: ...

    async def resume(self, run_id: str) -> tuple[int, str] | None: ...

    async def add_batch(
        self, run_id: str, number: int, after: str, events: Sequence[Replayed], last: bool
    ) -> None: ...
