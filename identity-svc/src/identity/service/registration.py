"""Registration by code (RG-1..RG-4), and the code issuing it shares with password reset.

Anti-enumeration: a request for an unknown identifier, or for a member without the
chosen contact, is answered like any other: a fresh request id and a plausible masked
contact; it is stored too, so confirming it fails exactly like a wrong code. The
lookups run the same queries whether they find someone or not, and the sending (SMTP)
and its audit entry run after the answer, in the background.
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from uuid import uuid4

from identity.adapters.code_delivery import CodeMessage
from identity.adapters.codes_store import OneTimeCodes
from identity.adapters.passwords import hash_password
from identity.adapters.store import member_number_key, national_number_key
from identity.domain.accounts import Account
from identity.domain.codes import (
    CODE_LIFETIME,
    Channel,
    CodeRequest,
    CodeUsed,
    Purpose,
    UnknownCode,
    decoy_mask,
    mask_email,
    mask_mobile,
    national_number_in,
    new_code,
)
from identity.domain.members import Member
from identity.domain.password_policy import password_problems
from identity.service.accounts import AccountOpening, UsernameTaken
from identity.service.context import IdentityContext, Origin

# Looked up when nothing was found, so both paths cost the same queries.
NOBODY = "~nobody"


class TermsNotAccepted(Exception):
    """RG-4: the terms must be accepted, in their current version."""


class InvalidPassword(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CodeSent:
    code_id: str
    sent_to: str  # masked


def codes_of(context: IdentityContext) -> OneTimeCodes:
    assert context.codes is not None, "bootstrap sets the one-time codes"
    return context.codes


def check_password(password: str, username: str | None) -> None:
    problems = password_problems(password, username=username)
    if problems:
        raise InvalidPassword(problems)


async def member_by_identifier(context: IdentityContext, identifier: str) -> Member | None:
    """RG-1: by member number or national register number (INSZ/NISS)."""
    keys = context.stores.keys
    national = national_number_in(identifier)
    by_number, by_national = await asyncio.gather(
        keys.owner(member_number_key(identifier)),
        keys.owner(national_number_key(national or NOBODY)),
    )
    return await context.stores.members.get(by_national or by_number or NOBODY)


async def issue_code(
    context: IdentityContext,
    *,
    purpose: Purpose,
    channel: Channel,
    identifier: str,
    member: Member | None,
    account_id: str | None,
    origin: Origin,
) -> CodeSent:
    """Store a new code request and send its code to the member's contact on file for
    ``channel`` (RG-2), in the background; for nobody, pretend."""
    codes = codes_of(context)
    contact = None
    if member is not None:
        contact = member.email if channel == "email" else member.mobile
    now = context.clock()
    code_id, code = str(uuid4()), new_code()
    await codes.store.add(
        CodeRequest(
            code_id=code_id,
            purpose=purpose,
            channel=channel,
            digest=codes.store.digest(code_id, purpose, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            member_id=member.member_id if member and contact else None,
            account_id=account_id if member and contact else None,
        )
    )
    if member is None or contact is None:
        seed = codes.store.decoy_seed(f"{channel}:{identifier.strip().casefold()}")
        return CodeSent(code_id, decoy_mask(seed, channel))
    sent_to = mask_email(contact) if channel == "email" else mask_mobile(contact)
    per_hour = context.settings.codes_per_contact_per_hour
    if not await codes.store.take_send_slot(f"{member.member_id}:{channel}", now, per_hour):
        # Same answer, nothing sent: nobody floods a member's mailbox or phone.
        log.warning("code not sent: hourly limit of the contact", extra={"request": code_id})
        return CodeSent(code_id, sent_to)
    codes.delivery.dispatch(channel, CodeMessage(contact, code, purpose, member.language), code_id)
    codes.delivery.in_background(
        context.record(
            member.member_id,
            f"{purpose}.code-sent",
            origin,
            request=code_id,
            channel=channel,
            sent_to=sent_to,
        )
    )
    return CodeSent(code_id, sent_to)


@dataclass
class Registration:
    context: IdentityContext

    async def request(self, identifier: str, channel: Channel, origin: Origin) -> CodeSent:
        member = await member_by_identifier(self.context, identifier)
        return await issue_code(
            self.context,
            purpose="registration",
            channel=channel,
            identifier=identifier,
            member=member,
            account_id=None,
            origin=origin,
        )

    async def confirm(
        self,
        code_id: str,
        code: str,
        *,
        username: str,
        password: str,
        accept_terms: bool,
        terms_version: str,
        origin: Origin,
    ) -> Account:
        """Open the member's account (RG-3, RG-4). Everything that needs no code is
        checked first, so a typo in the username does not spend an attempt."""
        current = self.context.settings.terms_version
        if not accept_terms:
            raise TermsNotAccepted("The terms must be accepted (accept_terms: true).")
        if terms_version != current:
            raise TermsNotAccepted(f"The current terms are version {current}.")
        check_password(password, username)
        if await self.context.account_by_username(username) is not None:
            raise UsernameTaken(username)
        store = codes_of(self.context).store
        request = await store.verify(code_id, "registration", code, self.context.clock())
        member = await self.context.stores.members.get(request.member_id or NOBODY)
        if member is None:
            raise UnknownCode(code_id)
        password_hash = await asyncio.to_thread(hash_password, password)  # argon2id: ~50 ms
        account = await AccountOpening(self.context).open(
            member,
            username=username,
            password_hash=password_hash,
            method="password",
            terms_version=terms_version,
            origin=origin,
        )
        with contextlib.suppress(CodeUsed):  # only a concurrent twin, which AccountExists stops
            await store.use(code_id, self.context.clock())
        return account
