"""Rotating refresh tokens: opaque, stored only as SHA-256, one use each.

A login starts a *family* (one session); each refresh spends its token and issues the
next one of the same family. Presenting a used token again means it leaked: the whole
family is revoked. A family ends ``absolute_lifetime`` after its login however often it
was refreshed (a stolen token cannot be kept alive for ever).

Insert-only (docs/write-patterns.md): spending a token *inserts* its digest into
``refresh_tokens_spent``, so of two concurrent refreshes with one token exactly one
wins (the unique ``_id``) and the other is treated as reuse. A ``$set used=true`` would
let both win on FerretDB v1, which applies updates between a read and a write.
Revoking a family inserts it into ``refresh_token_families_revoked``; the families of
an account are listed in ``refresh_token_families`` (indexed by account) so "log out
everywhere" can revoke each.
"""

import asyncio
import contextlib
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from mylm_shared.auth import Clock, utc_now
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.domain.sessions import Family

__all__ = ["FAMILIES", "REFRESH_TOKEN_INDEXES", "Family", "RefreshTokens"]

FAMILIES = "refresh_token_families"
REFRESH_TOKEN_INDEXES = [IndexSpec(FAMILIES, [("account_id", 1)])]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokens:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        lifetime: timedelta,
        *,
        absolute_lifetime: timedelta = timedelta(hours=12),
        clock: Clock = utc_now,
    ) -> None:
        self._tokens = db["refresh_tokens"]
        self._spent = db["refresh_tokens_spent"]
        self._families = db[FAMILIES]
        self._revoked = db["refresh_token_families_revoked"]
        self._lifetime = lifetime
        self._absolute = absolute_lifetime
        self._clock = clock
        # Told (account id, family id) when a spent token is presented again (issue 15
        # item 6: refresh-token reuse goes into the account's audit trail).
        self.on_reuse: Callable[[str, str], Awaitable[None]] | None = None

    async def issue(self, account_id: str, family: Family | None = None) -> str:
        """A new session's first token (``family`` None) or the next token of ``family``."""
        now = self._clock()
        if family is None:
            family = Family(secrets.token_hex(8), account_id, now)
            await self._families.insert_one(
                {"_id": family.family_id, "account_id": account_id, "started_at": now}
            )
        token = secrets.token_urlsafe(32)
        await self._tokens.insert_one(
            {
                "_id": _digest(token),
                "account_id": account_id,
                "family_id": family.family_id,
                "family_started_at": family.started_at,
                "issued_at": now,
                "expires_at": min(now + self._lifetime, family.started_at + self._absolute),
            }
        )
        return token

    async def spend(self, token: str) -> Family | None:
        """Use ``token`` once: its family, or None if it is unknown, revoked, expired,
        past the session's absolute lifetime, or spent before (then the family is revoked)."""
        found = await self._tokens.find_one({"_id": _digest(token)})
        if found is None:
            return None
        if await self._revoked.find_one({"_id": found["family_id"]}, {"_id": 1}):
            return None
        now = self._clock()
        try:
            await self._spent.insert_one({"_id": found["_id"], "at": now})
        except DuplicateKeyError:  # spent before: a stolen copy, or the legitimate one
            await self.revoke_family(found["family_id"])
            if self.on_reuse is not None:  # LF-5: into the account's audit trail
                await self.on_reuse(str(found["account_id"]), str(found["family_id"]))
            return None
        started_at: datetime = found.get("family_started_at") or found["issued_at"]
        if found["expires_at"] <= now or started_at + self._absolute <= now:
            return None
        return Family(found["family_id"], found["account_id"], started_at)

    async def rotate(self, token: str) -> tuple[str, str] | None:
        """Spend ``token``; returns (account id, new token) or None if it is not usable."""
        family = await self.spend(token)
        if family is None:
            return None
        return family.account_id, await self.issue(family.account_id, family)

    async def revoke(self, token: str) -> str | None:
        """Log out: the token's family ends. Returns its account id (None: unknown token)."""
        found = await self._tokens.find_one({"_id": _digest(token)})
        if found is None:
            return None
        await self.revoke_family(found["family_id"])
        return str(found["account_id"])

    async def revoke_family(self, family_id: str) -> None:
        with contextlib.suppress(DuplicateKeyError):  # revoked already
            await self._revoked.insert_one({"_id": family_id, "at": self._clock()})

    async def revoke_account(self, account_id: str) -> int:
        """Log out everywhere: revokes every session of the account still alive; returns
        how many. (Callers also set ``tokens_invalid_before`` on the account, which
        refresh checks too, so a session started during this call cannot slip through.)"""
        alive_since = self._clock() - self._absolute
        families = [
            family["_id"]
            async for family in self._families.find({"account_id": account_id})
            if family["started_at"] > alive_since
        ]
        await asyncio.gather(*(self.revoke_family(family_id) for family_id in families))
        return len(families)

    async def sessions_of(self, account_id: str) -> list[dict[str, object]]:
        """The account's sessions (started when, revoked or not) for "My data"."""
        families = await self._families.find({"account_id": account_id}).to_list()
        # One read by _id each: FerretDB v1 pushes down equality only, not $in.
        found = await asyncio.gather(
            *(self._revoked.find_one({"_id": f["_id"]}, {"_id": 1}) for f in families)
        )
        revoked = {r["_id"] for r in found if r is not None}
        return [
            {"started_at": f["started_at"], "revoked": f["_id"] in revoked}
            for f in sorted(families, key=lambda f: f["started_at"])
        ]
