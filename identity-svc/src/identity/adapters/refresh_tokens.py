"""Rotating refresh tokens: opaque, stored only as SHA-256, one use each.

Presenting a used token again means it leaked: the whole family is revoked.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from mylm_shared.mongo import Document
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokens:
    def __init__(self, db: AsyncDatabase[Document], lifetime: timedelta) -> None:
        self._tokens = db["refresh_tokens"]
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
                "used": False,
                "revoked": False,
            }
        )
        return token

    async def rotate(self, token: str) -> tuple[str, str] | None:
        """Spend ``token``; returns (account id, new token) or None if it is not usable."""
        now = datetime.now(UTC)
        spent = await self._tokens.find_one_and_update(
            {"_id": _digest(token), "used": False, "revoked": False},
            {"$set": {"used": True, "used_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        if spent is None:
            reused = await self._tokens.find_one({"_id": _digest(token)})
            if reused is not None:
                await self.revoke_family(reused["family_id"])
            return None
        if spent["expires_at"] < now:
            return None
        return spent["account_id"], await self.issue(spent["account_id"], spent["family_id"])

    async def revoke(self, token: str) -> None:
        found = await self._tokens.find_one({"_id": _digest(token)})
        if found is not None:
            await self.revoke_family(found["family_id"])

    async def revoke_family(self, family_id: str) -> None:
        await self._tokens.update_many({"family_id": family_id}, {"$set": {"revoked": True}})
