"""argon2id password hashes (argon2-cffi's defaults are argon2id, RFC 9106 low-memory).

Both functions cost ~50 ms of CPU: call them through ``asyncio.to_thread`` from async
code, never on the event loop. Passwords are hashed in their NFKC form (NIST SP 800-63B
5.1.1.2), so the same password typed on another keyboard or OS still matches.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from identity.domain.password_policy import normalized

_hasher = PasswordHasher()
# Verified when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("no-such-account")


def hash_password(password: str) -> str:
    return _hasher.hash(normalized(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        verified = _hasher.verify(password_hash or _DUMMY_HASH, normalized(password))
    except (VerificationError, InvalidHashError):
        return False
    return verified and password_hash is not None


class Argon2Passwords:
    """The ``Passwords`` port (``service/ports.py``) over argon2id."""

    def hash(self, password: str) -> str:
        return hash_password(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        return verify_password(password_hash, password)
