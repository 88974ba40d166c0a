"""notify-svc's ports: what its use cases need from the world (Mongo adapter:
``notify.adapters.repository``; SMTP: ``notify.adapters.smtp``; fakes in
``testkit/fakes/notify.py``)."""

from datetime import datetime
from typing import Protocol

from mylm_shared.mongo import Document

from notify.domain.address import AddressChange
from notify.domain.delivery import Delivery, Status
from notify.domain.messages import Email
from notify.domain.preferences import Preferences


class EmailSender(Protocol):
    async def send(self, email: Email) -> None:
        """Hands the e-mail to the SMTP server. Raises ``mylm_shared.failures.Unavailable``
        on a temporary failure (4xx, refused, timed out), ``SendRejected`` on a permanent
        one (5xx)."""


class Recipients(Protocol):
    """The directory's members as notify knows them (``member.registered``/``updated``)."""

    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        """From ``member.registered``: the first state, never over a later one."""

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        """From ``member.updated``: never over a newer state (``mylm_shared.projections``)."""

    async def recipient(self, member_id: str) -> Document | None: ...


class Deliveries(Protocol):
    """One document per delivery (``delivery_id`` unique): inserted once, then written by
    one worker at a time (the first attempt, later the pending-deliveries job)."""

    async def add_delivery(self, delivery: Delivery) -> Delivery | None:
        """Stores a new delivery; None if stored, else the one stored before under its id."""

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
        """The outcome of one attempt (``sent`` also records when)."""

    async def note_retry(self, delivery_id: str, at: datetime) -> None:
        """An attempt after the first begins (recorded before it, for the record)."""

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, the longest waiting first."""

    async def of_member(
        self, member_id: str, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        """The member's deliveries, newest first (then by id), after the position given."""

    async def with_status(
        self, status: Status, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        """Every member's deliveries in ``status``, newest first (staff)."""


class MemberSettings(Protocol):
    """The member's choices: e-mail switches and notification address (written by the
    member's requests only, one document per member and kind)."""

    async def preferences(self, member_id: str) -> Preferences: ...

    async def save_preferences(
        self, member_id: str, preferences: Preferences, at: datetime
    ) -> None: ...

    async def confirmed_address(self, member_id: str) -> str | None: ...

    async def confirm_address(
        self, member_id: str, address: str, change_id: str, at: datetime
    ) -> None: ...

    async def add_address_change(self, change: AddressChange) -> None: ...

    async def latest_address_change(self, member_id: str) -> AddressChange | None: ...

    async def take_attempt(self, change_id: str, limit: int) -> int | None:
        """One of ``limit`` guesses at the change's code: its number, None when all are
        used (insert-only: concurrent guesses cannot take more than ``limit``)."""

    async def use_change(self, change_id: str) -> bool:
        """Marks the change used; False if it was already (of two confirmations one wins)."""

    async def change_used(self, change_id: str) -> bool: ...

    async def change_locked(self, change_id: str, limit: int) -> bool:
        """Every one of the ``limit`` guesses at the change's code is taken."""

    async def code_sends(self, member_id: str) -> list[tuple[int, datetime]]:
        """The member's code e-mails that count (EI-4 limit): (number, when)."""

    async def take_code_send(self, member_id: str, number: int, at: datetime) -> bool:
        """Counts the member's code e-mail ``number`` (1, 2 …); False if a concurrent
        request took that number first (insert-only: the unique ``_id`` decides, so no
        two requests across replicas pass the limit on one count)."""

    async def release_code_send(self, member_id: str, number: int) -> None:
        """The code could not be e-mailed: it does not count (only its taker deletes it)."""
