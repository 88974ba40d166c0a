"""The Ed25519 key that signs access tokens, and the JWKS that publishes its public half
together with the previous key's, so tokens signed before a rotation stay valid until
they expire (nobody is logged out by a rotation)."""

import contextlib
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from mylm_shared.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

ALGORITHM = "EdDSA"


class SigningKey:
    def __init__(
        self, private_key: Ed25519PrivateKey, previous: "SigningKey | None" = None
    ) -> None:
        self._private = private_key
        public_jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
        # RFC 7638-style thumbprint as key id, so a rotated key gets a new kid.
        canonical = json.dumps(
            {k: public_jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True
        )
        self.kid = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        self.public_jwk = {**public_jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}
        # Verifies only: never signs again, published until the next rotation.
        self.previous = previous if previous is not None and previous.kid != self.kid else None

    @property
    def public_key(self) -> Any:
        return self._private.public_key()

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self.kid})

    def jwks(self) -> dict[str, Any]:
        """The current key, then the previous one (if any)."""
        previous = [self.previous.public_jwk] if self.previous else []
        return {"keys": [self.public_jwk, *previous]}

    def private_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @classmethod
    def from_pem(cls, pem: bytes, previous: "SigningKey | None" = None) -> "SigningKey":
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be Ed25519")
        return cls(key, previous)


class SigningKeyMissing(RuntimeError):
    """No usable signing key: identity-svc must not start."""


async def load_signing_key(
    db: AsyncDatabase[Document],
    key_file: str | None,
    *,
    generate_if_missing: bool,
    previous_key_file: str | None = None,
) -> SigningKey:
    """The mounted key (and the previous one, if mounted too) if configured; else (dev/test
    only) the newest two this database keeps, the first made on first start. Production
    never generates one: a key in the database would be readable by anyone reading the
    database, and every replica must sign with the same."""
    if key_file:
        previous = _read_key_file(previous_key_file, "PREVIOUS_") if previous_key_file else None
        return _read_key_file(key_file, previous=previous)
    if not generate_if_missing:
        raise SigningKeyMissing("SIGNING_KEY_FILE is required: no signing key is generated in prod")
    keys = db[SIGNING_KEYS]
    stored = await _generations(keys)
    if not stored:
        with contextlib.suppress(DuplicateKeyError):  # another replica made one first
            await _insert_generation(keys, 0, SigningKey(Ed25519PrivateKey.generate()))
        stored = await _generations(keys)
    return _newest_two(stored)


async def rotate_signing_key(db: AsyncDatabase[Document]) -> SigningKey:
    """Dev/test: a new current key; the one it replaces stays published as the previous.
    Insert-only: two rotations at once make one new generation (the unique ``_id``).
    A running identity-svc signs with the new key after its next start."""
    keys = db[SIGNING_KEYS]
    stored = await _generations(keys)
    generation = stored[0][0] + 1 if stored else 0
    with contextlib.suppress(DuplicateKeyError):  # rotated concurrently: that one counts
        await _insert_generation(keys, generation, SigningKey(Ed25519PrivateKey.generate()))
    return _newest_two(await _generations(keys))


SIGNING_KEYS = "signing_keys"
_LEGACY_ID = "current"  # the single key kept before rotation existed: generation 0


async def _generations(keys: AsyncCollection[Document]) -> list[tuple[int, bytes]]:
    """(generation, PEM) of every stored key, newest first (a handful: sorted here)."""
    found = [
        (0 if doc["_id"] == _LEGACY_ID else int(doc["generation"]), doc["pem"].encode())
        async for doc in keys.find({})
    ]
    return sorted(found, reverse=True)


async def _insert_generation(
    keys: AsyncCollection[Document], generation: int, key: SigningKey
) -> None:
    await keys.insert_one(
        {
            "_id": f"generation-{generation:06d}",
            "generation": generation,
            "pem": key.private_pem().decode(),
            "created_at": datetime.now(UTC),
        }
    )


def _newest_two(stored: list[tuple[int, bytes]]) -> SigningKey:
    previous = SigningKey.from_pem(stored[1][1]) if len(stored) > 1 else None
    return SigningKey.from_pem(stored[0][1], previous)


def _read_key_file(
    key_file: str, setting: str = "", previous: SigningKey | None = None
) -> SigningKey:
    name = f"{setting}SIGNING_KEY_FILE"
    try:
        pem = Path(key_file).read_bytes()
    except OSError as error:  # the message names the file, never its content
        raise SigningKeyMissing(f"{name} {key_file}: {error.strerror}") from None
    try:
        return SigningKey.from_pem(pem, previous)
    except (ValueError, TypeError) as error:
        raise SigningKeyMissing(f"{name} {key_file}: not an Ed25519 PEM key") from error
