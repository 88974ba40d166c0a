"""Identity use cases: log in, refresh, register members in the directory, demo seed."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from identity.adapters.keys import SigningKey
from identity.adapters.passwords import hash_password, verify_password
from identity.adapters.refresh_tokens import RefreshTokens
from identity.adapters.repository import IdentityRepository
from identity.domain.members import Account, Member
from identity.domain.tokens import access_claims
from identity.settings import IdentitySettings


class InvalidCredentials(Exception):
    """Unknown user, wrong password or inactive account: callers cannot tell which."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass
class IdentityService:
    repository: IdentityRepository
    refresh_tokens: RefreshTokens
    signing_key: SigningKey
    settings: IdentitySettings

    async def _tokens_for(self, account: Account, refresh_token: str) -> TokenPair:
        lifetime = timedelta(seconds=self.settings.access_token_seconds)
        claims = access_claims(
            account,
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
            now=datetime.now(UTC),
            lifetime=lifetime,
        )
        return TokenPair(
            self.signing_key.sign(claims), refresh_token, int(lifetime.total_seconds())
        )

    async def log_in(self, username: str, password: str) -> TokenPair:
        account = await self.repository.account_by_username(username)
        password_ok = verify_password(account.password_hash if account else None, password)
        if account is None or not password_ok or not account.active:
            raise InvalidCredentials()
        return await self._tokens_for(account, await self.refresh_tokens.issue(account.account_id))

    async def refresh(self, refresh_token: str) -> TokenPair:
        rotated = await self.refresh_tokens.rotate(refresh_token)
        if rotated is None:
            raise InvalidCredentials()
        account_id, new_refresh = rotated
        account = await self.repository.account_by_id(account_id)
        if account is None or not account.active:
            raise InvalidCredentials()
        return await self._tokens_for(account, new_refresh)

    async def member(self, member_id: str) -> Member | None:
        return await self.repository.get_member(member_id)

    async def register_member(self, member: Member) -> Member:
        await self.repository.add_member(member)
        return member

    async def create_account(
        self, username: str, password: str, member_id: str | None, roles: frozenset[str]
    ) -> None:
        account = Account(str(uuid4()), username, hash_password(password), member_id, roles)
        await self.repository.add_account_if_missing(account)
