"""Password reset through a code to the contact on file (issue 7 item 3), which is also
how an account leaves LF-4's forced reset after "report compromise".

Same anti-enumeration rules as registration (``service/registration.py``). A reset sets
the new password, ends every session (access tokens via ``tokens_invalid_before`` and
``account.status_changed``, refresh-token families revoked) and goes into the trail.
"""

import asyncio
from dataclasses import dataclass

from mylm_shared.aggregates import change

from identity.domain.accounts import Account
from identity.domain.codes import Channel, UnknownCode, national_number_in
from identity.domain.keys import (
    member_account_key,
    member_number_key,
    national_number_key,
    username_key,
)
from identity.domain.members import Member
from identity.service.context import IdentityContext, Origin
from identity.service.registration import (
    NOBODY,
    CodeSent,
    check_password,
    count_call,
    issue_code,
)


@dataclass
class PasswordReset:
    context: IdentityContext

    async def _account_by_identifier(self, identifier: str) -> tuple[Account, Member] | None:
        """By username, member number or INSZ; always the same six reads."""
        keys, stores = self.context.stores.keys, self.context.stores
        national = national_number_in(identifier)
        by_username, by_number, by_national = await asyncio.gather(
            keys.owner(username_key(identifier)),
            keys.owner(member_number_key(identifier)),
            keys.owner(national_number_key(national or NOBODY)),
        )
        of_member = await keys.owner(member_account_key(by_national or by_number or NOBODY))
        account = await stores.accounts.get(by_username or of_member or NOBODY)
        member = await stores.members.get(
            account.member_id if account and account.member_id else NOBODY
        )
        if account is None or member is None or account.status == "ended":
            return None  # staff (no member on file) and ended accounts get no code
        return account, member

    async def request(self, identifier: str, channel: Channel, origin: Origin) -> CodeSent:
        await count_call(self.context, "request", origin)
        found = await self._account_by_identifier(identifier)
        return await issue_code(
            self.context,
            purpose="password-reset",
            channel=channel,
            identifier=identifier,
            member=found[1] if found else None,
            account_id=found[0].account_id if found else None,
            origin=origin,
        )

    async def confirm(self, code_id: str, code: str, new_password: str, origin: Origin) -> None:
        """The code first (issue 15 item 1): before it, nothing about the account (its
        username, through the password policy) is looked at."""
        await count_call(self.context, "confirm", origin)
        store = self.context.codes
        request = await store.verify(
            code_id, "password-reset", code, self.context.clock(), origin.address
        )
        accounts = self.context.stores.accounts
        account = await accounts.get(request.account_id or NOBODY)
        if account is None or request.account_id is None:
            raise UnknownCode(code_id)
        # A right code with a refused password spends no attempt: the user tries again.
        check_password(new_password, account.username)
        await store.use(code_id, self.context.clock())  # one reset per code, even concurrently
        password_hash = await asyncio.to_thread(self.context.passwords.hash, new_password)
        at = self.context.clock()

        def apply(current: Account) -> None:
            current.set_password(password_hash)  # also ends LF-4's forced reset
            current.revoke_tokens(at)

        audited = self.context.audited(  # LF-5: in the same insert as the change
            "password.reset", origin, request=code_id, channel=request.channel
        )
        async with audited:
            await change(accounts, request.account_id, apply)
        await self.context.refresh_tokens.revoke_account(request.account_id)
