"""A claim's milestones as claims-svc publishes them (declared → accepted → final offer →
paid), for the consumers' tests (inbox letters, notify e-mails)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from mylm_shared.events import (
    CLAIM_ACCEPTED,
    CLAIM_DECLARED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    ClaimAcceptedV1,
    ClaimDeadlineV1,
    ClaimDeclaredV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    CloudEvent,
    LocalizedTextV1,
    new_event,
)

ACCIDENT_ADVANCE = ClaimDeadlineV1(
    kind="advance", by="insurer", due_on=date(2027, 3, 5), rule="PA-8"
)


def claim_milestones(
    member_id: str,
    claim_id: str,
    number: str,
    *,
    cover: str = "accident",
    deadline: ClaimDeadlineV1 = ACCIDENT_ADVANCE,
    rules: tuple[str, ...] = ("PA-1",),
    reason: LocalizedTextV1 | None = None,
    ceiling: Decimal | None = None,
) -> list[tuple[str, CloudEvent]]:
    """(topic, event) in order, each event a second after the one before: a letter is
    dated by its event and the store keeps milliseconds."""
    declared = ClaimDeclaredV1(
        claim_id=claim_id,
        claim_number=number,
        member_id=member_id,
        policy_id=str(uuid.uuid4()),
        cover=cover,
        event_date=date(2026, 11, 2),
        declared_on=date(2026, 11, 5),
        late_declaration=False,
        next_deadline=deadline,
    )
    accepted = ClaimAcceptedV1(
        claim_id=claim_id,
        claim_number=number,
        member_id=member_id,
        outcome="covered",
        rules=list(rules),
        reason=reason or LocalizedTextV1(nl="Het ongeval is gedekt.", fr="L'accident est couvert."),
        ceiling=ceiling,
    )
    offer_id = str(uuid.uuid4())
    offer = ClaimOfferMadeV1(
        claim_id=claim_id,
        claim_number=number,
        member_id=member_id,
        offer_id=offer_id,
        kind="final",
        amount=Decimal("1234.50"),
        respond_by=date(2027, 1, 31),
    )
    paid = ClaimPaidV1(
        claim_id=claim_id,
        claim_number=number,
        member_id=member_id,
        payout_id=str(uuid.uuid4()),
        offer_id=offer_id,
        amount=Decimal("1234.50"),
        iban_last4="4321",
        paid_on=date(2027, 1, 20),
    )
    events = [
        ("claim.declared", new_event(CLAIM_DECLARED, declared, source="/t", subject=member_id)),
        ("claim.accepted", new_event(CLAIM_ACCEPTED, accepted, source="/t", subject=member_id)),
        ("claim.offer_made", new_event(CLAIM_OFFER_MADE, offer, source="/t", subject=member_id)),
        ("claim.paid", new_event(CLAIM_PAID, paid, source="/t", subject=member_id)),
    ]
    start = datetime.now(UTC)
    return [
        (topic, event.model_copy(update={"time": start + timedelta(seconds=i)}))
        for i, (topic, event) in enumerate(events)
    ]
