"""CSAM logins in progress and pending sign-ups, insert-only (docs/write-patterns.md).

- ``csam_logins``: one document per ``/v1/csam/login``, ``_id`` = the state; holds the
  nonce, the PKCE verifier, a hash of the browser's cookie and where to return. Never
  updated.
- ``csam_signups``: one per callback of a member without an account, ``_id`` = SHA-256
  of the sign-up id (the id itself is a bearer secret, shown once to the browser).
- ``csam_used``: using a state or a sign-up *inserts* ``login:<state>`` /
  ``signup:<hash>``; of two concurrent uses one wins (the unique ``_id`` decides).

Expired documents are never read again (FerretDB v1 has no TTL index); a clean-up job
may delete those past ``expires_at``.
"""

from dataclasses import dataclass
from datetime import datetime

from mylm_shared.mongo import Document, as_utc
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.adapters.oidc import OidcClient
from identity.domain.csam import PendingLogin, PendingSignup, digest
from identity.settings import IdentitySettings

__all__ = ["CsamAdapters", "CsamStore", "PendingLogin", "PendingSignup", "csam_adapters", "digest"]

LOGINS = "csam_logins"
SIGNUPS = "csam_signups"
USED = "csam_used"


class CsamStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db

    async def add_login(self, login: PendingLogin) -> None:
        await self._db[LOGINS].insert_one(
            {
                "_id": login.state,
                "nonce": login.nonce,
                "code_verifier": login.code_verifier,
                "browser": login.browser_digest,
                "return_to": login.return_to,
                "created_at": login.created_at,
                "expires_at": login.expires_at,
            }
        )

    async def login(self, state: str) -> PendingLogin | None:
        found = await self._db[LOGINS].find_one({"_id": state})
        if found is None:
            return None
        return PendingLogin(
            state=state,
            nonce=found["nonce"],
            code_verifier=found["code_verifier"],
            browser_digest=found["browser"],
            return_to=found.get("return_to"),
            created_at=as_utc(found["created_at"]),
            expires_at=as_utc(found["expires_at"]),
        )

    async def add_signup(self, signup_id: str, signup: PendingSignup) -> None:
        await self._db[SIGNUPS].insert_one(
            {
                "_id": digest(signup_id),
                "member_id": signup.member_id,
                "return_to": signup.return_to,
                "created_at": signup.created_at,
                "expires_at": signup.expires_at,
            }
        )

    async def signup(self, signup_id: str) -> PendingSignup | None:
        found = await self._db[SIGNUPS].find_one({"_id": digest(signup_id)})
        if found is None:
            return None
        return PendingSignup(
            member_id=found["member_id"],
            return_to=found.get("return_to"),
            created_at=as_utc(found["created_at"]),
            expires_at=as_utc(found["expires_at"]),
        )

    async def used(self, kind: str, key: str) -> bool:
        return await self._db[USED].find_one({"_id": f"{kind}:{key}"}) is not None

    async def use(self, kind: str, key: str, at: datetime) -> bool:
        """True for the first use of ``kind:key``, False ever after (single use)."""
        try:
            await self._db[USED].insert_one({"_id": f"{kind}:{key}", "at": at})
        except DuplicateKeyError:
            return False
        return True

    async def use_signup(self, signup_id: str, at: datetime) -> bool:
        return await self.use("signup", digest(signup_id), at)


@dataclass(frozen=True)
class CsamAdapters:
    """What the CSAM login needs, built once at start-up (``bootstrap``)."""

    provider: OidcClient | None  # None: CSAM not configured (prod without a client secret)
    store: CsamStore


def csam_adapters(db: AsyncDatabase[Document], settings: IdentitySettings) -> CsamAdapters:
    return CsamAdapters(OidcClient.from_settings(settings), CsamStore(db))
