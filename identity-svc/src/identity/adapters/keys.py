"""The Ed25519 key that signs access tokens, and the JWKS that publishes its public half."""

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
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

ALGORITHM = "EdDSA"


class SigningKey:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        public_jwk: dict[str, Any] = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
        # RFC 7638-style thumbprint as key id, so a rotated key gets a new kid.
        canonical = json.dumps(
            {k: public_jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True
        )
        self.kid = hashlib.sha256(canonical.encode()).hexdigest()[:16]
        self.public_jwk = {**public_jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    @property
    def public_key(self) -> Any:
        return self._private.public_key()

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._private, algorithm=ALGORITHM, headers={"kid": self.kid})

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}

    def private_pem(self) -> bytes:
        return self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @classmethod
    def from_pem(cls, pem: bytes) -> "SigningKey":
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be Ed25519")
        return cls(key)


class SigningKeyMissing(RuntimeError):
    """No usable signing key: identity-svc must not start."""


async def load_signing_key(
    db: AsyncDatabase[Document], key_file: str | None, *, generate_if_missing: bool
) -> SigningKey:
    """The mounted key if configured; else (dev/test only) the one this database keeps,
    made on first start. Production never generates one: a key in the database would be
    readable by anyone reading the database, and every replica must sign with the same."""
    if key_file:
        return _read_key_file(key_file)
    if not generate_if_missing:
        raise SigningKeyMissing("SIGNING_KEY_FILE is required: no signing key is generated in prod")
    keys = db["signing_keys"]
    fresh = SigningKey(Ed25519PrivateKey.generate())
    with contextlib.suppress(DuplicateKeyError):  # another replica made one first
        await keys.insert_one(
            {"_id": "current", "pem": fresh.private_pem().decode(), "created_at": datetime.now(UTC)}
        )
    stored = await keys.find_one({"_id": "current"})
    assert stored is not None
    return SigningKey.from_pem(stored["pem"].encode())


def _read_key_file(key_file: str) -> SigningKey:
    try:
        pem = Path(key_file).read_bytes()
    except OSError as error:  # the message names the file, never its content
        raise SigningKeyMissing(f"SIGNING_KEY_FILE {key_file}: {error.strerror}") from None
    try:
        return SigningKey.from_pem(pem)
    except (ValueError, TypeError) as error:
        raise SigningKeyMissing(f"SIGNING_KEY_FILE {key_file}: not an Ed25519 PEM key") from error
