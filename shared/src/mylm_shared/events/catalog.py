"""Every event type on the bus, with its versioned payload model."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from mylm_shared.events.envelope import EventSpec

Language = Literal["nl", "fr", "de"]


class _Payload(BaseModel):
    # A consumer ignores fields it does not know (forward compatibility).
    model_config = ConfigDict(extra="ignore")


class MemberRegisteredV1(_Payload):
    member_id: str
    email: str | None
    language: Language
    mutuality: str
    first_name: str
    last_name: str


class InvoiceLineV1(_Payload):
    service_date: date
    description: str
    amount: Decimal


class InvoiceIssuedV1(_Payload):
    invoice_id: str
    member_id: str
    issue_date: date
    due_date: date
    total: Decimal
    currency: Literal["EUR"] = "EUR"
    structured_reference: str
    lines: list[InvoiceLineV1]


MEMBER_REGISTERED: EventSpec[MemberRegisteredV1] = EventSpec(
    topic="member.registered",
    event_type="be.mylm.member.registered.v1",
    model=MemberRegisteredV1,
    description="A member is known to My LM (directory entry with contact data and language).",
)
INVOICE_ISSUED: EventSpec[InvoiceIssuedV1] = EventSpec(
    topic="invoice.issued",
    event_type="be.mylm.invoice.issued.v1",
    model=InvoiceIssuedV1,
    description="Staff issued an invoice to a member (EI-1, EI-4).",
)

ALL_EVENTS: tuple[EventSpec[Any], ...] = (MEMBER_REGISTERED, INVOICE_ISSUED)
