"""The address notifications go to (EI-4, issue 19 item 4).

The rule, in the words of the e-invoicing conditions ("ontvangen een melding op het
e-mailadres dat zij tijdens hun inschrijving op My LM hebben opgegeven … kan het lid dit
e-mailadres wijzigen via 'My Settings'"):

- by default, the e-mail address on file in the member's directory entry
  (``member.registered``, then ``member.updated``);
- the member may choose another one; it takes effect only once the code sent to the NEW
  address is confirmed (proof that the member controls it), and the OLD address is then
  told of the change (so a hijacked account cannot silently divert the notifications);
- a confirmed notification address wins over later directory changes of the e-mail: the
  member chose it in My Settings for these notifications; it stays until the member
  confirms another one. (A directory change of the e-mail is the mutuality's record; the
  member's explicit choice for notifications is the more specific one.)
- until the code is confirmed, the address in use does not change.

The code problems (expired, locked, wrong) are the kernel's, as identity's codes.

A code: 6 digits (``mylm_shared.kernel.codes``), valid ``CODE_LIFETIME``, at most
``MAX_ATTEMPTS`` guesses, kept only as a keyed hash; a new request ends the earlier one
(only the newest code counts).

Code e-mails are limited per member (``CodeLimit``, EI-4 / issue 19 item 4): at most
``per_hour`` in any hour and one per ``min_interval``, so the route cannot be used to
mail codes to any address without end. A refused request changes nothing (the earlier
code still counts) and says when to ask again (``TooManyCodes``, 429 + Retry-After). A
code that could not be e-mailed does not count (the member reads "try again").

What the member reads back (``AddressInUse``): the address in use and where it comes
from, and the change waiting for its code (``waiting``: not confirmed, not expired, not
locked by ``MAX_ATTEMPTS`` wrong guesses), its address in full: it is the member's own
data, read by the member, a titular with access to the dossier (AC-2, AC-5) or staff,
and seeing it lets the member spot a mistyped address that no code will reach.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from mylm_shared import texts
from mylm_shared.kernel.codes import CodeExpired, CodeLocked, CodeProblem, WrongCode
from mylm_shared.kernel.masking import mask_email

from notify.domain.messages import Email

__all__ = ["CodeExpired", "CodeLocked", "CodeProblem", "WrongCode"]

CODE_LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5
PURPOSE = "notification-address"
MAX_ADDRESS_LENGTH = 254


class AddressProblem(Exception):
    """The change cannot be made or confirmed; ``reason`` says why (shown to the member)."""

    reason = "invalid"


class InvalidAddress(AddressProblem):
    reason = "invalid-address"


class NoPendingChange(AddressProblem):
    reason = "no-pending-change"


class TooManyCodes(Exception):
    """EI-4 / issue 19 item 4: no code e-mail now; ask again after ``retry_after``."""

    reason = "too-many-codes"

    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after_seconds = max(1, math.ceil(retry_after.total_seconds()))
        super().__init__(f"too many codes: ask again in {self.retry_after_seconds} s")


@dataclass(frozen=True)
class CodeLimit:
    """EI-4 / issue 19 item 4: at most ``per_hour`` code e-mails per member in any hour
    (a sliding window), and at least ``min_interval`` between two."""

    per_hour: int = 5
    min_interval: timedelta = timedelta(seconds=60)
    window: timedelta = timedelta(hours=1)

    def wait(self, sent: Sequence[datetime], at: datetime) -> timedelta:
        """How long before another code may be e-mailed, given when the earlier ones were
        (zero: now). One stamped after ``at`` (a concurrent request on another replica
        read its clock later) counts as sent at ``at``."""
        waits = [timedelta(0)]
        ordered = sorted(min(when, at) for when in sent)
        if ordered:
            waits.append(ordered[-1] + self.min_interval - at)
        if self.per_hour > 0 and len(ordered) >= self.per_hour:
            waits.append(ordered[-self.per_hour] + self.window - at)
        return max(waits)


def normalised(address: str) -> str:
    """The address as typed, trimmed, in email-validator's normal form (the domain in
    lower case); ``InvalidAddress`` if it is not one. Form only, no DNS lookup: the code
    sent to it proves that it works. The reserved ``.test`` domain (RFC 6761) is let
    through for test platforms; no code can reach it anyway."""
    try:
        checked = validate_email(address.strip(), check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise InvalidAddress(str(error)) from error
    if len(checked.normalized) > MAX_ADDRESS_LENGTH:
        raise InvalidAddress("the address is too long")
    return checked.normalized


@dataclass(frozen=True)
class AddressChange:
    """A requested change: the new address and the keyed hash of the code sent to it."""

    change_id: str
    member_id: str
    address: str
    digest: str
    created_at: datetime
    expires_at: datetime

    def expired(self, at: datetime) -> bool:
        return at >= self.expires_at


def notification_address(on_file: str | None, confirmed: str | None) -> str | None:
    """The address notifications go to: the confirmed one, else the one on file."""
    return confirmed or on_file


def waiting(change: AddressChange, *, used: bool, locked: bool, at: datetime) -> bool:
    """Whether ``change`` still waits for its code: not confirmed, not expired, and not
    locked by every attempt used."""
    return not (used or locked or change.expired(at))


@dataclass(frozen=True)
class AddressInUse:
    """The notification address as the member reads it: the one in use (None: no
    e-mail on file), ``member`` if the member confirmed it, else ``default`` (the e-mail
    on file); the change waiting for its code, if any."""

    address: str | None
    source: Literal["default", "member"]
    pending: AddressChange | None


def code_email_id(change_id: str) -> str:
    return f"address-code-{change_id}"


def changed_email_id(change_id: str) -> str:
    return f"address-changed-{change_id}"


def code_email(*, to: str, language: str, first_name: str, code: str, change_id: str) -> Email:
    """The code that confirms ``to`` as the notification address, sent to ``to``."""
    mail = texts.mail(
        "notification_address_code",
        language,
        first_name=first_name,
        code=code,
        minutes=int(CODE_LIFETIME.total_seconds() // 60),
    )
    return _email(to, mail, code_email_id(change_id))


def changed_email(
    *, to: str, language: str, first_name: str, new_address: str, changed_on: date, change_id: str
) -> Email:
    """To the OLD address: notifications now go to ``new_address`` (shown masked)."""
    mail = texts.mail(
        "notification_address_changed",
        language,
        first_name=first_name,
        new_address=mask_email(new_address),
        changed_on=changed_on,
    )
    return _email(to, mail, changed_email_id(change_id))


def _email(to: str, mail: texts.Mail, key: str) -> Email:
    return Email(
        to=to,
        subject=mail.subject,
        body=mail.body,
        message_id=f"<{key}@notify.mylm>",
        html=mail.html,
    )
