"""Account life (LF-1..LF-4): staff suspend, reactivate and end accounts; the user reads
their account's status and its reason (LF-3) and reports compromised credentials (LF-4).

Every change goes through the Account aggregate, which raises ``account.status_changed``
(with ``tokens_invalid_before`` when tokens must go): every service's revocation list
(``mylm_shared.revocations``) then refuses the account's access tokens issued before,
within seconds. The account's refresh-token families are revoked here too, so no
session comes back, not even after a reactivation. Every operation goes into the
member's audit trail (LF-5).
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mylm_shared.aggregates import change

from identity.domain.accounts import Account, AccountStatus, InvalidAccountChange
from identity.service.context import IdentityContext, Origin

__all__ = ["AccountLife", "AccountState", "InvalidAccountChange", "NoAccount", "WrongCredentials"]


class NoAccount(LookupError):
    """The member has no My LM account (or there is no such member)."""


class WrongCredentials(Exception):
    """Unknown user or wrong password (callers cannot tell which)."""


@dataclass(frozen=True)
class AccountState:
    """What the user is told about their account (LF-3): refused fully (suspended,
    ended) with the stored reason, or partly (a new password is needed, LF-4)."""

    account_id: str
    member_id: str | None
    status: AccountStatus
    reason: str | None
    changed_at: datetime | None
    password_reset_required: bool

    @classmethod
    def of(cls, account: Account) -> "AccountState":
        return cls(
            account_id=account.account_id,
            member_id=account.member_id,
            status=account.status,
            reason=account.status_reason,
            changed_at=account.status_changed_at,
            password_reset_required=account.password_reset_required,
        )


@dataclass
class AccountLife:
    context: IdentityContext

    async def suspend(self, member_id: str, reason: str, origin: Origin) -> AccountState:
        """LF-2: with one of its reasons; every session and access token ends now."""
        at = self.context.clock()
        async with self.context.audited("account.suspended", origin, reason=reason):  # LF-5
            account = await self._change(member_id, lambda a: a.suspend(reason, at))
        await self._end_sessions(account)
        return AccountState.of(account)

    async def reactivate(self, member_id: str, origin: Origin) -> AccountState:
        """The user logs in again; the tokens and sessions of before stay refused."""
        at = self.context.clock()
        async with self.context.audited("account.reactivated", origin):  # LF-5
            account = await self._change(member_id, lambda a: a.reactivate(at))
        return AccountState.of(account)

    async def end(self, member_id: str, reason: str, origin: Origin) -> AccountState:
        """LF-1: the user's letter to the mutuality (recorded as the reason), or the
        mutuality's decision to stop access (art. 6.2)."""
        at = self.context.clock()
        async with self.context.audited("account.ended", origin, reason=reason):  # LF-5
            account = await self._change(member_id, lambda a: a.end(reason, at))
        await self._end_sessions(account)
        return AccountState.of(account)

    async def report_compromise(self, account_id: str, origin: Origin) -> AccountState:
        """LF-4: every session ends and the account needs a new password, set only
        through a code sent to the contact on file (``POST /v1/password-resets``)."""
        at = self.context.clock()
        async with self.context.audited("account.compromise_reported", origin):  # LF-5
            account = await change(
                self.context.stores.accounts, account_id, lambda a: a.report_compromise(at)
            )
        if account is None:
            raise NoAccount(account_id)
        await self._end_sessions(account)
        return AccountState.of(account)

    async def state(self, account_id: str) -> AccountState:
        account = await self.context.stores.accounts.get(account_id)
        if account is None:
            raise NoAccount(account_id)
        return AccountState.of(account)

    async def state_by_credentials(
        self, username: str, password: str, origin: Origin
    ) -> AccountState:
        """LF-3 for a user whose tokens are refused and who cannot log in any more: the
        password proves who asks. Throttled and answered like a login."""
        throttle = self.context.throttle
        # Reserved before verifying (issue 15 item 2); raises Locked.
        reservation = await throttle.reserve(username, origin.address)
        account = await self.context.account_by_username(username)
        password_hash = account.password_hash if account else None
        if not await asyncio.to_thread(self.context.passwords.verify, password_hash, password):
            raise WrongCredentials()  # the reservation stays: a failure
        await throttle.succeeded(reservation)
        assert account is not None
        return AccountState.of(account)

    async def _change(self, member_id: str, apply: Callable[[Account], None]) -> Account:
        found = await self.context.account_of_member(member_id)
        if found is None:
            raise NoAccount(member_id)
        account = await change(self.context.stores.accounts, found.account_id, apply)
        if account is None:
            raise NoAccount(member_id)
        return account

    async def _end_sessions(self, account: Account) -> None:
        await self.context.refresh_tokens.revoke_account(account.account_id)
