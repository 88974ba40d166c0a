"""Sessions: log in with a password, refresh (rotating), log out, log out everywhere,
change the password (issue 7 item 3; LF-4 and LF-5).

argon2id costs ~50 ms of CPU per check or hash: always ``asyncio.to_thread``.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mylm_shared.aggregates import change

from identity.domain.accounts import Account
from identity.domain.attempts import Locked
from identity.domain.password_policy import password_problems
from identity.domain.sessions import Family
from identity.domain.tokens import access_claims
from identity.service.context import IdentityContext, Origin, trail_of

__all__ = [
    "InvalidCredentials",
    "Locked",
    "PasswordRejected",
    "PasswordResetRequired",
    "Sessions",
    "TokenPair",
]


class InvalidCredentials(Exception):
    """Unknown user, wrong password or unusable account: callers cannot tell which."""


class PasswordResetRequired(Exception):
    """LF-4: the right password of an account reported compromised; only a reset through
    a code sent to the contact on file opens it again. Told only to whoever proved the
    password, so it reveals nothing to a guesser."""


class PasswordRejected(ValueError):
    """The new password breaks the policy (NIST SP 800-63B): one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass
class Sessions:
    context: IdentityContext

    def access_token(self, account: Account, auth_time: datetime | None = None) -> tuple[str, int]:
        """``auth_time``: the session's login (a refresh keeps it); None for a login now."""
        settings = self.context.settings
        lifetime = timedelta(seconds=settings.access_token_seconds)
        claims = access_claims(
            account,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            now=self.context.clock(),
            lifetime=lifetime,
            auth_time=auth_time,
        )
        return self.context.signing_key.sign(claims), int(lifetime.total_seconds())

    async def open_session(self, account: Account, origin: Origin, method: str) -> TokenPair:
        refresh_token = await self.context.refresh_tokens.issue(account.account_id)
        access_token, expires_in = self.access_token(account)
        await self.context.record(trail_of(account), "session.created", origin, method=method)
        return TokenPair(access_token, refresh_token, expires_in)

    async def _check_password(
        self, username: str, account: Account | None, password: str, origin: Origin
    ) -> bool:
        """Throttled per username and address (issue 15 item 2): an attempt is reserved
        in both budgets *before* the password is verified, so of any number of parallel
        guesses at most the budget is verified; the rest raise ``Locked`` unverified.
        A wrong password keeps its reservation (a failure, unknown usernames too: a lock
        must not tell which exist); a right one gives its own back."""
        throttle = self.context.throttle
        try:
            reservation = await throttle.reserve(username, origin.address)
        except Locked:
            if account is not None:  # LF-5: a refused attempt is proof too (issue 15 item 6)
                self.context.record_after_answer(trail_of(account), "login.locked", origin)
            raise
        password_ok = await asyncio.to_thread(
            self.context.passwords.verify, account.password_hash if account else None, password
        )
        if not password_ok and account is not None:  # LF-5, issue 15 item 6
            self.context.record_after_answer(trail_of(account), "login.failed", origin)
        if password_ok:
            await throttle.succeeded(reservation)
        return password_ok and account is not None

    async def log_in(self, username: str, password: str, origin: Origin) -> TokenPair:
        account = await self.context.account_by_username(username)
        if not await self._check_password(username, account, password, origin):
            raise InvalidCredentials()
        assert account is not None
        if not account.is_active:
            raise InvalidCredentials()
        if account.password_reset_required:
            raise PasswordResetRequired()
        return await self.open_session(account, origin, "password")

    def _family_refused(self, account: Account | None, family: Family) -> bool:
        if account is None or not account.is_active or account.password_reset_required:
            return True
        revoked_at = account.tokens_invalid_before
        return revoked_at is not None and family.started_at < revoked_at

    def jwks(self) -> dict[str, Any]:
        """The public keys access tokens are signed with (current, then previous)."""
        return self.context.signing_key.jwks()

    async def refresh(self, refresh_token: str) -> TokenPair:
        """One rotation; refused for a spent (the family is revoked), expired or revoked
        token, past the session's absolute lifetime, for an account that is not active,
        must reset its password (LF-4), or logged out everywhere after this login."""
        tokens = self.context.refresh_tokens
        family = await tokens.spend(refresh_token)
        if family is None:
            raise InvalidCredentials()
        account = await self.context.stores.accounts.get(family.account_id)
        if self._family_refused(account, family):
            await tokens.revoke_family(family.family_id)
            raise InvalidCredentials()
        assert account is not None
        new_refresh = await tokens.issue(account.account_id, family)
        access_token, expires_in = self.access_token(account, auth_time=family.started_at)
        return TokenPair(access_token, new_refresh, expires_in)

    async def revoke(self, refresh_token: str, origin: Origin) -> None:
        """Log out: this session (the token's family) ends."""
        account_id = await self.context.refresh_tokens.revoke(refresh_token)
        account = await self.context.stores.accounts.get(account_id) if account_id else None
        if account is not None:
            await self.context.record(trail_of(account), "session.revoked", origin)

    async def _end_every_session(self, account_id: str, apply_first: str | None) -> Account:
        """Every refresh-token family of the account is revoked and every access token
        issued so far refused (``tokens_invalid_before``, announced as
        account.status_changed so every service refuses them too)."""
        # Access tokens carry ``iat`` in milliseconds (domain/tokens.py), so the cut-off
        # is exact: the token issued right after it is not refused.
        at = self.context.clock()

        def revoke(account: Account) -> None:
            if apply_first is not None:
                account.set_password(apply_first)
            account.revoke_tokens(at)

        account = await change(self.context.stores.accounts, account_id, revoke)
        if account is None:
            raise InvalidCredentials()
        await self.context.refresh_tokens.revoke_account(account_id)
        return account

    async def log_out_everywhere(self, account_id: str, origin: Origin) -> None:
        async with self.context.audited("sessions.revoked_all", origin):  # LF-5
            await self._end_every_session(account_id, None)

    async def change_password(
        self, account_id: str, current_password: str, new_password: str, origin: Origin
    ) -> TokenPair:
        """Needs the current password (throttled like a login); the new one must pass the
        policy. Every session ends, this one included; the answer is a new session."""
        account = await self.context.stores.accounts.get(account_id)
        if account is None:
            raise InvalidCredentials()
        throttle_key = account.username or account.account_id  # CSAM-only: no password
        if not await self._check_password(throttle_key, account, current_password, origin):
            raise InvalidCredentials()
        account.ensure_active()
        if account.password_reset_required:  # LF-4: only a reset through a code
            raise PasswordResetRequired()
        problems = password_problems(new_password, username=account.username)
        if problems:
            raise PasswordRejected(problems)
        new_hash = await asyncio.to_thread(self.context.passwords.hash, new_password)
        async with self.context.audited("password.changed", origin):  # LF-5
            account = await self._end_every_session(account_id, new_hash)
        return await self.open_session(account, origin, "password-change")
