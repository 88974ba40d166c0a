"""policy-svc's amendments (PC-7): versioned documents with their outbox in "amendments",
and the Policy's accepted terms changes as the PolicyMapper stores them."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from mylm_shared.aggregates import Message, MongoAggregates, store_indexes
from mylm_shared.events import AMENDMENT_REMINDED, AmendmentRemindedV1
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.database import AsyncDatabase

from policy.adapters.history import history_document, history_from
from policy.domain.adjustments import PremiumAdjustment
from policy.domain.amendments import (
    Amendment,
    AmendmentReminded,
    Proposal,
    Reminder,
    TermsChange,
)
from policy.domain.product import Premium

AMENDMENTS = "amendments"
# Scheduler and worklist queries (``due``) on these stored dates; policy_id for a policy's.
OPEN_SINCE = "open_since"  # declared_on while open, null once accepted or closed
REMIND_FROM = "remind_from"  # first day of the pending reminder, null when none

AMENDMENT_INDEXES: list[IndexSpec] = [
    *store_indexes(AMENDMENTS, "policy_id", OPEN_SINCE, REMIND_FROM)
]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def premium_document(premium: Premium) -> dict[str, str]:
    return {
        "net": str(premium.net),
        "taxes": str(premium.taxes),
        "contributions": str(premium.contributions),
    }


def premium_from(doc: dict[str, str]) -> Premium:
    return Premium(Decimal(doc["net"]), Decimal(doc["taxes"]), Decimal(doc["contributions"]))


def terms_changes_document(changes: Sequence[TermsChange]) -> list[dict[str, Any]]:
    return [
        {
            "amendment_id": c.amendment_id,
            "kind": c.kind,
            "effective_on": c.effective_on.isoformat(),
            "formula": c.formula,
            "premium": premium_document(c.premium),
            "replaced_formula": c.replaced_formula,
            "replaced_premium": premium_document(c.replaced_premium),
            "adjustments": [
                {
                    "term_number": a.term_number,
                    "due_on": a.due_on.isoformat(),
                    "days": a.days,
                    "term_days": a.term_days,
                    "amount": premium_document(a.amount),
                }
                for a in c.adjustments
            ],
        }
        for c in changes
    ]


def terms_changes_from(docs: Sequence[dict[str, Any]]) -> tuple[TermsChange, ...]:
    return tuple(
        TermsChange(
            d["amendment_id"],
            d["kind"],
            date.fromisoformat(d["effective_on"]),
            d["formula"],
            premium_from(d["premium"]),
            d["replaced_formula"],
            premium_from(d["replaced_premium"]),
            tuple(
                PremiumAdjustment(
                    a["term_number"],
                    date.fromisoformat(a["due_on"]),
                    a["days"],
                    a["term_days"],
                    premium_from(a["amount"]),
                )
                for a in d.get("adjustments", ())  # stored before adjustments existed
            ),
        )
        for d in docs
    )


class AmendmentMapper:
    """Amendment ↔ stored document, and its reminder on the bus."""

    def to_document(self, a: Amendment) -> Document:
        proposal = a.proposal
        is_open = a.status not in ("accepted", "closed")
        return {
            "amendment_id": a.amendment_id,
            "policy_id": a.policy_id,
            "member_id": a.member_id,
            "kind": a.kind,
            "formula": a.formula,
            "occurred_on": a.occurred_on.isoformat(),
            "known_on": a.known_on.isoformat(),
            "declared_on": a.declared_on.isoformat(),
            "declared_by": a.declared_by,
            "status": a.status,
            "proposal": None
            if proposal is None
            else {
                "proposed_on": proposal.proposed_on.isoformat(),
                "received_on": proposal.received_on.isoformat(),
                "formula": proposal.formula,
                "premium": premium_document(proposal.premium),
            },
            "answered_on": _iso(a.answered_on),
            "closed_on": _iso(a.closed_on),
            "close_reason": a.close_reason,
            "reminders": [
                {
                    "step": r.step,
                    "deadline": r.deadline.isoformat(),
                    "sent_on": r.sent_on.isoformat(),
                }
                for r in a.reminders
            ],
            "history": history_document(a.history),
            OPEN_SINCE: a.declared_on.isoformat() if is_open else None,
            REMIND_FROM: _iso(a.remind_from()),
        }

    def from_document(self, doc: Document) -> Amendment:
        proposal: dict[str, Any] | None = doc.get("proposal")
        return Amendment(
            amendment_id=doc["amendment_id"],
            policy_id=doc["policy_id"],
            member_id=doc["member_id"],
            kind=doc["kind"],
            formula=doc["formula"],
            occurred_on=date.fromisoformat(doc["occurred_on"]),
            known_on=date.fromisoformat(doc["known_on"]),
            declared_on=date.fromisoformat(doc["declared_on"]),
            declared_by=doc["declared_by"],
            status=doc["status"],
            proposal=None
            if proposal is None
            else Proposal(
                date.fromisoformat(proposal["proposed_on"]),
                date.fromisoformat(proposal["received_on"]),
                proposal["formula"],
                premium_from(proposal["premium"]),
            ),
            answered_on=_day(doc.get("answered_on")),
            closed_on=_day(doc.get("closed_on")),
            close_reason=doc.get("close_reason", ""),
            reminders=tuple(
                Reminder(
                    r["step"], date.fromisoformat(r["deadline"]), date.fromisoformat(r["sent_on"])
                )
                for r in doc.get("reminders", ())
            ),
            history=history_from(doc.get("history", ())),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        match event:
            case AmendmentReminded(amendment=a, reminder=r):
                payload = AmendmentRemindedV1(
                    amendment_id=a.amendment_id,
                    policy_id=a.policy_id,
                    member_id=a.member_id,
                    step=r.step,
                    deadline=r.deadline,
                )
                return [Message(AMENDMENT_REMINDED, payload, a.member_id)]
        raise TypeError(f"no bus message for {event!r}")


def amendment_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[Amendment]:
    return MongoAggregates(db[AMENDMENTS], AmendmentMapper(), source)
