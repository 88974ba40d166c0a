"""Every event type on the bus, with its versioned payload model."""

from datetime import date, datetime
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
    # Added compatibly (issue 7): the household and the birth date (dossier access, policy).
    birth_date: date | None = None
    titular_member_id: str | None = None


class MemberUpdatedV1(MemberRegisteredV1):
    """The member's whole current directory entry after a change, and what changed
    (``email``, ``mobile``, ``language``, ``titular_member_id``, names …)."""

    changed: list[str]


class AccountCreatedV1(_Payload):
    account_id: str
    member_id: str
    method: Literal["password", "csam"]
    terms_version: str
    terms_accepted_at: datetime


AccountStatus = Literal["active", "suspended", "ended"]


class AccountStatusChangedV1(_Payload):
    """An account's status changed, or its sessions were revoked (LF-2..LF-4).

    Every service refuses the account's access tokens issued before
    ``tokens_invalid_before`` (None: the tokens of before stay refused as they were)."""

    account_id: str
    member_id: str | None
    status: AccountStatus
    reason: str | None
    tokens_invalid_before: datetime | None


class AccessChangedV1(_Payload):
    """A dependant's choice about their titular's access to their dossier (AC-3, AC-5).

    When ``titular_may_access`` is false, every service refuses exchanged tokens for the
    dependant's dossier acting for the titular issued before ``changed_at``."""

    dependant_member_id: str
    titular_member_id: str | None
    titular_may_access: bool
    changed_at: datetime


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


class InvoicePaidV1(_Payload):
    """The payments received for an invoice reach its total (the one that did on
    ``paid_on``, its value date). ``kind``/``policy_id``: a premium invoice names its
    policy (PC-4: the first premium paid activates the contract)."""

    invoice_id: str
    member_id: str
    structured_reference: str
    paid_total: Decimal
    currency: Literal["EUR"] = "EUR"
    paid_on: date
    kind: Literal["care", "premium"] = "care"
    policy_id: str | None = None


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
INVOICE_PAID: EventSpec[InvoicePaidV1] = EventSpec(
    topic="invoice.paid",
    event_type="be.mylm.invoice.paid.v1",
    model=InvoicePaidV1,
    description="An invoice is paid in full by the payments matched to its structured reference.",
)

MEMBER_UPDATED: EventSpec[MemberUpdatedV1] = EventSpec(
    topic="member.updated",
    event_type="be.mylm.member.updated.v1",
    model=MemberUpdatedV1,
    description="A member's directory entry changed (contact, language, household, names).",
)
ACCOUNT_CREATED: EventSpec[AccountCreatedV1] = EventSpec(
    topic="account.created",
    event_type="be.mylm.account.created.v1",
    model=AccountCreatedV1,
    description="A member registered in My LM and accepted the terms (RG-3, RG-4, RG-5).",
)
ACCOUNT_STATUS_CHANGED: EventSpec[AccountStatusChangedV1] = EventSpec(
    topic="account.status_changed",
    event_type="be.mylm.account.status_changed.v1",
    model=AccountStatusChangedV1,
    description="An account was suspended, reactivated, ended or reported compromised (LF-1..4).",
)
ACCESS_CHANGED: EventSpec[AccessChangedV1] = EventSpec(
    topic="access.changed",
    event_type="be.mylm.access.changed.v1",
    model=AccessChangedV1,
    description="A dependant revoked, restored, granted or withdrew their titular's access.",
)

ALL_EVENTS: tuple[EventSpec[Any], ...] = (
    MEMBER_REGISTERED,
    INVOICE_ISSUED,
    INVOICE_PAID,
    MEMBER_UPDATED,
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    ACCESS_CHANGED,
)
