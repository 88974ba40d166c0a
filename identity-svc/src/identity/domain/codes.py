"""One-time codes that prove control of the contact on file (RG-2), and how contacts are
shown masked.

A code is 6 digits from ``secrets``, valid 15 minutes, 5 attempts. It is sent and then
forgotten: only a keyed hash of it is stored (``adapters/codes_store.py``).

Issue 15 item 1: a new code for the same purpose and *target* (the member, or for an
identifier that finds nobody, that identifier) ends the earlier ones (``superseded``),
and guesses are budgeted per target and purpose across codes, so asking for new codes
buys an attacker no further guesses.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from mylm_shared.kernel.codes import (
    CODE_DIGITS,
    CodeExpired,
    CodeLocked,
    CodeProblem,
    WrongCode,
    code_digest,
    new_code,
    well_formed,
)
from mylm_shared.kernel.masking import EMAIL_STARS as _STARS
from mylm_shared.kernel.masking import mask_email

from identity.domain.members import Language, valid_national_number

__all__ = [
    "CODE_DIGITS",
    "CodeExpired",
    "CodeLocked",
    "CodeProblem",
    "WrongCode",
    "code_digest",
    "mask_email",
    "new_code",
    "well_formed",
]

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5

Channel = Literal["email", "sms"]
Purpose = Literal["registration", "password-reset"]
CHANNELS: tuple[Channel, ...] = ("email", "sms")


@dataclass(frozen=True)
class CodeMessage:
    """What to tell whom (RG-2): ``to`` is an e-mail address or a mobile number on file;
    an e-mail greets the member by ``first_name`` (issue 19 item 5)."""

    to: str
    code: str
    purpose: Purpose
    language: Language
    first_name: str


class UnknownCode(CodeProblem):
    reason = "unknown"


class CodeUsed(CodeProblem):
    reason = "used"


class CodeSuperseded(CodeProblem):
    """A newer code was asked for the same purpose and target: only the newest counts."""

    reason = "superseded"


@dataclass(frozen=True)
class CodeRequest:
    """A code sent (or, for an unknown identifier, pretended sent) to one contact.

    ``member_id`` is None when nobody was found: the request is stored all the same, so
    confirming it behaves exactly like a wrong code and reveals nothing (RG-1)."""

    code_id: str
    purpose: Purpose
    channel: Channel
    digest: str
    created_at: datetime
    expires_at: datetime
    member_id: str | None = None
    account_id: str | None = None
    # Whose codes these are, for the guess budget and for ending earlier codes: the
    # member (``member:<id>``) or, when nobody was found, a keyed hash of the identifier.
    target: str | None = None

    def expired(self, at: datetime) -> bool:
        return at >= self.expires_at

    @property
    def live(self) -> bool:
        """A code was actually sent for it (a member's contact, within every cap)."""
        return self.member_id is not None

    def newer_than(self, other: "CodeRequest") -> bool:
        return (self.created_at, self.code_id) > (other.created_at, other.code_id)


SERIES_BUCKET = timedelta(hours=1)  # longer than CODE_LIFETIME: a live code's successors
# are filed in its own hour bucket or the next one.


def series_of(purpose: Purpose, target: str, at: datetime) -> str:
    """Where the codes of one purpose and target asked around ``at`` are filed."""
    bucket = int(at.timestamp() // SERIES_BUCKET.total_seconds())
    return f"{purpose}:{target}:{bucket}"


def guess_key(purpose: Purpose, target: str) -> str:
    return f"code-guess:{purpose}:{target}"


# --- identifiers (RG-1) ---


def national_number_in(identifier: str) -> str | None:
    """The INSZ/NISS in ``identifier`` if it is one (separators . - and spaces allowed)."""
    digits = re.sub(r"[\s.\-]", "", identifier)
    return digits if valid_national_number(digits) else None


# --- masking: enough to recognise one's own contact, not enough to learn it ---


def e164(mobile: str) -> str:
    """A mobile number on file in E.164 (``+32470000001``); Belgian national numbers
    (``0470 00 00 01``) get +32."""
    digits = re.sub(r"\D", "", mobile)
    if mobile.strip().startswith("+"):
        return f"+{digits}"
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    if digits.startswith("0"):
        return f"+32{digits[1:]}"
    return f"+{digits}"


def mask_mobile(mobile: str) -> str:
    """``+32470000001`` → ``+32 4** ** ** 01`` (Belgian grouping; others keep their
    country code's first two digits and the last two)."""
    number = e164(mobile)
    if number.startswith("+32") and len(number) == 12:
        return f"+32 {number[3]}** ** ** {number[-2:]}"
    return f"{number[:3]} {'*' * max(len(number) - 5, 1)} {number[-2:]}"


# Plausible stand-ins for a member who does not exist or has no such contact, so the
# answer does not reveal it; derived from the identifier, so asking twice shows the same.
_DECOY_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "telenet.be",
    "skynet.be",
    "proximus.be",
    "yahoo.com",
    "hotmail.be",
)
_LETTERS = "abcdefghijklmnoprstvw"


def decoy_mask(seed: bytes, channel: Channel) -> str:
    """A masked contact that looks like a real one (``seed``: a keyed hash of the
    identifier, at least 4 bytes)."""
    if channel == "sms":
        return f"+32 4** ** ** {seed[0] % 100:02d}"
    first, last = _LETTERS[seed[1] % len(_LETTERS)], _LETTERS[seed[2] % len(_LETTERS)]
    return f"{first}{_STARS}{last}@{_DECOY_DOMAINS[seed[3] % len(_DECOY_DOMAINS)]}"
