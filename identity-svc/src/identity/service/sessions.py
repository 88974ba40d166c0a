"""Sessions: log in with a password, refresh (rotating), log out."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

from identity.adapters.passwords import verify_password
from identity.domain.accounts import Account
from identity.domain.tokens import access_claims
from identity.service.context import IdentityContext, Origin, trail_of


class InvalidCredentials(Exception):
    """Unknown user, wrong password or unusable account: callers cannot tell which."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass
class Sessions:
    context: IdentityContext

    def access_token(self, account: Account) -> tuple[str, int]:
        settings = self.context.settings
        lifetime = timedelta(seconds=settings.access_token_seconds)
        claims = access_claims(
            account,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            now=self.context.clock(),
            lifetime=lifetime,
        )
        return self.context.signing_key.sign(claims), int(lifetime.total_seconds())

    async def open_session(self, account: Account, origin: Origin, method: str) -> TokenPair:
        refresh_token = await self.context.refresh_tokens.issue(account.account_id)
        access_token, expires_in = self.access_token(account)
        await self.context.record(trail_of(account), "session.created", origin, method=method)
        return TokenPair(access_token, refresh_token, expires_in)

    async def log_in(self, username: str, password: str, origin: Origin) -> TokenPair:
        account = await self.context.account_by_username(username)
        # argon2id costs ~50 ms of CPU: off the event loop (issue 7).
        password_ok = await asyncio.to_thread(
            verify_password, account.password_hash if account else None, password
        )
        if account is None or not password_ok or not account.is_active:
            raise InvalidCredentials()
        return await self.open_session(account, origin, "password")

    async def refresh(self, refresh_token: str) -> TokenPair:
        rotated = await self.context.refresh_tokens.rotate(refresh_token)
        if rotated is None:
            raise InvalidCredentials()
        account_id, new_refresh = rotated
        account = await self.context.stores.accounts.get(account_id)
        if account is None or not account.is_active:
            raise InvalidCredentials()
        access_token, expires_in = self.access_token(account)
        return TokenPair(access_token, new_refresh, expires_in)

    async def revoke(self, refresh_token: str) -> None:
        await self.context.refresh_tokens.revoke(refresh_token)
