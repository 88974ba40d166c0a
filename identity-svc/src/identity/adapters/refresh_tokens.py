"""Rotating refresh tokens: opaque, stored only as SHA-256, one use each.

Presenting a used token again means it leaked: the whole family is revoked.

Insert-only (docs/write-patterns.md): spending a token *inserts* its digest into
``refresh_tokens_spent``, so of two concurrent refreshes with one token exactly one
wins (the unique ``_id``) and the other is treated as reuse. A ``$set used=true`` would
let both win on FerretDB v1, which applies updates between a read and a write.
Revoking a family inserts it into ``refresh_token_families_revoked``.
"""

import contextlib
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from mylm_shared.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokens:
    def __init__(self, db: AsyncDatabase[Document], lifetime: timedelta) -> None:
        self._tokens = db["refresh_tokens"]
        self._spent = db["refresh_tokens_spent"]
        self._revoked = db["refresh_token_families_revoked"]
        self._lifetime = lifetime

    async def issue(self, account_id: str, family_id: str | None = None) -> str:
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        await self._tokens.insert_one(
            {
                "_id": _digest(token),
                "account_id": account_id,
                "family_id": family_id or secrets.token_hex(8),
                "issued_at": now,
                "expires_at": now + self._lifetime,
            }
        )
        return token

    async def rotate(self, token: str) -> tuple[str, str] | None:
        """Spend ``token``; returns (account id, new token) or None if it is not usable."""
        found = await self._tokens.find_one({"_id": _digest(token)})
        if found is None:
            return None
        if await self._revoked.find_one({"_id": found["family_id"]}, {"_id": 1}):
            return None
        try:
            await self._spent.insert_one({"_id": found["_id"], "at": datetime.now(UTC)})
        except DuplicateKeyError:  # spent before: a stolen copy, or the legitimate one
            await self.revoke_family(found["family_id"])
            return None
        if found["expires_at"] < datetime.now(UTC):
            return None
        return found["account_id"], await self.issue(found["account_id"], found["family_id"])

    async def revoke(self, token: str) -> None:
        found = await self._tokens.find_one({"_id": _digest(token)})
        if found is not None:
            await self.revoke_family(found["family_id"])

    async def revoke_family(self, family_id: str) -> None:
        with contextlib.suppress(DuplicateKeyError):  # revoked already
            await self._revoked.insert_one({"_id": family_id, "at": datetime.now(UTC)})
