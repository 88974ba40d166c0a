"""Dossier access (AC-1..AC-6): which dossiers a user may open, the RFC 8693-style token
exchange that opens a dependant's, and a dependant's own choice about their titular.

Every decision is taken *now*, with the context's clock (AC-6): nothing is stored that
would need a job to expire it on an 18th birthday.
"""

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mylm_shared.aggregates import change
from mylm_shared.auth import Principal
from mylm_shared.kernel.periods import belgian_date

from identity.domain.accounts import Account, AccountNotActive, TitularAccess
from identity.domain.dossiers import (
    ClosedDossier,
    DossierAccess,
    titular_access,
    titular_decision,
)
from identity.domain.members import Member, is_minor_on
from identity.domain.tokens import exchanged_claims
from identity.service.context import IdentityContext, Origin, trail_of
from identity.service.directory import Directory


class NotForActingTokens(Exception):
    """A token exchanged for a dependant cannot list, exchange or change access itself."""


class NotAMember(Exception):
    """Staff (or any account without a member) have no dossier."""


class OwnDossier(Exception):
    """The user's own dossier needs no exchange: their access token opens it (AC-1)."""


class NoAccess(Exception):
    """No basis (AC-2, AC-5) for this dossier now, or no such dependant: the same answer."""


class NotADependant(Exception):
    """The member has no titular, so there is no titular's access to set (AC-3, AC-5)."""


@dataclass(frozen=True)
class ExchangedToken:
    access_token: str
    expires_in: int
    access: DossierAccess


@dataclass(frozen=True)
class AccessChoice:
    """A dependant's choice after a change, and what it means for the titular today."""

    choice: TitularAccess
    basis_now: DossierAccess | None


class _Unchanged(Exception):
    pass


@dataclass
class Dossiers:
    context: IdentityContext

    def _today(self) -> date:
        """The calendar day in Brussels now (AC-6: a birthday starts at local midnight)."""
        return belgian_date(self.context.clock())

    @property
    def _directory(self) -> Directory:
        return Directory(self.context)

    async def _own_account(self, principal: Principal) -> Account:
        """The caller's own member account (not staff, not an exchanged token)."""
        if principal.actor is not None:
            raise NotForActingTokens()
        if principal.is_staff or principal.member_id is None:
            raise NotAMember()
        account = await self.context.stores.accounts.get(principal.subject)
        if account is None or account.member_id != principal.member_id:
            raise NotAMember()
        return account

    async def listed(self, principal: Principal) -> list[DossierAccess | ClosedDossier]:
        """AC-1 the user's own dossier, then each dependant of their household (the
        members whose current entry names them titular; nobody else), oldest first: open
        with its basis today (AC-2; AC-5 if granted as an adult), or closed with the rule
        why (AC-3 revoked by the minor, AC-4 of age without a grant; issue 20 item 2).
        The same ``titular_decision`` as the exchange, so the two cannot disagree."""
        account = await self._own_account(principal)
        member_id = account.member_id
        assert member_id is not None  # checked by _own_account
        directory = self._directory
        me, dependants = await asyncio.gather(
            directory.member(member_id), directory.dependants_of(member_id)
        )
        accounts = await asyncio.gather(
            *(self.context.account_of_member(d.member_id) for d in dependants)
        )
        today = self._today()
        items = [DossierAccess(me, "self", "AC-1", None)] if me is not None else []
        decided = [
            titular_decision(dependant, dependant_account, today)
            for dependant, dependant_account in zip(dependants, accounts, strict=True)
        ]
        decided.sort(key=lambda d: (d.member.birth_date, d.member.member_id))
        return [*items, *decided]

    async def access_of(self, titular_member_id: str, member_id: str) -> DossierAccess | None:
        """The titular's access to ``member_id``'s dossier today, or None (also when the
        member does not exist or is not their dependant): ``titular_decision``, as listed."""
        dependant = await self._directory.member(member_id)
        if dependant is None or dependant.titular_member_id != titular_member_id:
            return None
        dependant_account = await self.context.account_of_member(member_id)
        return titular_access(dependant, dependant_account, self._today())

    async def exchange(
        self, principal: Principal, member_id: str, origin: Origin
    ) -> ExchangedToken:
        """RFC 8693: the user's access token for one whose subject is the dependant's
        dossier and whose ``act`` names the user; refused without a basis now (AC-6) or
        when the user's account is not active (LF-2). Recorded in both trails (LF-5)."""
        account = await self._own_account(principal)
        if member_id == account.member_id:
            raise OwnDossier()
        account.ensure_active()
        assert account.member_id is not None
        access = await self.access_of(account.member_id, member_id)
        if access is None:
            raise NoAccess()
        settings = self.context.settings
        claims = exchanged_claims(
            account,
            access,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            now=self.context.clock(),
            lifetime=timedelta(seconds=settings.dossier_token_seconds),
            auth_time=principal.auth_time,  # the titular's login, not the exchange
        )
        token = self.context.signing_key.sign(claims)
        details: dict[str, Any] = {"basis": access.basis, "jti": claims["jti"]}
        await self.context.record(
            trail_of(account), "dossier.token_exchanged", origin, dossier=member_id, **details
        )
        await self.context.record(
            member_id, "dossier.opened_by_titular", origin, titular=account.member_id, **details
        )
        return ExchangedToken(token, int(claims["exp"] - claims["iat"]), access)  # iat in ms

    async def set_titular_access(
        self, principal: Principal, titular_may_access: bool, origin: Origin
    ) -> AccessChoice:
        """A dependant's own account: a minor revokes/restores (AC-3), an adult grants or
        withdraws (AC-5). Emits ``access.changed`` with the new version; setting what is
        already set changes and emits nothing."""
        account = await self._own_account(principal)
        account.ensure_active()
        assert account.member_id is not None
        member = await self._directory.member(account.member_id)
        if member is None or member.titular_member_id is None:
            raise NotADependant()
        dependant: Member = member
        now = self.context.clock()
        as_adult = not is_minor_on(dependant.birth_date, belgian_date(now))

        def apply(stored: Account) -> None:
            current = stored.titular_access
            if current is not None and (current.titular_may_access, current.set_as_adult) == (
                titular_may_access,
                as_adult,
            ):
                raise _Unchanged()
            stored.set_titular_access(
                titular_may_access,
                birth_date=dependant.birth_date,
                titular_member_id=dependant.titular_member_id,
                at=now,
            )

        audited = self.context.audited(  # LF-5: in the same insert as the change
            "dossier.titular_access_changed",
            origin,
            titular=dependant.titular_member_id,
            titular_may_access=titular_may_access,
            as_adult=as_adult,
        )
        try:
            async with audited:  # unchanged: nothing saved, nothing recorded
                saved = await change(self.context.stores.accounts, account.account_id, apply)
        except _Unchanged:
            saved = await self.context.stores.accounts.get(account.account_id)
        assert saved is not None and saved.titular_access is not None
        return AccessChoice(saved.titular_access, titular_access(dependant, saved, self._today()))

    async def acting_refusal(self, principal: Principal) -> str | None:
        """identity-svc's own re-check of an exchanged token at each request: the acting
        account is still active and its tokens not revoked (LF-2), and the basis still
        holds now (AC-3/AC-5 withdrawn, AC-6 birthday). None: the token may be used."""
        actor = principal.actor
        if actor is None:
            return None
        account = await self.context.stores.accounts.get(actor.account_id)
        if account is None or not account.is_active:
            return "The account acting for this dossier is not active (LF-2)."
        revoked = account.tokens_invalid_before
        if revoked is not None and (principal.issued_at is None or principal.issued_at < revoked):
            return "The acting account's tokens were revoked."
        if actor.member_id is None or principal.member_id is None:
            return "The access to this dossier has ended."
        if await self.access_of(actor.member_id, principal.member_id) is None:
            return "The access to this dossier has ended (AC-3, AC-5, AC-6)."
        return None


__all__ = [
    "AccessChoice",
    "AccountNotActive",
    "Dossiers",
    "ExchangedToken",
    "NoAccess",
    "NotADependant",
    "NotAMember",
    "NotForActingTokens",
    "OwnDossier",
]
