"""Access tokens for tests of services other than identity-svc: a throw-away Ed25519 key
and a verifier trusting it (installed in place of the JWKS verifier)."""

import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mylm_shared.auth import MEMBER, SERVICE, STAFF, Revocations, TokenVerifier

ISSUER = "mylm-identity"
AUDIENCE = "mylm"


class TokenMint:
    def __init__(self) -> None:
        self._key = Ed25519PrivateKey.generate()
        self._staff_account = str(uuid.uuid4())

    def verifier(self, revocations: Revocations | None = None) -> TokenVerifier:
        return TokenVerifier(ISSUER, AUDIENCE, key=self._key.public_key(), revocations=revocations)

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

    def member(self, member_id: str, *, logged_in_ago: int = 0) -> dict[str, str]:
        """A member's token; ``auth_time`` says they logged in ``logged_in_ago`` s ago."""
        auth_time = int(time.time()) - logged_in_ago
        token = self._token(f"account-of-{member_id}", member_id, [MEMBER], auth_time=auth_time)
        return {"Authorization": f"Bearer {token}"}

    def acting(
        self, titular_member_id: str, dependant_member_id: str, *, logged_in_ago: int = 0
    ) -> dict[str, str]:
        """A titular's token exchanged for a dependant's dossier (RFC 8693 ``act``), as
        identity-svc issues it (AC-2): the subject is the dependant, ``auth_time`` the
        titular's login."""
        token = self._token(
            dependant_member_id,
            dependant_member_id,
            [MEMBER],
            act={"sub": f"account-of-{titular_member_id}", "member_id": titular_member_id},
            access_basis="AC-2",
            auth_time=int(time.time()) - logged_in_ago,
        )
        return {"Authorization": f"Bearer {token}"}

    def service(self, client_id: str = "claims-svc", scope: str = "policy:read") -> dict[str, str]:
        """A client credentials token as identity-svc issues it (RFC 6749 §4.4)."""
        token = self._token(client_id, None, [SERVICE], client_id=client_id, scope=scope)
        return {"Authorization": f"Bearer {token}"}
