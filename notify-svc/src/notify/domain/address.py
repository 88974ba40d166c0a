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
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
