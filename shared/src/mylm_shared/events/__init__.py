"""Event contracts: the CloudEvents envelope and the versioned payload models.

Topic = ``<entity>.<past-tense verb>``; key = member id; dead letters on ``<topic>.dlq``.
A consumer ignores unknown fields; a breaking change is a new ``type`` (``…v2``).
"""

from mylm_shared.events.catalog import (
    ALL_EVENTS,
    INVOICE_ISSUED,
    MEMBER_REGISTERED,
    InvoiceIssuedV1,
    InvoiceLineV1,
    MemberRegisteredV1,
)
from mylm_shared.events.envelope import CloudEvent, EventSpec, dlq_topic, new_event

__all__ = [
    "ALL_EVENTS",
    "INVOICE_ISSUED",
    "MEMBER_REGISTERED",
    "CloudEvent",
    "EventSpec",
    "InvoiceIssuedV1",
    "InvoiceLineV1",
    "MemberRegisteredV1",
    "dlq_topic",
    "new_event",
]
