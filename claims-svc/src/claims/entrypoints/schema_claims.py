"""The bodies and answers of the claim routes: a declaration (``cover`` chooses the schema
of ``facts``, the same facts as the cover check), the claim with its decision, history,
deadlines and documents, documents requests and staff's decision."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from mylm_shared.inputs import InputModel, Multiline
from pydantic import BaseModel, ConfigDict, Field

from claims.domain.claim import Claim, CloseReason, Status
from claims.domain.decision import Outcome
from claims.domain.facts import Cover
from claims.domain.offers import Offer, OfferKind, OfferStatus, Payout, PayoutStatus
from claims.entrypoints.mapping import to_answer
from claims.entrypoints.schema_cover_check import CoverCheckOut
from claims.entrypoints.schema_facts import (
    AccidentFacts,
    AssistanceFacts,
    ConnectedObjectFacts,
    EMerchantGoodsFacts,
    EMerchantServiceFacts,
    EReputationFacts,
    IdentityTheftFacts,
    PaymentFraudFacts,
)
from claims.entrypoints.schema_types import Day

_IN = ConfigDict(extra="forbid", frozen=True)
Id = Annotated[str, Field(min_length=1, max_length=64)]


class _Declaration(InputModel):
    model_config = _IN
    member_id: Id = Field(description="The claimant: an insured person (CL-1).")
    policy_id: Id | None = Field(
        None,
        description="The contract; when absent, the claimant's own contract running on the "
        "event date (a dependant's claim names the titular's contract).",
    )
    event_date: Day = Field(description="The day of the accident or the harmful event.")


class AccidentDeclaration(_Declaration):
    cover: Literal["accident"]
    facts: AccidentFacts


class AssistanceDeclaration(_Declaration):
    cover: Literal["assistance"]
    facts: AssistanceFacts


class IdentityTheftDeclaration(_Declaration):
    cover: Literal["identity_theft"]
    facts: IdentityTheftFacts


class PaymentFraudDeclaration(_Declaration):
    cover: Literal["payment_fraud"]
    facts: PaymentFraudFacts


class EReputationDeclaration(_Declaration):
    cover: Literal["e_reputation"]
    facts: EReputationFacts


class EMerchantGoodsDeclaration(_Declaration):
    cover: Literal["e_merchant_goods"]
    facts: EMerchantGoodsFacts


class EMerchantServiceDeclaration(_Declaration):
    cover: Literal["e_merchant_service"]
    facts: EMerchantServiceFacts


class ConnectedObjectDeclaration(_Declaration):
    cover: Literal["connected_object"]
    facts: ConnectedObjectFacts


DeclarationIn = Annotated[
    AccidentDeclaration
    | AssistanceDeclaration
    | IdentityTheftDeclaration
    | PaymentFraudDeclaration
    | EReputationDeclaration
    | EMerchantGoodsDeclaration
    | EMerchantServiceDeclaration
    | ConnectedObjectDeclaration,
    Field(discriminator="cover"),
]


class DocumentsRequestIn(InputModel):
    model_config = _IN
    documents: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=30, description="What the claimant is asked to send."
    )
    respond_by: date | None = Field(None, description="The last day to send them, if any.")


class DecisionIn(InputModel):
    model_config = _IN
    outcome: Literal["follow_engine", "covered", "covered_in_part", "rejected"] = Field(
        description="Follow the engine's outcome, or decide another one (an override)."
    )
    reason: Multiline | None = Field(
        None,
        max_length=2000,
        description="Why; required when overriding the engine. May hold line breaks.",
    )


class HistoryOut(BaseModel):
    status: Status
    at: datetime
    by: str = Field(description="The account that made the change, or ``system``.")
    reason: str | None
    acted_by: str | None = Field(
        default=None,
        description="The titular's member id when a titular made the change acting for the "
        "claimant (``by`` is then the titular's account).",
    )


class DeadlineOut(BaseModel):
    kind: str = Field(
        description='"advance", "final_offer", "payment", "lar_reimbursement", "lar_refund", '
        '"documents".'
    )
    by: Literal["insurer", "member"]
    due_on: date = Field(description="The last day, inclusive.")
    rule: str


class DocumentsRequestedOut(BaseModel):
    documents: list[str]
    respond_by: date | None
    at: datetime


class DocumentOut(BaseModel):
    document_id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    received_at: datetime
    href: str = Field(description="GET it (the file's bytes).")


class StaffDecisionOut(BaseModel):
    outcome: Outcome
    overridden: bool = Field(description="Staff decided otherwise than the engine.")
    reason: str | None
    at: datetime


class OfferOut(BaseModel):
    offer_id: str
    kind: OfferKind = Field(description="PA-8: advance, provisional or final.")
    amount: str = Field(description='Euros, a decimal string ("400.00").')
    currency: Literal["EUR"] = "EUR"
    respond_by: date | None
    status: OfferStatus = Field(description="``superseded`` by a later offer of its kind.")
    made_at: datetime
    accepted_on: date | None
    pay_by: date | None = Field(description="PA-8: 1 month, LA-6: 30 days after acceptance.")

    @classmethod
    def of(cls, o: Offer) -> "OfferOut":
        return cls(
            offer_id=o.offer_id,
            kind=o.kind,
            amount=str(o.amount),
            respond_by=o.respond_by,
            status=o.status,
            made_at=o.made_at,
            accepted_on=o.accepted_on,
            pay_by=o.pay_by,
        )


class PayoutOut(BaseModel):
    payout_id: str = Field(description="Derived from the offer: one payout per offer.")
    offer_id: str
    amount: str = Field(description='Euros, a decimal string ("400.00").')
    currency: Literal["EUR"] = "EUR"
    iban_last4: str = Field(description="The member's account, masked.")
    instructed_on: date
    pay_by: date
    rule: str = Field(description="PA-8 or LA-6.")
    status: PayoutStatus = Field(description="``instructed`` to the bank, then ``paid``.")
    paid_on: date | None

    @classmethod
    def of(cls, p: Payout) -> "PayoutOut":
        return cls(
            payout_id=p.payout_id,
            offer_id=p.offer_id,
            amount=str(p.amount),
            iban_last4=p.iban_last4,
            instructed_on=p.instructed_on,
            pay_by=p.pay_by,
            rule=p.rule,
            status=p.status,
            paid_on=p.paid_on,
        )


class MedicalAssessmentOut(BaseModel):
    assessed_on: date
    expected_pct: Decimal = Field(description="PA-8: the expected degree of permanent disability.")


class ClaimOut(BaseModel):
    claim_id: str
    claim_number: str = Field(description='e.g. "CL-2026-000123".')
    member_id: str
    policy_id: str
    cover: Cover
    event_date: date
    declared_on: date = Field(description="The day it was received (Europe/Brussels).")
    status: Status
    outcome: Outcome = Field(description="Staff's outcome once decided, the engine's before.")
    decision: CoverCheckOut = Field(description="The cover engine's decision at declaration.")
    staff_decision: StaffDecisionOut | None
    deadlines: list[DeadlineOut] = Field(description="Open promised steps, soonest first.")
    history: list[HistoryOut]
    documents_requested: list[DocumentsRequestedOut]
    documents: list[DocumentOut]
    facts: dict[str, object] = Field(description="The facts as declared.")
    offers: list[OfferOut] = Field(description="Staff's offers, oldest first.")
    payouts: list[PayoutOut] = Field(description="One per accepted offer.")
    consolidation_report_received_on: date | None = Field(
        description="PA-8: the final offer is due 3 months later."
    )
    medical_assessment: MedicalAssessmentOut | None = Field(
        description="PA-8: before consolidation; above 50 % a provisional offer is due."
    )
    closed_reason: CloseReason | None

    @classmethod
    def of(cls, c: Claim) -> "ClaimOut":
        s = c.staff_decision
        return cls(
            claim_id=c.claim_id,
            claim_number=c.claim_number,
            member_id=c.member_id,
            policy_id=c.policy_id,
            cover=c.cover,
            event_date=c.event_date,
            declared_on=c.declared_on,
            status=c.status,
            outcome=c.outcome,
            decision=to_answer(c.engine),
            staff_decision=None
            if s is None
            else StaffDecisionOut(
                outcome=s.outcome, overridden=s.overridden, reason=s.reason, at=s.at
            ),
            deadlines=[
                DeadlineOut(kind=d.kind, by=d.by, due_on=d.due_on, rule=d.rule)
                for d in c.deadlines()
            ],
            history=[
                HistoryOut(status=h.status, at=h.at, by=h.by, reason=h.reason, acted_by=h.acted_by)
                for h in c.history
            ],
            documents_requested=[
                DocumentsRequestedOut(documents=list(r.documents), respond_by=r.respond_by, at=r.at)
                for r in c.requests
            ],
            documents=[
                DocumentOut(
                    document_id=d.document_id,
                    file_name=d.file_name,
                    media_type=d.media_type,
                    size=d.size,
                    sha256=d.sha256,
                    received_at=d.at,
                    href=f"/v1/claims/{c.claim_id}/documents/{d.document_id}",
                )
                for d in c.documents
            ],
            facts=c.facts,
            offers=[OfferOut.of(o) for o in c.offers],
            payouts=[PayoutOut.of(p) for p in c.payouts],
            consolidation_report_received_on=c.consolidation.report_received_on
            if c.consolidation
            else None,
            medical_assessment=None
            if (m := c.medical_assessment) is None
            else MedicalAssessmentOut(assessed_on=m.assessed_on, expected_pct=m.expected_pct),
            closed_reason=c.closed_reason,
        )


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    limit: int
    offset: int
