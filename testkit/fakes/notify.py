"""Fakes of notify-svc's ports (``notify.service.ports``): recipients, deliveries, the
member's settings and the sender."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from mylm_shared.mongo import Document
from notify.bootstrap import bootstrap
from notify.domain.address import AddressChange
from notify.domain.delivery import Delivery, Status
from notify.domain.messages import Email
from notify.domain.preferences import Preferences
from notify.service.use_cases import NotifyUseCases
from notify.settings import NotifySettings

from testkit.fakes.shared import apply_in_memory


@dataclass
class FakeRecipients:
    """``Recipients``: the projection (``as_of`` ordering states as
    ``mylm_shared.projections`` does)."""

    recipients: dict[str, Document] = field(default_factory=dict)

    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = {"email": email, "language": language, "first_name": first_name}
        apply_in_memory(self.recipients, member_id, fields, as_of, first=True)

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = {"email": email, "language": language, "first_name": first_name}
        apply_in_memory(self.recipients, member_id, fields, as_of, first=False)

    async def recipient(self, member_id: str) -> Document | None:
        return self.recipients.get(member_id)


@dataclass
class FakeDeliveries:
    """``Deliveries``: one per id, in memory; ``retries`` the attempts the job began."""

    deliveries: dict[str, Delivery] = field(default_factory=dict)
    retries: list[str] = field(default_factory=list)

    async def add_delivery(self, delivery: Delivery) -> Delivery | None:
        if delivery.delivery_id in self.deliveries:
            return self.deliveries[delivery.delivery_id]
        self.deliveries[delivery.delivery_id] = delivery
        return None

    async def record_attempt(
        self,
        delivery_id: str,
        *,
        status: Status,
        attempts: int,
        at: datetime,
        next_attempt_at: datetime,
        error: str | None,
    ) -> None:
        old = self.deliveries[delivery_id]
        done = status != "pending"
        self.deliveries[delivery_id] = dataclasses.replace(
            old,
            status=status,
            attempts=attempts,
            updated_at=at,
            next_attempt_at=next_attempt_at,
            error=error,
            sent_at=at if status == "sent" else old.sent_at,
            body=None if done else old.body,
            html=None if done else old.html,
        )

    async def note_retry(self, delivery_id: str, at: datetime) -> None:
        self.retries.append(delivery_id)

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        due = [d for d in self.deliveries.values() if d.status == "pending"]
        due = [d for d in due if d.next_attempt_at <= now]
        return sorted(due, key=lambda d: d.next_attempt_at)[:limit]

    async def of_member(
        self, member_id: str, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        return self._page(
            [d for d in self.deliveries.values() if d.member_id == member_id], limit, after
        )

    async def with_status(
        self, status: Status, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        return self._page([d for d in self.deliveries.values() if d.status == status], limit, after)

    @staticmethod
    def _page(
        found: list[Delivery], limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        ordered = sorted(found, key=lambda d: (d.created_at, d.delivery_id), reverse=True)
        if after is not None:
            ordered = [d for d in ordered if (d.created_at, d.delivery_id) < after]
        return ordered[:limit]


@dataclass
class FakeMemberSettings:
    """``MemberSettings``: switches, confirmed addresses, changes and their guesses, the
    code e-mails counted against the member's limit (``code_sends``: member → number →
    when)."""

    switches: dict[str, Preferences] = field(default_factory=dict)
    addresses: dict[str, str] = field(default_factory=dict)
    changes: list[AddressChange] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    code_sends_of: dict[str, dict[int, datetime]] = field(default_factory=dict)

    async def preferences(self, member_id: str) -> Preferences:
        return self.switches.get(member_id, Preferences())

    async def save_preferences(
        self, member_id: str, preferences: Preferences, at: datetime
    ) -> None:
        self.switches[member_id] = preferences

    async def confirmed_address(self, member_id: str) -> str | None:
        return self.addresses.get(member_id)

    async def confirm_address(
        self, member_id: str, address: str, change_id: str, at: datetime
    ) -> None:
        self.addresses[member_id] = address

    async def add_address_change(self, change: AddressChange) -> None:
        self.changes.append(change)

    async def latest_address_change(self, member_id: str) -> AddressChange | None:
        mine = [c for c in self.changes if c.member_id == member_id]
        return max(mine, key=lambda c: (c.created_at, c.change_id), default=None)

    async def take_attempt(self, change_id: str, limit: int) -> int | None:
        taken = self.attempts.get(change_id, 0)
        if taken >= limit:
            return None
        self.attempts[change_id] = taken + 1
        return taken + 1

    async def use_change(self, change_id: str) -> bool:
        if change_id in self.used:
            return False
        self.used.add(change_id)
        return True

    async def change_used(self, change_id: str) -> bool:
        return change_id in self.used

    async def change_locked(self, change_id: str, limit: int) -> bool:
        return self.attempts.get(change_id, 0) >= limit

    async def code_sends(self, member_id: str) -> list[tuple[int, datetime]]:
        return list(self.code_sends_of.get(member_id, {}).items())

    async def take_code_send(self, member_id: str, number: int, at: datetime) -> bool:
        taken = self.code_sends_of.setdefault(member_id, {})
        if number in taken:
            return False
        taken[number] = at
        return True

    async def release_code_send(self, member_id: str, number: int) -> None:
        self.code_sends_of.get(member_id, {}).pop(number, None)


@dataclass
class FakeSender:
    """``EmailSender``: what would have been sent, in order; ``failures`` raised first,
    one per send (``mylm_shared.failures.Unavailable`` for a 4xx, ``SendRejected`` for
    a 5xx), or per address (``refusing``: every send to it raises)."""

    outbox: list[Email] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)
    refusing: dict[str, Exception] = field(default_factory=dict)

    async def send(self, email: Email) -> None:
        if email.to in self.refusing:
            raise self.refusing[email.to]
        if self.failures:
            raise self.failures.pop(0)
        self.outbox.append(email)


@dataclass
class FakeClock:
    """A clock the test moves (``advance``)."""

    now: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


SECRET = b"notify-test-secret-of-at-least-32-bytes"


class NotifyFakes:
    """notify's ports faked; ``use_cases()`` wires them with ``notify.bootstrap.bootstrap``."""

    def __init__(
        self, settings: NotifySettings | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.settings = settings or NotifySettings(profile="test")
        self.recipients = FakeRecipients()
        self.deliveries = FakeDeliveries()
        self.member_settings = FakeMemberSettings()
        self.sender = FakeSender()
        self.clock = clock or FakeClock()

    def use_cases(self) -> NotifyUseCases:
        return bootstrap(
            self.settings,
            recipients=self.recipients,
            sender=self.sender,
            deliveries=self.deliveries,
            member_settings=self.member_settings,
            code_secret=SECRET,
            clock=self.clock,
        )
