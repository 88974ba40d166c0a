"""A member's invoices listed (EI-1; issue 18 item 7): filters by status and period, the
order (newest issue date first, then invoice id) and the opaque cursor of a page.

* ``status="open"`` lists what the member still owes: open **and overdue** invoices (an
  overdue invoice is still to pay; ``status="overdue"`` lists only those).
* The period is on the issue date, both ends included.
* The cursor names the last invoice of the page (its issue date and id): the next page
  starts after it in the order, so invoices issued meanwhile never shift a page (an
  offset would show one twice or skip one).

Pure: no I/O.
"""

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from billing.domain.invoice import UNPAID, Invoice, InvoiceStatus

StatusFilter = Literal["open", "overdue", "paid", "cancelled"]


class InvalidCursor(ValueError):
    """The cursor was not given by this service (or was altered)."""


@dataclass(frozen=True)
class InvoiceFilter:
    status: StatusFilter | None = None
    issued_from: date | None = None
    issued_to: date | None = None

    def __post_init__(self) -> None:
        if self.issued_from and self.issued_to and self.issued_to < self.issued_from:
            raise InvalidCursor("the period ends before it starts")

    def admits(self, invoice: Invoice) -> bool:
        if self.status == "open" and invoice.status not in UNPAID:
            return False
        if self.status not in (None, "open") and invoice.status != self.status:
            return False
        if self.issued_from and invoice.issue_date < self.issued_from:
            return False
        return not (self.issued_to and invoice.issue_date > self.issued_to)


def statuses(status: StatusFilter | None) -> frozenset[InvoiceStatus] | None:
    """The stored statuses a filter lists (None: all)."""
    if status is None:
        return None
    return UNPAID if status == "open" else frozenset({status})


def _key(invoice: Invoice) -> tuple[int, str]:
    return (-invoice.issue_date.toordinal(), invoice.invoice_id)


def ordered(invoices: Iterable[Invoice]) -> list[Invoice]:
    """Newest issue date first; one day's invoices by id (a stable, total order)."""
    return sorted(invoices, key=_key)


def encode_cursor(invoice: Invoice) -> str:
    raw = json.dumps([invoice.issue_date.isoformat(), invoice.invoice_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, invoice_id = json.loads(raw)
        return (-date.fromisoformat(day).toordinal(), str(invoice_id))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise InvalidCursor("the cursor is not one this service gave") from exc


@dataclass(frozen=True)
class Page:
    items: Sequence[Invoice]
    next_cursor: str | None


def page(invoices: Iterable[Invoice], *, limit: int, cursor: str | None, offset: int = 0) -> Page:
    """The ``limit`` invoices after ``cursor`` (and ``offset`` more, the older form) in
    the order; ``next_cursor`` None on the last page."""
    found = ordered(invoices)
    if cursor is not None:
        after = decode_cursor(cursor)
        found = [invoice for invoice in found if _key(invoice) > after]
    items = found[offset : offset + limit]
    more = len(found) > offset + limit
    return Page(items, encode_cursor(items[-1]) if more and items else None)
