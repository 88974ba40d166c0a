"""Registration by code (RG-1..RG-4), and the code issuing it shares with password reset.

Anti-enumeration: a request for an unknown identifier, or for a member without the
chosen contact, is answered like any other: a fresh request id and a plausible masked
contact (drawn from real masks); it is stored too, so confirming it fails exactly like a
wrong code. The lookups run the same queries whether they find someone or not, and the
sending (SMTP) and its audit entry run after the answer, in the background.

Issue 15 item 1: a request beyond any cap (the contact's hourly sends, the target's
guess budget) is stored without a live code, answered the same; every request ends the
earlier ones of its purpose and target; both routes are throttled per client address;
and confirming checks the code before anything else it could reveal (a taken username,
the password policy's view of the username, the terms).
"""

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal
from uuid import uuid4

from identity.domain.accounts import Account
from identity.domain.attempts import Budget
from identity.domain.codes import (
    CODE_LIFETIME,
    Channel,
    CodeMessage,
    CodeRequest,
    CodeUsed,
    Purpose,
    UnknownCode,
    mask_email,
    mask_mobile,
    national_number_in,
    new_code,
)
from identity.domain.keys import member_number_key, national_number_key
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


Route = Literal["request", "confirm"]


async def count_call(context: IdentityContext, route: Route, origin: Origin) -> None:
    """One call of a code route from the client's address; ``Locked`` (429) beyond the
    hourly budget. Counted whatever the call's outcome, never given back."""
    if not origin.address:
        return
    settings = context.settings
    limit = (
        settings.code_requests_per_address_per_hour
        if route == "request"
        else settings.code_confirms_per_address_per_hour
    )
    await context.codes.count_attempt(
        f"code-route:{route}:{origin.address}", Budget(limit, timedelta(hours=1))
    )


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
    ``channel`` (RG-2), in the background; for nobody, or beyond a cap, pretend: the
    request is stored without a live code. Either way it ends the earlier requests of
    the same purpose and target (issue 15 item 1)."""
    store, delivery = context.codes, context.code_delivery
    contact = None
    if member is not None:
        contact = member.email if channel == "email" else member.mobile
    target = f"member:{member.member_id}" if member else store.target_of_identifier(identifier)
    now = context.clock()
    code_id, code = str(uuid4()), new_code()
    # Read for everyone, so a found member costs the same queries as nobody.
    budget_left = await store.guesses_left(purpose, target)
    live = False
    if member is not None and contact is not None and budget_left:
        per_hour = context.settings.codes_per_contact_per_hour
        live = await store.take_send_slot(f"{member.member_id}:{channel}", now, per_hour)
        if not live:  # same answer, nothing sent: nobody floods a mailbox or a phone
            log.warning("code not sent: hourly limit of the contact", extra={"request": code_id})
    elif member is not None and contact is not None:
        log.warning("code not sent: guess budget spent", extra={"request": code_id})
    await store.add(
        CodeRequest(
            code_id=code_id,
            purpose=purpose,
            channel=channel,
            digest=store.digest(code_id, purpose, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            member_id=member.member_id if member and live else None,
            account_id=account_id if member and live else None,
            target=target,
        )
    )
    if member is None or contact is None:
        return CodeSent(code_id, await store.decoy(channel, identifier))
    sent_to = mask_email(contact) if channel == "email" else mask_mobile(contact)
    delivery.in_background(store.remember_mask(channel, member.member_id, sent_to))
    if not live:
        return CodeSent(code_id, sent_to)
    message = CodeMessage(contact, code, purpose, member.language, member.first_name)
    delivery.dispatch(channel, message, code_id)
    delivery.in_background(
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
        await count_call(self.context, "request", origin)
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
        """Open the member's account (RG-3, RG-4). The code is checked first (issue 15
        item 1): without it, the route reveals nothing (not even whether a username is
        taken). A right code refused for another reason spends no attempt."""
        await count_call(self.context, "confirm", origin)
        store = self.context.codes
        request = await store.verify(
            code_id, "registration", code, self.context.clock(), origin.address
        )
        current = self.context.settings.terms_version
        if not accept_terms:
            raise TermsNotAccepted("The terms must be accepted (accept_terms: true).")
        if terms_version != current:
            raise TermsNotAccepted(f"The current terms are version {current}.")
        check_password(password, username)
        if await self.context.account_by_username(username) is not None:
            raise UsernameTaken(username)
        member = await self.context.stores.members.get(request.member_id or NOBODY)
        if member is None:
            raise UnknownCode(code_id)
        password_hash = await asyncio.to_thread(
            self.context.passwords.hash, password
        )  # argon2id: ~50 ms
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
