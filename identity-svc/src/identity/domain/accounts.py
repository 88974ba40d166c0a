"""Accounts that log in to My LM, and their life (RG-3..RG-5, LF-1..LF-4, AC-3, AC-5).

An account is an aggregate: every change inserts a new version (``mylm_shared.kernel.domain``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from mylm_shared.kernel.domain import Aggregate
from mylm_shared.kernel.periods import belgian_date

from identity.domain.members import is_minor_on

MEMBER = "member"
STAFF = "staff"

AccountStatus = Literal["active", "suspended", "ended"]
LoginMethod = Literal["password", "csam"]

# LF-2: why the mutuality may suspend or end access.
SUSPENSION_REASONS = (
    "breach-of-obligations",
    "legal-requirement",
    "system-security",
    "maintenance",
    "reported-misuse",
    "fraud-indication",
)


class AccountNotActive(Exception):
    """A suspended or ended account cannot log in, refresh or exchange (LF-2)."""


class InvalidAccountChange(ValueError):
    """The change does not apply to this account in its state."""


@dataclass(frozen=True)
class AccountCreated:
    account_id: str
    member_id: str
    method: LoginMethod
    terms_version: str
    terms_accepted_at: datetime


@dataclass(frozen=True)
class StatusChanged:
    account_id: str
    member_id: str | None
    status: AccountStatus
    reason: str | None
    tokens_invalid_before: datetime | None


@dataclass(frozen=True)
class TitularAccessChanged:
    dependant_member_id: str
    titular_member_id: str | None
    titular_may_access: bool
    changed_at: datetime


@dataclass(frozen=True)
class TitularAccess:
    """A dependant's own choice about their titular's access (AC-3, AC-5): the latest one,
    and whether it was made as an adult (AC-5 needs an adult's explicit grant)."""

    titular_may_access: bool
    set_at: datetime
    set_as_adult: bool


@dataclass(kw_only=True)
class Account(Aggregate):
    account_id: str
    username: str | None  # stored lower-case; unique case-insensitively (RG-3)
    password_hash: str | None  # None: the account logs in with CSAM only so far
    member_id: str | None  # None for staff
    roles: frozenset[str] = field(default_factory=lambda: frozenset({MEMBER}))
    status: AccountStatus = "active"
    status_reason: str | None = None  # LF-3: told to the user on request
    status_changed_at: datetime | None = None
    # Access tokens issued before this instant are refused everywhere (logout everywhere,
    # compromise, suspension, end).
    tokens_invalid_before: datetime | None = None
    password_reset_required: bool = False  # LF-4: after "report compromise"
    terms_version: str | None = None  # RG-4
    terms_accepted_at: datetime | None = None
    titular_access: TitularAccess | None = None
    created_at: datetime | None = None

    @property
    def aggregate_id(self) -> str:
        return self.account_id

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @classmethod
    def open(
        cls,
        *,
        account_id: str,
        member_id: str,
        username: str | None,
        password_hash: str | None,
        method: LoginMethod,
        terms_version: str,
        at: datetime,
    ) -> "Account":
        """A member's new account after they accepted the terms (RG-3, RG-4, RG-5)."""
        account = cls(
            account_id=account_id,
            username=username.lower() if username else None,
            password_hash=password_hash,
            member_id=member_id,
            terms_version=terms_version,
            terms_accepted_at=at,
            created_at=at,
        )
        account.raise_event(AccountCreated(account_id, member_id, method, terms_version, at))
        return account

    def ensure_active(self) -> None:
        if not self.is_active:
            raise AccountNotActive(self.account_id)

    def _status(
        self, status: AccountStatus, reason: str | None, at: datetime, *, revoke: bool
    ) -> None:
        self.status, self.status_reason, self.status_changed_at = status, reason, at
        if revoke:
            self.tokens_invalid_before = at
        self.raise_event(
            StatusChanged(self.account_id, self.member_id, status, reason, at if revoke else None)
        )

    def suspend(self, reason: str, at: datetime) -> None:
        """LF-2: with one of its reasons; every session and access token ends now."""
        if reason not in SUSPENSION_REASONS:
            raise InvalidAccountChange(f"reason must be one of {', '.join(SUSPENSION_REASONS)}")
        if self.status == "ended":
            raise InvalidAccountChange("the account has ended")
        self._status("suspended", reason, at, revoke=True)

    def reactivate(self, at: datetime) -> None:
        if self.status != "suspended":
            raise InvalidAccountChange("only a suspended account can be reactivated")
        self._status("active", None, at, revoke=False)

    def end(self, reason: str, at: datetime) -> None:
        """LF-1: the user's letter (recorded as the reason) or the mutuality's decision."""
        if self.status == "ended":
            raise InvalidAccountChange("the account has ended already")
        self._status("ended", reason, at, revoke=True)

    def revoke_tokens(self, at: datetime) -> None:
        """Logout everywhere: access tokens issued before now are refused everywhere."""
        self.tokens_invalid_before = at
        self.raise_event(
            StatusChanged(self.account_id, self.member_id, self.status, self.status_reason, at)
        )

    def report_compromise(self, at: datetime) -> None:
        """LF-4: every session ends and a new password is needed (set through a code)."""
        self.password_reset_required = True
        self.revoke_tokens(at)

    def set_password(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.password_reset_required = False

    def set_titular_access(
        self,
        titular_may_access: bool,
        *,
        birth_date: date,
        titular_member_id: str | None,
        at: datetime,
    ) -> None:
        """AC-3 (a minor revokes/restores) and AC-5 (an adult grants/withdraws)."""
        self.titular_access = TitularAccess(
            titular_may_access, at, set_as_adult=not is_minor_on(birth_date, belgian_date(at))
        )
        if self.member_id is not None:
            self.raise_event(
                TitularAccessChanged(self.member_id, titular_member_id, titular_may_access, at)
            )
