"""Delivering e-mails (issue 19 item 6, EI-4): exactly one delivery per (event, recipient),
retried after temporary failures until it goes through, failed for good on a permanent
one, each logged for the member and staff (``domain/delivery.py``).

A new delivery is stored (``pending``) before its first attempt, which it owns for
``claim_seconds``; a temporary failure sets its next attempt after a growing pause. The
pending-deliveries job (``retry_due``, run by one replica, the holder of a lease) picks
up what is due: retries, and first attempts a crash interrupted. So an SMTP outage or a
refusing mailbox holds back only its own deliveries (the event's consumer moves on), and
a restart loses none. A crash between the SMTP server's acceptance and the record of it
is the one case that sends again, with the same Message-ID.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mylm_shared.failures import Unavailable

from notify.domain.delivery import Delivery, LogEntry, SendRejected, Status, retry_delay
from notify.domain.messages import Email
from notify.service.ports import Deliveries, EmailSender

log = logging.getLogger(__name__)

NOT_KEPT = "temporary failure; this e-mail holds a code and is not kept to be sent again"


@dataclass
class DeliveryService:
    store: Deliveries
    sender: EmailSender
    clock: Callable[[], datetime]
    backoff_seconds: float = 30.0
    backoff_max_seconds: float = 3600.0
    claim_seconds: float = 60.0
    batch: int = 100

    async def deliver(
        self, delivery_id: str, member_id: str, kind: str, email: Email, *, keep: bool = True
    ) -> Status:
        """Sends ``email`` once for ``delivery_id``; its status after the first attempt
        (or the stored one's, when it was delivered or is being delivered already).
        ``keep=False``: the content is not stored (it holds a secret) and a temporary
        failure is final (the member asks again)."""
        now = self.clock()
        delivery = Delivery(
            delivery_id=delivery_id,
            member_id=member_id,
            kind=kind,
            to=email.to,
            subject=email.subject,
            message_id=email.message_id,
            body=email.body if keep else None,
            html=email.html if keep else None,
            status="pending",
            created_at=now,
            updated_at=now,
            next_attempt_at=now + timedelta(seconds=self.claim_seconds),
        )
        stored = await self.store.add_delivery(delivery)
        if stored is not None:
            log.info("delivered before or being delivered", extra={"delivery_id": delivery_id})
            return stored.status
        return await self._attempt(delivery, email)

    async def retry_due(self, today: date | None = None) -> int:
        """The pending deliveries that are due, each tried once (a scheduler task)."""
        due = await self.store.due(self.clock(), self.batch)
        for delivery in due:
            if delivery.body is None:  # a crash left a code e-mail pending: not resent
                await self._record(delivery, "failed", NOT_KEPT)
                continue
            await self.store.note_retry(delivery.delivery_id, self.clock())
            email = Email(
                to=delivery.to,
                subject=delivery.subject,
                body=delivery.body,
                message_id=delivery.message_id,
                html=delivery.html or "",
            )
            await self._attempt(delivery, email)
        return len(due)

    async def log_of(
        self, member_id: str, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        return await self.store.of_member(member_id, limit=limit, after=after)

    async def with_status(
        self, status: Status, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        return await self.store.with_status(status, limit=limit, after=after)

    async def _attempt(self, delivery: Delivery, email: Email) -> Status:
        try:
            await self.sender.send(email)
        except SendRejected as error:
            log.warning("e-mail refused for good", extra={"delivery_id": delivery.delivery_id})
            return await self._record(delivery, "failed", str(error)[:500])
        except Unavailable as error:
            if not delivery.kept:
                return await self._record(delivery, "failed", NOT_KEPT)
            return await self._record(delivery, "pending", str(error)[:500])
        except Exception as error:  # unforeseen: kept pending, retried, visible to staff
            log.exception("e-mail attempt failed", extra={"delivery_id": delivery.delivery_id})
            if not delivery.kept:
                return await self._record(delivery, "failed", repr(error)[:500])
            return await self._record(delivery, "pending", repr(error)[:500])
        return await self._record(delivery, "sent", None)

    async def _record(self, delivery: Delivery, status: Status, error: str | None) -> Status:
        attempts = delivery.attempts + 1
        now = self.clock()
        pause = retry_delay(
            attempts, base_seconds=self.backoff_seconds, max_seconds=self.backoff_max_seconds
        )
        await self.store.record_attempt(
            delivery.delivery_id,
            status=status,
            attempts=attempts,
            at=now,
            next_attempt_at=now + pause,
            error=error,
        )
        return status


__all__ = ["DeliveryService", "LogEntry"]
