"""The member's notification settings (EI-4, issue 19 item 4): e-mail switches per
category (``domain/preferences.py``) and the notification address, changed only once the
code sent to the new address is confirmed; the old address is then told; code e-mails
limited per member (``domain/address.py``)."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mylm_shared.kernel.codes import code_digest, new_code, same_digest, well_formed
from mylm_shared.kernel.periods import BRUSSELS

from notify.domain.address import (
    CODE_LIFETIME,
    MAX_ATTEMPTS,
    PURPOSE,
    AddressChange,
    AddressInUse,
    CodeExpired,
    CodeLimit,
    CodeLocked,
    NoPendingChange,
    TooManyCodes,
    WrongCode,
    changed_email,
    changed_email_id,
    code_email,
    code_email_id,
    normalised,
    notification_address,
    waiting,
)
from notify.domain.preferences import Category, Preferences
from notify.service.deliveries import DeliveryService
from notify.service.ports import MemberSettings, Recipients

log = logging.getLogger(__name__)


class CodeNotSent(Exception):
    """The code could not be e-mailed now (the SMTP server refused it or is down)."""


@dataclass(frozen=True)
class Recipient:
    """Where and how one member is notified now."""

    address: str | None
    language: str
    first_name: str
    preferences: Preferences


@dataclass
class MemberSettingsService:
    settings: MemberSettings
    recipients: Recipients
    deliveries: DeliveryService
    code_secret: bytes
    clock: Callable[[], datetime]
    code_limit: CodeLimit = field(default_factory=CodeLimit)

    async def recipient(self, member_id: str) -> Recipient | None:
        """None while the directory has not told notify of the member."""
        known = await self.recipients.recipient(member_id)
        if known is None:
            return None
        confirmed = await self.settings.confirmed_address(member_id)
        return Recipient(
            address=notification_address(known.get("email"), confirmed),
            language=known.get("language", "nl"),
            first_name=known.get("first_name", ""),
            preferences=await self.settings.preferences(member_id),
        )

    async def preferences(self, member_id: str) -> Preferences:
        return await self.settings.preferences(member_id)

    async def change_preferences(
        self, member_id: str, switches: dict[Category, bool]
    ) -> Preferences:
        """The switches given change, the others stay (EI-4: "De melding kan ook
        uitgeschakeld worden")."""
        changed = (await self.settings.preferences(member_id)).changed(switches)
        await self.settings.save_preferences(member_id, changed, self.clock())
        return changed

    async def address(self, member_id: str) -> AddressInUse:
        """EI-4: the address in use (the confirmed one, else the e-mail on file) and the
        change waiting for its code, if any."""
        known = await self.recipients.recipient(member_id) or {}
        confirmed = await self.settings.confirmed_address(member_id)
        change = await self.settings.latest_address_change(member_id)
        if change is not None and not waiting(
            change,
            used=await self.settings.change_used(change.change_id),
            locked=await self.settings.change_locked(change.change_id, MAX_ATTEMPTS),
            at=self.clock(),
        ):
            change = None
        return AddressInUse(
            address=notification_address(known.get("email"), confirmed),
            source="member" if confirmed else "default",
            pending=change,
        )

    async def _count_code(self, member_id: str, now: datetime) -> int:
        """Counts one code e-mail against the member's limit (EI-4 / issue 19 item 4),
        or ``TooManyCodes``. Of concurrent requests (any replica) one takes each number;
        the others read again and are measured against it."""
        for _ in range(self.code_limit.per_hour + 2):  # each lost insert: another's count
            sends = await self.settings.code_sends(member_id)
            wait = self.code_limit.wait([at for _, at in sends], now)
            if wait > timedelta(0):
                raise TooManyCodes(wait)
            number = max((n for n, _ in sends), default=0) + 1
            if await self.settings.take_code_send(member_id, number, now):
                return number
        raise TooManyCodes(self.code_limit.min_interval)

    async def request_address_change(self, member_id: str, address: str) -> AddressChange:
        """A code to ``address``; the address in use stays until it is confirmed. A new
        request ends the earlier one. ``TooManyCodes`` past the member's limit (nothing
        changes); ``CodeNotSent`` if it could not be e-mailed now (it does not count)."""
        new_address = normalised(address)
        known = await self.recipients.recipient(member_id) or {}
        now = self.clock()
        counted = await self._count_code(member_id, now)
        change_id = str(uuid.uuid4())
        code = new_code()
        change = AddressChange(
            change_id=change_id,
            member_id=member_id,
            address=new_address,
            digest=code_digest(self.code_secret, change_id, PURPOSE, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        await self.settings.add_address_change(change)
        email = code_email(
            to=new_address,
            language=known.get("language", "nl"),
            first_name=known.get("first_name", ""),
            code=code,
            change_id=change_id,
        )
        status = await self.deliveries.deliver(
            code_email_id(change_id), member_id, "notification_address_code", email, keep=False
        )
        if status != "sent":  # no code reached the address: it neither waits nor counts
            await self.settings.use_change(change_id)
            await self.settings.release_code_send(member_id, counted)
            raise CodeNotSent(status)
        return change

    async def confirm_address(self, member_id: str, code: str) -> str:
        """The newest requested address becomes the notification address if ``code`` is
        its code (at most ``MAX_ATTEMPTS`` guesses, within ``CODE_LIFETIME``); the old
        address is told. Returns the new address."""
        change = await self.settings.latest_address_change(member_id)
        if change is None or await self.settings.change_used(change.change_id):
            raise NoPendingChange("no address change is waiting for a code")
        now = self.clock()
        if change.expired(now):
            raise CodeExpired("the code has expired: ask for a new one")
        attempt = await self.settings.take_attempt(change.change_id, MAX_ATTEMPTS)
        if attempt is None:
            raise CodeLocked("every attempt is used: ask for a new code")
        digest = code_digest(self.code_secret, change.change_id, PURPOSE, code.strip())
        if not (well_formed(code.strip()) and same_digest(change.digest, digest)):
            left = MAX_ATTEMPTS - attempt
            if left <= 0:
                raise CodeLocked("every attempt is used: ask for a new code")
            raise WrongCode(left)
        if not await self.settings.use_change(change.change_id):
            raise NoPendingChange("the change was confirmed already")
        before = await self.recipient(member_id)
        await self.settings.confirm_address(member_id, change.address, change.change_id, now)
        old = before.address if before else None
        if before is not None and old and old.casefold() != change.address.casefold():
            email = changed_email(
                to=old,
                language=before.language,
                first_name=before.first_name,
                new_address=change.address,
                changed_on=now.astimezone(BRUSSELS).date(),
                change_id=change.change_id,
            )
            await self.deliveries.deliver(
                changed_email_id(change.change_id),
                member_id,
                "notification_address_changed",
                email,
            )
        return change.address
