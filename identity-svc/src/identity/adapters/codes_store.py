"""Code requests in identity-svc's database, insert-only (docs/write-patterns.md).

- ``one_time_codes``: one document per request, ``_id`` = the request id, holding the
  HMAC of the code (never the code) and who it is for. Never updated.
- ``one_time_code_attempts``: each attempt *inserts* ``<request>@<n>`` for the first free
  n of 1..5, so of any number of concurrent guesses at most five are ever checked (the
  unique ``_id`` decides; a counter ``$inc`` could lose increments on FerretDB v1).
  Using a code inserts ``<request>@used``: of two concurrent confirmations one wins.

The HMAC secret comes from CODE_SECRET_FILE (a mounted secret) or, in dev/test only, is
generated once and kept in the database, like the signing key (``keys.py``).
"""

import contextlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mylm_shared.mongo import Document, as_utc
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.adapters.code_delivery import CodeDelivery, local_code_delivery
from identity.domain.codes import (
    MAX_ATTEMPTS,
    CodeExpired,
    CodeLocked,
    CodeRequest,
    CodeUsed,
    Purpose,
    UnknownCode,
    WrongCode,
    code_digest,
    well_formed,
)
from identity.settings import IdentitySettings

CODES = "one_time_codes"
ATTEMPTS = "one_time_code_attempts"
SENDS = "one_time_code_sends"
SECRETS = "code_secrets"
MIN_SECRET_BYTES = 32


class CodeSecretMissing(RuntimeError):
    """No usable HMAC secret: identity-svc must not start."""


async def load_code_secret(
    db: AsyncDatabase[Document], secret_file: str | None, *, generate_if_missing: bool
) -> bytes:
    if secret_file:
        return _read_secret_file(secret_file)
    if not generate_if_missing:
        raise CodeSecretMissing("CODE_SECRET_FILE is required: no code secret is generated in prod")
    with contextlib.suppress(DuplicateKeyError):  # another replica made one first
        await db[SECRETS].insert_one({"_id": "current", "secret": secrets.token_hex(32)})
    stored = await db[SECRETS].find_one({"_id": "current"})
    assert stored is not None
    return bytes.fromhex(stored["secret"])


def _read_secret_file(secret_file: str) -> bytes:
    try:
        secret = Path(secret_file).read_bytes().strip()
    except OSError as error:  # names the file, never its content
        raise CodeSecretMissing(f"CODE_SECRET_FILE {secret_file}: {error.strerror}") from None
    if len(secret) < MIN_SECRET_BYTES:
        raise CodeSecretMissing(
            f"CODE_SECRET_FILE {secret_file}: needs at least {MIN_SECRET_BYTES} bytes"
        )
    return secret


class CodeStore:
    def __init__(self, db: AsyncDatabase[Document], secret: bytes) -> None:
        self._codes = db[CODES]
        self._attempts = db[ATTEMPTS]
        self._sends = db[SENDS]
        self._secret = secret

    def digest(self, code_id: str, purpose: Purpose, code: str) -> str:
        return code_digest(self._secret, code_id, purpose, code)

    def decoy_seed(self, identifier: str) -> bytes:
        """Keyed, so nobody can tell a decoy mask from a real one by recomputing it."""
        return hmac.new(self._secret, f"decoy\x00{identifier}".encode(), "sha256").digest()

    async def take_send_slot(self, contact_key: str, at: datetime, per_hour: int) -> bool:
        """One of ``per_hour`` sending slots of this contact in the current hour, or False.
        Insert-only: slot n is ``<contact>:<hour>@<n>``, so concurrent requests cannot
        take more than ``per_hour`` between them."""
        hour = int(at.timestamp() // 3600)
        for n in range(1, per_hour + 1):
            try:
                await self._sends.insert_one({"_id": f"{contact_key}:{hour}@{n}", "at": at})
                return True
            except DuplicateKeyError:
                continue
        return False

    async def add(self, request: CodeRequest) -> None:
        await self._codes.insert_one(
            {
                "_id": request.code_id,
                "purpose": request.purpose,
                "channel": request.channel,
                "digest": request.digest,
                "created_at": request.created_at,
                "expires_at": request.expires_at,
                "member_id": request.member_id,
                "account_id": request.account_id,
            }
        )

    async def get(self, code_id: str, purpose: Purpose) -> CodeRequest | None:
        doc = await self._codes.find_one({"_id": code_id})
        if doc is None or doc.get("purpose") != purpose:
            return None
        return _request(doc)

    async def verify(self, code_id: str, purpose: Purpose, code: str, at: datetime) -> CodeRequest:
        """The request if ``code`` is its code; else raises why not (``CodeProblem``).
        Every call with a live request spends one of its attempts."""
        request = await self.get(code_id, purpose)
        if request is None:
            raise UnknownCode(code_id)
        if await self._attempts.find_one({"_id": f"{code_id}@used"}, {"_id": 1}):
            raise CodeUsed(code_id)
        if request.expired(at):
            raise CodeExpired(code_id)
        attempt = await self._claim_attempt(code_id, at)
        if attempt is None:
            raise CodeLocked(code_id)
        right = well_formed(code) and hmac.compare_digest(
            request.digest, self.digest(code_id, purpose, code)
        )
        # A request for nobody (unknown identifier) never matches: no code was sent.
        if not right or request.member_id is None:
            if attempt >= MAX_ATTEMPTS:
                raise CodeLocked(code_id)
            raise WrongCode(MAX_ATTEMPTS - attempt)
        return request

    async def _claim_attempt(self, code_id: str, at: datetime) -> int | None:
        for n in range(1, MAX_ATTEMPTS + 1):
            try:
                await self._attempts.insert_one({"_id": f"{code_id}@{n}", "at": at})
                return n
            except DuplicateKeyError:
                continue
        return None

    async def use(self, code_id: str, at: datetime) -> None:
        """Mark the code used; ``CodeUsed`` if a concurrent confirmation did first."""
        try:
            await self._attempts.insert_one({"_id": f"{code_id}@used", "at": at})
        except DuplicateKeyError:
            raise CodeUsed(code_id) from None


def _request(doc: dict[str, Any]) -> CodeRequest:
    return CodeRequest(
        code_id=doc["_id"],
        purpose=doc["purpose"],
        channel=doc["channel"],
        digest=doc["digest"],
        created_at=as_utc(doc["created_at"]),
        expires_at=as_utc(doc["expires_at"]),
        member_id=doc.get("member_id"),
        account_id=doc.get("account_id"),
    )


@dataclass
class OneTimeCodes:
    """What registration and password reset need: the store and the senders."""

    store: CodeStore
    delivery: CodeDelivery


async def one_time_codes(db: AsyncDatabase[Document], settings: IdentitySettings) -> OneTimeCodes:
    secret = await load_code_secret(
        db, settings.code_secret_file, generate_if_missing=settings.profile != "prod"
    )
    delivery = local_code_delivery(
        settings.smtp_url.get_secret_value(),
        settings.mail_from,
        settings.smtp_timeout_seconds,
        settings.sms_sink_domain,
    )
    return OneTimeCodes(CodeStore(db, secret), delivery)
