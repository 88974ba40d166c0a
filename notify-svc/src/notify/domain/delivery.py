"""Delivering e-mails (issue 19 item 6): one delivery per (event, recipient), retried on a
temporary failure until it goes through, recorded as failed on a permanent one.

- Temporary (SMTP 4xx, connection refused, timeouts): the delivery stays ``pending`` and
  is tried again after a growing pause (``retry_delay``), by the pending-deliveries job;
  other members' e-mails do not wait for it, and a restart loses nothing (the delivery
  is stored before it is first tried).
- Permanent (SMTP 5xx: the server refuses the recipient or the message): ``failed``, with
  the server's answer, for staff to see (``GET /v1/notifications?status=failed``).
- ``sent`` once the server accepted it.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Status = Literal["pending", "sent", "failed"]
STATUSES: tuple[Status, ...] = ("pending", "sent", "failed")


class SendRejected(Exception):
    """The SMTP server refused the e-mail for good (5xx): retrying cannot help."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"SMTP {code}: {message}")
        self.code = code
        self.message = message


def retry_delay(attempts: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """The pause before the next try after ``attempts`` failed ones: doubling from
    ``base_seconds``, at most ``max_seconds``."""
    exponent = min(max(attempts - 1, 0), 30)
    return timedelta(seconds=min(base_seconds * 2**exponent, max_seconds))


@dataclass(frozen=True)
class LogEntry:
    """One line of a member's notification log (the address masked)."""

    notification_id: str
    member_id: str
    kind: str
    subject: str
    address: str
    status: Status
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    attempts: int
    error: str | None


class InvalidCursor(ValueError):
    """The cursor was not given by this service (or was altered)."""


def encode_cursor(entry: LogEntry) -> str:
    """The position after ``entry`` in the log's order (newest first, then id)."""
    raw = json.dumps([entry.created_at.isoformat(), entry.notification_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, notification_id = json.loads(raw)
        return datetime.fromisoformat(at), str(notification_id)
    except (ValueError, TypeError, binascii.Error) as error:
        raise InvalidCursor("the cursor is not one this service gave") from error


@dataclass(frozen=True)
class Delivery:
    """One e-mail to one recipient for one event (``delivery_id``: the e-mail's id, from
    the event or the business fact), its content kept while it may have to be sent again
    (``kept``: False for e-mails holding a secret, such as a code, which is never stored)."""

    delivery_id: str
    member_id: str
    kind: str
    to: str
    subject: str
    message_id: str
    body: str | None
    html: str | None
    status: Status
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime
    attempts: int = 0
    sent_at: datetime | None = None
    error: str | None = None

    @property
    def kept(self) -> bool:
        return self.body is not None

    def entry(self, mask: Callable[[str], str]) -> LogEntry:
        return LogEntry(
            notification_id=self.delivery_id,
            member_id=self.member_id,
            kind=self.kind,
            subject=self.subject,
            address=mask(self.to),
            status=self.status,
            created_at=self.created_at,
            updated_at=self.updated_at,
            sent_at=self.sent_at,
            attempts=self.attempts,
            error=self.error,
        )
