"""One-time codes that prove control of an address (identity-svc's RG-2 codes, notify-svc's
confirmation of a new notification address, EI-4): how a code is drawn, checked for form
and kept at rest.

A code is ``CODE_DIGITS`` digits from ``secrets``. It is sent and then forgotten: only a
keyed hash of it (``code_digest``) is stored, bound to its request and purpose. Pure: the
secret is the caller's (``mylm_shared.code_secret`` loads it).
"""

import hashlib
import hmac
import secrets

CODE_DIGITS = 6


def new_code() -> str:
    """A uniformly random 6-digit code (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def well_formed(code: str) -> bool:
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()


def code_digest(secret: bytes, code_id: str, purpose: str, code: str) -> str:
    """HMAC-SHA256 of the code, bound to its request and purpose: a 6-digit code has only
    10^6 values, so a plain hash would be reversed at once; without the server's secret
    the stored digest says nothing."""
    message = f"{purpose}\x00{code_id}\x00{code}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def same_digest(stored: str, computed: str) -> bool:
    """Constant-time comparison of two digests."""
    return hmac.compare_digest(stored, computed)


class CodeProblem(Exception):
    """The code cannot be used; ``reason`` says why (shown to the user)."""

    reason = "invalid"


class CodeExpired(CodeProblem):
    reason = "expired"


class CodeLocked(CodeProblem):
    """All attempts are used up: the user asks for a new code."""

    reason = "attempts-exhausted"


class WrongCode(CodeProblem):
    reason = "wrong-code"

    def __init__(self, attempts_left: int) -> None:
        super().__init__(f"wrong code, {attempts_left} attempts left")
        self.attempts_left = attempts_left
