"""What every identity use case works with: the ports (``service/ports.py``), the
settings and the clock, all set (built once by ``bootstrap``; fakes in unit tests)."""

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from mylm_shared.auth import Clock, Principal

from identity.domain.accounts import Account
from identity.domain.audit import Operation
from identity.domain.keys import member_account_key, username_key
from identity.service.ports import (
    AuditTrail,
    CodeDelivery,
    CodeStore,
    CsamLogins,
    CsamProvider,
    IdentityStores,
    LoginThrottle,
    Passwords,
    RefreshTokenStore,
    TokenSigner,
)
from identity.settings import IdentitySettings


@dataclass(frozen=True)
class Origin:
    """Who asks and from where, for the audit trail (LF-5)."""

    address: str | None
    principal: Principal | None = None

    @property
    def by(self) -> str | None:
        return self.principal.account_id if self.principal else None

    @property
    def acting_for(self) -> str | None:
        principal = self.principal
        return principal.member_id if principal and principal.actor else None


def _operation(action: str, origin: Origin, details: dict[str, object]) -> Operation:
    return Operation(
        action=action,
        by=origin.by,
        source=origin.address,
        acting_for=origin.acting_for,
        details=dict(details),
    )


def trail_of(account: Account) -> str:
    """An account's audit trail is keyed by its member id (staff: the account id)."""
    return account.member_id or account.account_id


@dataclass(frozen=True)
class IdentityContext:
    settings: IdentitySettings
    clock: Clock
    stores: IdentityStores
    passwords: Passwords
    refresh_tokens: RefreshTokenStore
    signing_key: TokenSigner
    audit: AuditTrail
    # Failed password checks per username and address (issue 7 item 3, issue 15 item 2).
    throttle: LoginThrottle
    # One-time codes and their delivery (registration, password reset; RG-2).
    codes: CodeStore
    code_delivery: CodeDelivery
    # The CSAM relying party (None: not configured) and its pending logins (RG-5).
    csam_provider: CsamProvider | None
    csam_logins: CsamLogins

    async def record(self, trail: str, action: str, origin: Origin, **details: object) -> None:
        """Append one operation to the account's tamper-evident trail (LF-5)."""
        await self.audit.record(trail, _operation(action, origin, details))

    def record_after_answer(
        self, trail: str, action: str, origin: Origin, **details: object
    ) -> None:
        """The same, written after the answer (an attempt that changed nothing, whose
        answer must not take longer when the account exists: anti-enumeration)."""
        self.audit.record_later(trail, _operation(action, origin, details))

    def audited(
        self, action: str, origin: Origin, *, into: str | None = None, **details: object
    ) -> AbstractAsyncContextManager[dict[str, Any]]:
        """LF-5, issue 15 item 6: the operation goes into the document of the aggregate
        change made inside the block (one insert), then into the trail ``into`` or else
        that aggregate's (its member, or a staff account); ``AuditTrail.audited``."""
        return self.audit.audited(_operation(action, origin, details), into)

    async def account_by_username(self, username: str) -> Account | None:
        account_id = await self.stores.keys.owner(username_key(username))
        return await self.stores.accounts.get(account_id) if account_id else None

    async def account_of_member(self, member_id: str) -> Account | None:
        account_id = await self.stores.keys.owner(member_account_key(member_id))
        return await self.stores.accounts.get(account_id) if account_id else None
