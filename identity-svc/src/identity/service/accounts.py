"""Opening accounts (by registration code, by CSAM, or the demo seed): one per member,
usernames unique case-insensitively (RG-3), terms version and time recorded (RG-4)."""

from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.unique_keys import KeyTaken

from identity.domain.accounts import Account, LoginMethod
from identity.domain.keys import member_account_key, username_key
from identity.domain.members import Member
from identity.service.context import IdentityContext, Origin


class UsernameTaken(Exception):
    pass


class AccountExists(Exception):
    """The member has an account already."""


def account_id_for(member_id: str) -> str:
    """Derived from the member, so a retried or concurrent opening finds the same id."""
    return str(uuid5(NAMESPACE_URL, f"urn:mylm:account:{member_id}"))


@dataclass
class AccountOpening:
    context: IdentityContext

    async def open(
        self,
        member: Member,
        *,
        username: str | None,
        password_hash: str | None,
        method: LoginMethod,
        terms_version: str,
        origin: Origin,
    ) -> Account:
        account_id = account_id_for(member.member_id)
        keys = self.context.stores.keys
        try:
            await keys.claim(member_account_key(member.member_id), account_id)
        except KeyTaken:
            raise AccountExists(member.member_id) from None
        if await self.context.stores.accounts.get(account_id) is not None:
            raise AccountExists(member.member_id)
        if username is not None:
            try:
                await keys.claim(username_key(username), account_id)
            except KeyTaken:
                raise UsernameTaken(username) from None
        account = Account.open(
            account_id=account_id,
            member_id=member.member_id,
            username=username,
            password_hash=password_hash,
            method=method,
            terms_version=terms_version,
            at=self.context.clock(),
        )
        audited = self.context.audited(  # LF-5: in the same insert as the change
            "account.created", origin, method=method, terms=terms_version
        )
        try:
            async with audited:
                await self.context.stores.accounts.save(account)
        except AggregateExists:
            raise AccountExists(member.member_id) from None
        return account
