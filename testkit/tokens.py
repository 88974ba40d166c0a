"""Access tokens for tests of services other than identity-svc: a throw-away Ed25519 key
and a verifier trusting it (installed in place of the JWKS verifier)."""

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mylm_shared.auth import MEMBER, SERVICE, STAFF, TokenVerifier

ISSUER = "mylm-identity"
AUDIENCE = "mylm"


class TokenMint:
    def __init__(self) -> None:
        self._key = Ed25519PrivateKey.generate()
        self._staff_account = str(uuid.uuid4())

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(ISSUER, AUDIENCE, key=self._key.public_key())

    def _token(self, subject: str, member_id: str | None, roles: list[str], **extra: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            **extra,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject,
            "member_id": member_id,
            "roles": roles,
            "typ": "access",
            "iat": now,
            "exp": now + 600,
        }
        return jwt.encode(claims, self._key, algorithm="EdDSA")

    def staff(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token(self._staff_account, None, [STAFF])}"}

    def member(self, member_id: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self._token(f'account-of-{member_id}', member_id, [MEMBER])}"
        }

    def service(self, client_id: str = "claims-svc", scope: str = "policy:read") -> dict[str, str]:
        """A client credentials token as identity-svc issues it (RFC 6749 §4.4)."""
        token = self._token(client_id, None, [SERVICE], client_id=client_id, scope=scope)
        return {"Authorization": f"Bearer {token}"}
