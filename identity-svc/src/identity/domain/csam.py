"""CSAM login (RG-5): what a login in progress and a pending sign-up hold, and how the
provider refuses (the protocol itself is ``adapters/oidc.py``'s)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime


class ProviderUnavailable(Exception):
    """The provider cannot be reached or answers something unusable (a 503)."""


class LoginRejected(Exception):
    """The provider refused the code, or its ID token is not valid for us."""


def digest(secret: str) -> str:
    """SHA-256 of a bearer secret (a browser's cookie, a sign-up id): only this is kept."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class PendingLogin:
    state: str
    nonce: str
    code_verifier: str
    browser_digest: str
    return_to: str | None
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PendingSignup:
    member_id: str
    return_to: str | None
    created_at: datetime
    expires_at: datetime
