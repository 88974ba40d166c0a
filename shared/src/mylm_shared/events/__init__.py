"""Event contracts: the CloudEvents envelope and the versioned payload models.

Topic = ``<entity>.<past-tense verb>``; key = member id; dead letters on ``<topic>.dlq``.
A consumer ignores unknown fields; a breaking change is a new ``type`` (``…v2``).
"""

from mylm_shared.events.catalog import (
    ACCESS_CHANGED,
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    ALL_EVENTS,
    INVOICE_ISSUED,
    INVOICE_PAID,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_ISSUED,
    POLICY_TERMINATED,
    PREMIUM_DUE,
    AccessChangedV1,
    AccountCreatedV1,
    AccountStatusChangedV1,
    InvoiceIssuedV1,
    InvoiceLineV1,
    InvoicePaidV1,
    MemberRegisteredV1,
    MemberUpdatedV1,
    PolicyIssuedV1,
    PolicyTerminatedV1,
    PremiumDueV1,
    PremiumV1,
)
from mylm_shared.events.envelope import CloudEvent, EventSpec, dlq_topic, new_event

__all__ = [
    "ACCESS_CHANGED",
    "ACCOUNT_CREATED",
    "ACCOUNT_STATUS_CHANGED",
    "ALL_EVENTS",
    "INVOICE_ISSUED",
    "INVOICE_PAID",
    "MEMBER_REGISTERED",
    "MEMBER_UPDATED",
    "POLICY_ISSUED",
    "POLICY_TERMINATED",
    "PREMIUM_DUE",
    "AccessChangedV1",
    "AccountCreatedV1",
    "AccountStatusChangedV1",
    "CloudEvent",
    "EventSpec",
    "InvoiceIssuedV1",
    "InvoiceLineV1",
    "InvoicePaidV1",
    "MemberRegisteredV1",
    "MemberUpdatedV1",
    "PolicyIssuedV1",
    "PolicyTerminatedV1",
    "PremiumDueV1",
    "PremiumV1",
    "dlq_topic",
    "new_event",
]
