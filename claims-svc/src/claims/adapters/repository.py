"""claims-svc's Mongo database: claims (versioned, with their outbox), what they store and
what their domain events say on the bus."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from mylm_shared.aggregates import Message, MongoAggregates, due_indexes, store_indexes
from mylm_shared.events import (
    CLAIM_ACCEPTED,
    CLAIM_CLOSED,
    CLAIM_DECLARED,
    CLAIM_DOCUMENTS_REQUESTED,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    CLAIM_PAYOUT_ACCOUNT_CHANGED,
    CLAIM_REJECTED,
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeadlineV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimPayoutAccountChangedV1,
    ClaimRejectedV1,
    LocalizedTextV1,
)
from mylm_shared.mongo import Document, IndexSpec, as_utc
from pymongo.asynchronous.database import AsyncDatabase

from claims.domain.claim import (
    Claim,
    ClaimClosed,
    ClaimDecided,
    ClaimDeclared,
    Consolidation,
    DocumentRequest,
    DocumentsRequested,
    HistoryEntry,
    MedicalAssessment,
    OfferAccepted,
    OfferMade,
    PayoutAccountChanged,
    PayoutPaid,
    ReceivedDocument,
    StaffDecision,
)
from claims.domain.decision import Decision, Finding, Limit, Reason
from claims.domain.offers import Offer, Payout

CLAIMS = "claims"
# The worklist's field: the newest version's nearest deadline (ISO date), None when none.
NEXT_DEADLINE_ON = "next_deadline_on"

INDEXES: list[IndexSpec] = [
    *store_indexes(CLAIMS, "member_id", "policy_id"),
    *due_indexes(CLAIMS, NEXT_DEADLINE_ON),
]


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def offer_document(o: Offer) -> Document:
    return {
        "offer_id": o.offer_id,
        "kind": o.kind,
        "amount": str(o.amount),
        "respond_by": _day(o.respond_by),
        "made_at": o.made_at,
        "made_by": o.made_by,
        "status": o.status,
        "accepted_on": _day(o.accepted_on),
        "accepted_by": o.accepted_by,
        "pay_by": _day(o.pay_by),
        "iban": o.iban,
        "acted_by": o.acted_by,
    }


def offer_from(d: Document) -> Offer:
    return Offer(
        offer_id=d["offer_id"],
        kind=d["kind"],
        amount=Decimal(d["amount"]),
        respond_by=_from_day(d["respond_by"]),
        made_at=as_utc(d["made_at"]),
        made_by=d["made_by"],
        status=d["status"],
        accepted_on=_from_day(d["accepted_on"]),
        accepted_by=d["accepted_by"],
        pay_by=_from_day(d["pay_by"]),
        iban=d["iban"],
        acted_by=d.get("acted_by"),
    )


def payout_document(p: Payout) -> Document:
    return {
        "payout_id": p.payout_id,
        "offer_id": p.offer_id,
        "amount": str(p.amount),
        "iban": p.iban,
        "instructed_on": p.instructed_on.isoformat(),
        "pay_by": p.pay_by.isoformat(),
        "rule": p.rule,
        "status": p.status,
        "paid_on": _day(p.paid_on),
        "recorded_by": p.recorded_by,
    }


def payout_from(d: Document) -> Payout:
    return Payout(
        payout_id=d["payout_id"],
        offer_id=d["offer_id"],
        amount=Decimal(d["amount"]),
        iban=d["iban"],
        instructed_on=date.fromisoformat(d["instructed_on"]),
        pay_by=date.fromisoformat(d["pay_by"]),
        rule=d["rule"],
        status=d["status"],
        paid_on=_from_day(d["paid_on"]),
        recorded_by=d["recorded_by"],
    )


def _consolidation(c: Consolidation | None) -> Document | None:
    if c is None:
        return None
    return {
        "report_received_on": c.report_received_on.isoformat(),
        "expected_pct": _money(c.expected_pct),
        "at": c.at,
        "by": c.by,
    }


def _assessment(a: MedicalAssessment | None) -> Document | None:
    if a is None:
        return None
    return {
        "assessed_on": a.assessed_on.isoformat(),
        "expected_pct": _money(a.expected_pct),
        "at": a.at,
        "by": a.by,
    }


def _assessment_from(d: Document | None) -> MedicalAssessment | None:
    if d is None:
        return None
    return MedicalAssessment(
        date.fromisoformat(d["assessed_on"]), Decimal(d["expected_pct"]), as_utc(d["at"]), d["by"]
    )


def _consolidation_from(d: Document | None) -> Consolidation | None:
    if d is None:
        return None
    return Consolidation(
        date.fromisoformat(d["report_received_on"]),
        _decimal(d["expected_pct"]),
        as_utc(d["at"]),
        d["by"],
    )


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def decision_document(d: Decision) -> Document:
    return {
        "outcome": d.outcome,
        "rules": list(d.rules),
        "reason": {"nl": d.reason.nl, "fr": d.reason.fr},
        "findings": [
            {"rule": f.rule, "effect": f.effect, "nl": f.reason.nl, "fr": f.reason.fr}
            for f in d.findings
        ],
        "late_declaration": d.late_declaration,
        "ceiling": _money(d.ceiling),
        "deductible": _money(d.deductible),
        "limits": [
            {
                "item": x.item,
                "amount": _money(x.amount),
                "rule": x.rule,
                "quantity": _money(x.quantity),
            }
            for x in d.limits
        ],
    }


def decision_from(doc: Document) -> Decision:
    return Decision(
        outcome=doc["outcome"],
        rules=tuple(doc["rules"]),
        reason=Reason(doc["reason"]["nl"], doc["reason"]["fr"]),
        findings=tuple(
            Finding(f["rule"], f["effect"], Reason(f["nl"], f["fr"])) for f in doc["findings"]
        ),
        late_declaration=doc["late_declaration"],
        ceiling=_decimal(doc["ceiling"]),
        deductible=_decimal(doc["deductible"]),
        limits=tuple(
            Limit(x["item"], _decimal(x["amount"]), x["rule"], _decimal(x["quantity"]))
            for x in doc["limits"]
        ),
    )


class ClaimMapper:
    """Claim ↔ stored document, and what its domain events say on the bus."""

    def to_document(self, c: Claim) -> Document:
        s = c.staff_decision
        deadline = c.next_deadline()
        return {
            "claim_id": c.claim_id,
            "claim_number": c.claim_number,
            "member_id": c.member_id,
            "policy_id": c.policy_id,
            "policyholder_id": c.policyholder_id,
            "cover": c.cover,
            "event_date": c.event_date.isoformat(),
            "declared_on": c.declared_on.isoformat(),
            "facts": c.facts,
            "engine": decision_document(c.engine),
            "declared_by": c.declared_by,
            "status": c.status,
            "history": [
                {
                    "status": h.status,
                    "at": h.at,
                    "by": h.by,
                    "reason": h.reason,
                    "acted_by": h.acted_by,
                }
                for h in c.history
            ],
            "requests": [
                {
                    "documents": list(r.documents),
                    "respond_by": r.respond_by.isoformat() if r.respond_by else None,
                    "at": r.at,
                    "by": r.by,
                }
                for r in c.requests
            ],
            "documents": [
                {
                    "document_id": d.document_id,
                    "file_name": d.file_name,
                    "media_type": d.media_type,
                    "size": d.size,
                    "sha256": d.sha256,
                    "at": d.at,
                    "by": d.by,
                    "acted_by": d.acted_by,
                }
                for d in c.documents
            ],
            "staff_decision": None
            if s is None
            else {
                "outcome": s.outcome,
                "overridden": s.overridden,
                "reason": s.reason,
                "at": s.at,
                "by": s.by,
            },
            "request_fingerprint": c.request_fingerprint,
            "offers": [offer_document(o) for o in c.offers],
            "payouts": [payout_document(p) for p in c.payouts],
            "consolidation": _consolidation(c.consolidation),
            "medical_assessment": _assessment(c.medical_assessment),
            "closed_reason": c.closed_reason,
            # Recomputed at every change: the worklist reads current versions by it.
            NEXT_DEADLINE_ON: None if deadline is None else deadline.due_on.isoformat(),
        }

    def from_document(self, doc: Document) -> Claim:
        s: dict[str, Any] | None = doc.get("staff_decision")
        return Claim(
            claim_id=doc["claim_id"],
            claim_number=doc["claim_number"],
            member_id=doc["member_id"],
            policy_id=doc["policy_id"],
            policyholder_id=doc.get("policyholder_id", ""),
            cover=doc["cover"],
            event_date=date.fromisoformat(doc["event_date"]),
            declared_on=date.fromisoformat(doc["declared_on"]),
            facts=doc["facts"],
            engine=decision_from(doc["engine"]),
            declared_by=doc["declared_by"],
            status=doc["status"],
            history=tuple(
                HistoryEntry(
                    h["status"], as_utc(h["at"]), h["by"], h.get("reason"), h.get("acted_by")
                )
                for h in doc["history"]
            ),
            requests=tuple(
                DocumentRequest(
                    tuple(r["documents"]),
                    date.fromisoformat(r["respond_by"]) if r["respond_by"] else None,
                    as_utc(r["at"]),
                    r["by"],
                )
                for r in doc["requests"]
            ),
            documents=tuple(
                ReceivedDocument(
                    d["document_id"],
                    d["file_name"],
                    d["media_type"],
                    d["size"],
                    d["sha256"],
                    as_utc(d["at"]),
                    d["by"],
                    d.get("acted_by"),
                )
                for d in doc["documents"]
            ),
            staff_decision=None
            if s is None
            else StaffDecision(
                s["outcome"], s["overridden"], s["reason"], as_utc(s["at"]), s["by"]
            ),
            request_fingerprint=doc.get("request_fingerprint", ""),
            offers=tuple(offer_from(o) for o in doc.get("offers", [])),
            payouts=tuple(payout_from(p) for p in doc.get("payouts", [])),
            consolidation=_consolidation_from(doc.get("consolidation")),
            medical_assessment=_assessment_from(doc.get("medical_assessment")),
            closed_reason=doc.get("closed_reason"),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        match event:
            case ClaimDeclared(claim=c):
                deadline = c.next_deadline()
                declared = ClaimDeclaredV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    policy_id=c.policy_id,
                    cover=c.cover,
                    event_date=c.event_date,
                    declared_on=c.declared_on,
                    late_declaration=c.engine.late_declaration,
                    acted_by=c.history[0].acted_by if c.history else None,
                    next_deadline=None
                    if deadline is None
                    else ClaimDeadlineV1(
                        kind=deadline.kind,
                        by=deadline.by,
                        due_on=deadline.due_on,
                        rule=deadline.rule,
                    ),
                )
                return [Message(CLAIM_DECLARED, declared, c.member_id)]
            case DocumentsRequested(claim=c, request=r):
                requested = ClaimDocumentsRequestedV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    documents=list(r.documents),
                    respond_by=r.respond_by,
                )
                return [Message(CLAIM_DOCUMENTS_REQUESTED, requested, c.member_id)]
            case ClaimDecided(claim=c, decision=s):
                return [_decided(c, s)]
            case OfferMade(claim=c, offer=o):
                made = ClaimOfferMadeV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    offer_id=o.offer_id,
                    kind=o.kind,
                    amount=o.amount,
                    respond_by=o.respond_by,
                )
                return [Message(CLAIM_OFFER_MADE, made, c.member_id)]
            case OfferAccepted(claim=c, offer=o):
                assert o.accepted_on is not None and o.pay_by is not None
                accepted = ClaimOfferAcceptedV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    offer_id=o.offer_id,
                    amount=o.amount,
                    accepted_on=o.accepted_on,
                    pay_by=o.pay_by,
                    acted_by=o.acted_by,
                )
                return [Message(CLAIM_OFFER_ACCEPTED, accepted, c.member_id)]
            case PayoutPaid(claim=c, payout=p):
                assert p.paid_on is not None
                paid = ClaimPaidV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    payout_id=p.payout_id,
                    offer_id=p.offer_id,
                    amount=p.amount,
                    iban_last4=p.iban_last4,
                    paid_on=p.paid_on,
                )
                return [Message(CLAIM_PAID, paid, c.member_id)]
            case PayoutAccountChanged(claim=c, payout=p, previous_iban=before):
                changed = ClaimPayoutAccountChangedV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    payout_id=p.payout_id,
                    iban_last4=p.iban_last4,  # masked: never the whole account on the bus
                    previous_iban_last4=None if before is None else before[-4:],
                    changed_at=event.at,
                    acted_by=event.acted_by,
                )
                return [Message(CLAIM_PAYOUT_ACCOUNT_CHANGED, changed, c.member_id)]
            case ClaimClosed(claim=c, closed_on=on, reason=reason):
                closed = ClaimClosedV1(
                    claim_id=c.claim_id,
                    claim_number=c.claim_number,
                    member_id=c.member_id,
                    closed_on=on,
                    reason=reason,
                )
                return [Message(CLAIM_CLOSED, closed, c.member_id)]
        raise TypeError(f"no bus message for {event!r}")


def _decided(c: Claim, s: StaffDecision) -> Message:
    reason = (
        LocalizedTextV1(
            nl=f"Beslissing van onze medewerker: {s.reason}",
            fr=f"Décision de notre collaborateur : {s.reason}",
        )
        if s.overridden
        else LocalizedTextV1(nl=c.engine.reason.nl, fr=c.engine.reason.fr)
    )
    rules = list(c.engine.rules)
    if s.outcome == "rejected":
        rejected = ClaimRejectedV1(
            claim_id=c.claim_id,
            claim_number=c.claim_number,
            member_id=c.member_id,
            rules=rules,
            reason=reason,
            overridden=s.overridden,
        )
        return Message(CLAIM_REJECTED, rejected, c.member_id)
    # An override to "covered" of a claim the engine rejected has no engine ceiling.
    accepted = ClaimAcceptedV1(
        claim_id=c.claim_id,
        claim_number=c.claim_number,
        member_id=c.member_id,
        outcome=s.outcome,
        rules=rules,
        reason=reason,
        ceiling=c.engine.ceiling,
        deductible=c.engine.deductible,
        overridden=s.overridden,
    )
    return Message(CLAIM_ACCEPTED, accepted, c.member_id)


def claim_store(db: AsyncDatabase[Document], source: str) -> MongoAggregates[Claim]:
    return MongoAggregates(db[CLAIMS], ClaimMapper(), source)
