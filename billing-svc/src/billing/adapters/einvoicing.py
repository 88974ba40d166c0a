"""billing-svc's e-invoicing state in Mongo (issue 18 item 3; EI-2, EI-3): one
``EInvoicing`` aggregate per member, insert-only versions with their outbox
(``einvoicing.changed``), as every aggregate (``mylm_shared.aggregates``)."""

from collections.abc import Sequence
from datetime import datetime

from mylm_shared.aggregates import Message, MongoAggregates, store_indexes
from mylm_shared.events import EINVOICING_CHANGED, EInvoicingChangedV1
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase

from billing.domain.einvoicing import Actor, EInvoicing, EInvoicingChanged, Switch

EINVOICING = "einvoicing"

EINVOICING_INDEXES: list[IndexSpec] = store_indexes(EINVOICING)


class EInvoicingMapper:
    """EInvoicing ↔ stored document; ``EInvoicingChanged`` → ``einvoicing.changed``."""

    def to_document(self, state: EInvoicing) -> Document:
        return {
            "member_id": state.member_id,
            "enabled": state.enabled,
            "history": [
                {
                    "enabled": s.enabled,
                    "at": s.at.isoformat(),
                    "actor": s.actor.kind,
                    "actor_id": s.actor.actor_id,
                    "cause": s.cause,
                }
                for s in state.history
            ],
        }

    def from_document(self, doc: Document) -> EInvoicing:
        return EInvoicing(
            member_id=doc["member_id"],
            history=tuple(
                Switch(
                    enabled=s["enabled"],
                    at=datetime.fromisoformat(s["at"]),
                    actor=Actor(s["actor"], s.get("actor_id", "")),
                    cause=s.get("cause", ""),
                )
                for s in doc.get("history", ())
            ),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        match event:
            case EInvoicingChanged(member_id=member_id, switch=switch):
                payload = EInvoicingChangedV1(
                    member_id=member_id,
                    enabled=switch.enabled,
                    since=switch.at,
                    changed_by=switch.actor.changed_by,
                )
                return [Message(EINVOICING_CHANGED, payload, member_id)]
        raise TypeError(f"no bus message for {event!r}")


def einvoicing_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[EInvoicing]:
    return MongoAggregates(db[EINVOICING], EInvoicingMapper(), source)
