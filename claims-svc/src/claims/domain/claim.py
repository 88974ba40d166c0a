"""The Claim aggregate (CL-1): a declaration, the engine's decision at declaration, the
status with its history, documents requested and received, and staff's decision.

Statuses and the changes allowed (``TRANSITIONS``)::

    declared ──► documents_requested ──► under_assessment ──► accepted ─► closed
        │            ▲      │  (a document received)  │    └► rejected ─► closed
        └────────────┴──────┴─────────────────────────┴──► accepted | rejected | closed

Staff decide from ``declared``, ``documents_requested`` or ``under_assessment``: they
follow the engine or override it, and an override needs a reason. On an accepted claim
staff make offers (PA-8 advance, provisional, final; e-protection: final); the member
accepts one with their IBAN, which instructs one payout; staff record it paid, and a paid
final offer closes the claim (``paid``). Staff close a rejected claim (``rejected``); the
member may withdraw an open or accepted claim with nothing left to pay (``withdrawn``).
The deadlines (``deadlines()``) are recomputed from this state at every change.

The facts are kept as the validated JSON of the cover's facts schema: the engine's typed
facts are rebuilt from it by the service whenever it needs to decide again.
"""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Literal

from mylm_shared.kernel.domain import Aggregate
from mylm_shared.kernel.money import to_cents

from claims.domain import deadlines
from claims.domain.assistance import granted_services, offer_limit, requests_from
from claims.domain.contract import GrantedService, PriorClaim
from claims.domain.decision import Decision, Outcome
from claims.domain.facts import EPROTECTION_COVERS, Cover
from claims.domain.offers import Offer, OfferKind, Payout, payment_due, payout_id_for

Status = Literal[
    "declared", "documents_requested", "under_assessment", "accepted", "rejected", "closed"
]
STATUSES: tuple[Status, ...] = (
    "declared",
    "documents_requested",
    "under_assessment",
    "accepted",
    "rejected",
    "closed",
)
_OPEN: frozenset[Status] = frozenset({"declared", "documents_requested", "under_assessment"})
TRANSITIONS: dict[Status, frozenset[Status]] = {
    "declared": frozenset({"documents_requested", "accepted", "rejected", "closed"}),
    "documents_requested": frozenset(
        {"documents_requested", "under_assessment", "accepted", "rejected", "closed"}
    ),
    "under_assessment": frozenset({"documents_requested", "accepted", "rejected", "closed"}),
    "accepted": frozenset({"closed"}),
    "rejected": frozenset({"closed"}),
    "closed": frozenset(),
}
StaffOutcome = Literal["follow_engine", "covered", "covered_in_part", "rejected"]
SYSTEM = "system"  # who made a change the claim's own rules made


class WrongStatus(Exception):
    """The change does not fit the claim's status (409)."""


class ReasonRequired(ValueError):
    """Staff override the engine without saying why (422)."""


class OfferRefused(ValueError):
    """An offer the conditions do not allow (422), naming the rule (PA-5, LA-11, PA-8)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule


class AlreadyDone(Exception):
    """A retried change that is already recorded: nothing new to save (idempotence)."""


CloseReason = Literal["paid", "rejected", "withdrawn"]


def claim_number(year: int, number: int) -> str:
    """The human claim number: "CL-2026-000123" (the year of declaration)."""
    return f"CL-{year}-{number:06d}"


@dataclass(frozen=True)
class HistoryEntry:
    """One status change: to what, when, by whom (an account id or ``system``), why;
    ``acted_by``: the titular's member id when a titular acted for the claimant with an
    exchanged token (``by`` is then the titular's account; issue 15 item 7)."""

    status: Status
    at: datetime
    by: str
    reason: str | None = None
    acted_by: str | None = None


@dataclass(frozen=True)
class Deadline:
    """A promised step with its last day, inclusive (PA-8, LA-6, LA-8; documents: CL-1)."""

    kind: str
    by: Literal["insurer", "member"]
    due_on: date
    rule: str


@dataclass(frozen=True)
class DocumentRequest:
    documents: tuple[str, ...]
    respond_by: date | None
    at: datetime
    by: str


@dataclass(frozen=True)
class ReceivedDocument:
    """Evidence uploaded for the claim; the bytes are stored apart, insert-only."""

    document_id: str
    file_name: str
    media_type: str
    size: int
    sha256: str
    at: datetime
    by: str
    acted_by: str | None = None  # the titular uploading for the claimant (issue 15 item 7)


@dataclass(frozen=True)
class StaffDecision:
    outcome: Outcome
    overridden: bool  # staff decided otherwise than the engine
    reason: str | None
    at: datetime
    by: str


@dataclass(frozen=True)
class ClaimDeclared:
    claim: "Claim"


@dataclass(frozen=True)
class DocumentsRequested:
    claim: "Claim"
    request: DocumentRequest


@dataclass(frozen=True)
class ClaimDecided:
    claim: "Claim"
    decision: StaffDecision


@dataclass(frozen=True)
class OfferMade:
    claim: "Claim"
    offer: Offer


@dataclass(frozen=True)
class OfferAccepted:
    claim: "Claim"
    offer: Offer


@dataclass(frozen=True)
class PayoutAccountChanged:
    """The account a payout goes to was set or changed (issue 15 item 7): the claimant
    is told by e-mail (masked), whoever made the change."""

    claim: "Claim"
    payout: Payout
    previous_iban: str | None
    at: datetime
    by: str
    acted_by: str | None


@dataclass(frozen=True)
class PayoutPaid:
    claim: "Claim"
    payout: Payout


@dataclass(frozen=True)
class ClaimClosed:
    claim: "Claim"
    closed_on: date
    reason: CloseReason


@dataclass(frozen=True)
class Consolidation:
    """PA-8: the consolidation report's receipt (the final offer is due 3 months later)."""

    report_received_on: date
    expected_pct: Decimal | None
    at: datetime
    by: str


@dataclass(frozen=True)
class MedicalAssessment:
    """PA-8: the consulting doctor ("raadsgeneesheer") finds the injuries not yet
    consolidated and expects this average degree of permanent disability."""

    assessed_on: date
    expected_pct: Decimal
    at: datetime
    by: str


@dataclass
class Claim(Aggregate):
    claim_id: str
    claim_number: str
    member_id: str  # the claimant, an insured person
    policy_id: str
    cover: Cover
    event_date: date
    declared_on: date  # the day it was received (Europe/Brussels)
    facts: dict[str, Any]  # the validated JSON of the cover's facts schema
    engine: Decision  # the cover engine's decision at declaration
    declared_by: str  # the account that declared (the claimant, an acting titular, staff)
    status: Status = "declared"
    history: tuple[HistoryEntry, ...] = ()
    requests: tuple[DocumentRequest, ...] = ()
    documents: tuple[ReceivedDocument, ...] = ()
    staff_decision: StaffDecision | None = None
    request_fingerprint: str = ""
    policyholder_id: str = ""  # whose contract it is (for the staff's view)
    offers: tuple[Offer, ...] = ()
    payouts: tuple[Payout, ...] = ()
    consolidation: Consolidation | None = None
    medical_assessment: MedicalAssessment | None = None
    closed_reason: CloseReason | None = None

    @property
    def aggregate_id(self) -> str:
        return self.claim_id

    @classmethod
    def declare(
        cls,
        *,
        claim_id: str,
        claim_number: str,
        member_id: str,
        policy_id: str,
        cover: Cover,
        event_date: date,
        declared_on: date,
        facts: dict[str, Any],
        engine: Decision,
        declared_by: str,
        at: datetime,
        request_fingerprint: str = "",
        policyholder_id: str = "",
        acted_by: str | None = None,
    ) -> "Claim":
        """CL-1: the declaration with the engine's decision; a late one is flagged (CL-2)
        by the engine, never refused here."""
        claim = cls(
            claim_id=claim_id,
            claim_number=claim_number,
            member_id=member_id,
            policy_id=policy_id,
            cover=cover,
            event_date=event_date,
            declared_on=declared_on,
            facts=facts,
            engine=engine,
            declared_by=declared_by,
            request_fingerprint=request_fingerprint,
            policyholder_id=policyholder_id,
            history=(HistoryEntry("declared", at, declared_by, acted_by=acted_by),),
        )
        claim.raise_event(ClaimDeclared(claim))
        return claim

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    @property
    def outcome(self) -> Outcome:
        """Staff's outcome once they decided, the engine's until then."""
        return self.staff_decision.outcome if self.staff_decision else self.engine.outcome

    def _move(
        self,
        to: Status,
        at: datetime,
        by: str,
        reason: str | None = None,
        acted_by: str | None = None,
    ) -> None:
        if to not in TRANSITIONS[self.status]:
            raise WrongStatus(f"a claim that is {self.status} cannot become {to}")
        self.status = to
        self.history = (*self.history, HistoryEntry(to, at, by, reason, acted_by))

    def request_documents(
        self, documents: tuple[str, ...], respond_by: date | None, at: datetime, by: str
    ) -> DocumentRequest:
        if not documents:
            raise ValueError("name at least one document")
        self._move("documents_requested", at, by, "; ".join(documents))
        request = DocumentRequest(documents, respond_by, at, by)
        self.requests = (*self.requests, request)
        self.raise_event(DocumentsRequested(self, request))
        return request

    def receive_document(self, document: ReceivedDocument) -> None:
        """Evidence for an open claim; the member answering a request puts the claim
        back under assessment."""
        if not self.is_open:
            raise WrongStatus(f"a claim that is {self.status} takes no more documents")
        self.documents = (*self.documents, document)
        if self.status == "documents_requested":
            self._move(
                "under_assessment",
                document.at,
                document.by,
                "document received",
                document.acted_by,
            )

    def decide(self, outcome: StaffOutcome, reason: str | None, at: datetime, by: str) -> None:
        """Staff follow the engine or override it; an override needs a reason."""
        reason = reason.strip() if reason and reason.strip() else None
        decided: Outcome = self.engine.outcome if outcome == "follow_engine" else outcome
        overridden = decided != self.engine.outcome
        if overridden and reason is None:
            raise ReasonRequired(
                f"the engine decided {self.engine.outcome}: overriding it needs a reason"
            )
        target: Status = "rejected" if decided == "rejected" else "accepted"
        self._move(target, at, by, reason)
        decision = StaffDecision(decided, overridden, reason, at, by)
        self.staff_decision = decision
        self.raise_event(ClaimDecided(self, decision))

    # -- offers and payouts (PA-8, LA-6, LA-11) ---------------------------------------

    def offer(self, offer_id: str) -> Offer | None:
        return next((o for o in self.offers if o.offer_id == offer_id), None)

    def payout(self, payout_id: str) -> Payout | None:
        return next((p for p in self.payouts if p.payout_id == payout_id), None)

    @property
    def committed(self) -> Decimal:
        """What accepted offers of this claim bind the insurer to (paid or not)."""
        return sum((o.amount for o in self.offers if o.status == "accepted"), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payouts if p.status == "paid"), Decimal("0.00"))

    def _ceiling_rule(self) -> str:
        if self.cover == "accident":
            return "PA-5"
        if self.cover in EPROTECTION_COVERS:
            return "LA-11"
        rules = [x.rule for x in self.engine.limits if x.amount is not None]
        return rules[0] if rules else "AS-2"

    def make_offer(
        self,
        *,
        offer_id: str,
        kind: OfferKind,
        amount: Decimal,
        respond_by: date | None,
        at: datetime,
        by: str,
        yearly_available: tuple[Decimal, str] | None = None,
    ) -> Offer:
        """Staff offer on an accepted claim. The amount fits the decision's ceiling minus
        what accepted offers already bind (PA-5, LA-11, AS-2..5) and, for e-protection,
        what is left of the insurance year's maximum after the policy's other paid claims
        (``yearly_available``: the amount left and the rule, LA-6/LA-8/LA-11 "per
        schadegeval en per verzekeringsjaar"). Advance and provisional offers are PA-8's
        (accident); a new offer of a kind replaces an open one of that kind."""
        if self.status != "accepted":
            raise WrongStatus(f"a claim that is {self.status} takes no offer")
        amount = to_cents(amount, rounding=ROUND_HALF_EVEN)  # "400" is offered as 400.00
        if amount <= 0:
            raise OfferRefused("CL-1", "an offer is a positive amount")
        if kind != "final" and self.cover != "accident":
            raise OfferRefused("PA-8", f"an {kind} offer is for accident claims only")
        if any(o.kind == kind and o.status == "accepted" for o in self.offers):
            raise WrongStatus(f"a {kind} offer was accepted already")
        if any(o.kind == "final" and o.status == "accepted" for o in self.offers):
            raise WrongStatus("the final offer was accepted already")
        ceiling = self.engine.ceiling  # None when the engine rejected and staff overrode
        if ceiling is not None and self.committed + amount > ceiling:
            raise OfferRefused(
                self._ceiling_rule(),
                f"{amount} EUR exceeds the ceiling of {ceiling} EUR"
                f" ({self.committed} EUR accepted already)",
            )
        payable = self.assistance_offer_limit()
        if payable is not None and self.committed + amount > payable:
            rule = "AS-3" if self.engine.deductible else self._ceiling_rule()
            raise OfferRefused(
                rule,
                f"{amount} EUR exceeds what the services granted pay: {payable} EUR (the "
                f"amounts asked within their caps, less the deductible of "
                f"{self.engine.deductible or Decimal('0.00')} EUR; {self.committed} EUR "
                f"accepted already)",
            )
        if yearly_available is not None and self.committed + amount > yearly_available[0]:
            left, rule = yearly_available
            raise OfferRefused(
                rule,
                f"{amount} EUR exceeds what is left for the insurance year: {left} EUR after "
                f"the policy's paid claims ({self.committed} EUR accepted on this claim)",
            )
        offer = Offer(offer_id, kind, amount, respond_by, at, by)
        self.offers = (
            *(
                replace(o, status="superseded") if o.kind == kind and o.status == "open" else o
                for o in self.offers
            ),
            offer,
        )
        self.raise_event(OfferMade(self, offer))
        return offer

    @property
    def payout_account(self) -> str | None:
        """The account the claim's latest payout goes to (None before any acceptance)."""
        return self.payouts[-1].iban if self.payouts else None

    def accept_offer(
        self,
        offer_id: str,
        iban: str,
        accepted_on: date,
        by: str,
        *,
        at: datetime | None = None,
        acted_by: str | None = None,
    ) -> Payout:
        """The member accepts an offer with their IBAN (validated by the caller): one
        payout instruction, paid by PA-8's month or LA-6's 30 days. The same acceptance
        again (same IBAN) is ``AlreadyDone``, with nothing recorded. An account other
        than the claim's payout account so far is announced (``PayoutAccountChanged``,
        issue 15 item 7)."""
        offer = self.offer(offer_id)
        if offer is None:
            raise KeyError(offer_id)
        if offer.status == "accepted":
            if offer.iban != iban:
                raise WrongStatus("this offer was accepted already with another account")
            raise AlreadyDone(offer_id)
        if offer.status != "open" or self.status != "accepted":
            raise WrongStatus(f"this offer is {offer.status} on a {self.status} claim")
        if any(o.kind == offer.kind and o.status == "accepted" for o in self.offers):
            raise WrongStatus(f"a {offer.kind} offer was accepted already")
        pay_by, rule = payment_due(self.cover, accepted_on)
        accepted = replace(
            offer,
            status="accepted",
            accepted_on=accepted_on,
            accepted_by=by,
            pay_by=pay_by,
            iban=iban,
            acted_by=acted_by,
        )
        self.offers = tuple(accepted if o.offer_id == offer_id else o for o in self.offers)
        payout = Payout(
            payout_id_for(offer_id), offer_id, offer.amount, iban, accepted_on, pay_by, rule
        )
        previous = self.payout_account
        self.payouts = (*self.payouts, payout)
        self.raise_event(OfferAccepted(self, accepted))
        if previous != iban:
            moment = at or datetime.combine(accepted_on, time(), tzinfo=UTC)
            self.raise_event(PayoutAccountChanged(self, payout, previous, moment, by, acted_by))
        return payout

    def change_payout_account(
        self, payout_id: str, iban: str, at: datetime, by: str, acted_by: str | None = None
    ) -> Payout:
        """The claimant changes the account of a payout not yet paid (issue 15 item 7;
        the caller checked a fresh login). The same account again is ``AlreadyDone``."""
        payout = self.payout(payout_id)
        if payout is None:
            raise KeyError(payout_id)
        if payout.iban == iban:
            raise AlreadyDone(payout_id)
        if payout.status != "instructed":
            raise WrongStatus("this payout was paid: its account cannot change")
        changed = replace(payout, iban=iban)
        self.payouts = tuple(changed if p.payout_id == payout_id else p for p in self.payouts)
        self.offers = tuple(
            replace(o, iban=iban) if o.offer_id == payout.offer_id else o for o in self.offers
        )
        self.raise_event(PayoutAccountChanged(self, changed, payout.iban, at, by, acted_by))
        return changed

    def record_paid(self, payout_id: str, paid_on: date, at: datetime, by: str) -> Payout:
        """Staff record the bank's execution of a payout; a paid final offer closes the
        claim (``paid``). Recorded again with the same day: ``AlreadyDone``."""
        payout = self.payout(payout_id)
        if payout is None:
            raise KeyError(payout_id)
        if payout.status == "paid":
            if payout.paid_on != paid_on:
                raise WrongStatus(f"this payout was recorded paid on {payout.paid_on}")
            raise AlreadyDone(payout_id)
        if paid_on < payout.instructed_on:
            raise ValueError("paid_on is before the offer was accepted")
        paid = replace(payout, status="paid", paid_on=paid_on, recorded_by=by)
        self.payouts = tuple(paid if p.payout_id == payout_id else p for p in self.payouts)
        self.raise_event(PayoutPaid(self, paid))
        offer = self.offer(payout.offer_id)
        if offer is not None and offer.kind == "final" and self.status == "accepted":
            self._close("paid", paid_on, at, by)
        return paid

    def record_consolidation(
        self, report_received_on: date, expected_pct: Decimal | None, at: datetime, by: str
    ) -> None:
        """PA-8: the consolidation report received; the final offer is due 3 months later."""
        if self.cover != "accident":
            raise OfferRefused("PA-8", "a consolidation report is for accident claims")
        if self.status in ("rejected", "closed"):
            raise WrongStatus(f"a claim that is {self.status} takes no consolidation report")
        self.consolidation = Consolidation(report_received_on, expected_pct, at, by)

    def record_medical_assessment(
        self, assessed_on: date, expected_pct: Decimal, at: datetime, by: str
    ) -> None:
        """PA-8: not consolidated yet; an expected degree above 50 % makes a provisional
        offer due 2 years after the accident (the latest assessment counts)."""
        if self.cover != "accident":
            raise OfferRefused("PA-8", "a medical assessment is for accident claims")
        if self.status in ("rejected", "closed"):
            raise WrongStatus(f"a claim that is {self.status} takes no medical assessment")
        if self.consolidation is not None:
            raise WrongStatus("the injuries are consolidated: the final offer is due (PA-8)")
        if assessed_on < self.event_date:
            raise ValueError("assessed_on is before the accident")
        self.medical_assessment = MedicalAssessment(assessed_on, expected_pct, at, by)

    def close(
        self, reason: CloseReason, on: date, at: datetime, by: str, acted_by: str | None = None
    ) -> None:
        """``rejected``: staff close a rejected claim; ``withdrawn``: the member withdraws
        a claim with no payout left to make (``paid`` is the final payout's)."""
        if reason == "rejected" and self.status != "rejected":
            raise WrongStatus(f"a claim that is {self.status} is not closed as rejected")
        if reason == "withdrawn":
            if self.status not in _OPEN and self.status != "accepted":
                raise WrongStatus(f"a claim that is {self.status} cannot be withdrawn")
            if any(p.status == "instructed" for p in self.payouts):
                raise WrongStatus("a payout is under way: the claim cannot be withdrawn")
        if reason == "paid":
            raise WrongStatus("a claim is closed as paid by its final payout")
        self._close(reason, on, at, by, acted_by)

    def _close(
        self, reason: CloseReason, on: date, at: datetime, by: str, acted_by: str | None = None
    ) -> None:
        self._move("closed", at, by, reason, acted_by)
        self.closed_reason = reason
        self.raise_event(ClaimClosed(self, on, reason))

    # -- deadlines ---------------------------------------------------------------------

    def deadlines(self) -> list[Deadline]:
        """What is promised and still open, soonest first, recomputed from the state:

        * PA-8 advance: 4 months after the declaration, until any offer;
        * PA-8 provisional offer: 2 years after the accident when the doctor expects more
          than 50 % and the injuries are not consolidated, until a provisional or final
          offer;
        * PA-8 final offer: 3 months after the consolidation report, until it is made;
        * LA-6 reimbursement (5 months) and LA-8 refund (3 months) until an offer;
        * payment: each accepted offer's payout by its ``pay_by`` (PA-8, LA-6) until paid;
        * the claimant's documents by the request's ``respond_by`` (CL-1).

        None once rejected or closed."""
        if self.status in ("rejected", "closed"):
            return []
        found: list[Deadline] = []
        made = {o.kind for o in self.offers}
        if self.cover == "accident":
            if not made:  # a provisional offer is "dit voorschot" too (PA-8)
                due = deadlines.advance_due(self.declared_on)
                found.append(Deadline("advance", "insurer", due, "PA-8"))
            assessed = self.medical_assessment
            if (
                self.consolidation is None
                and assessed is not None
                and not made & {"provisional", "final"}
                and (
                    provisional := deadlines.provisional_offer_due(
                        self.event_date, assessed.expected_pct, consolidated=False
                    )
                )
            ):
                found.append(Deadline("provisional_offer", "insurer", provisional, "PA-8"))
            if self.consolidation is not None and "final" not in made:
                due = deadlines.final_offer_due(self.consolidation.report_received_on)
                found.append(Deadline("final_offer", "insurer", due, "PA-8"))
        elif not made and self.cover in ("identity_theft", "payment_fraud"):
            due = deadlines.eprotection_resolution_due(self.declared_on)
            found.append(Deadline("lar_reimbursement", "insurer", due, "LA-6"))
        elif not made and self.cover == "e_merchant_goods":
            due = deadlines.merchant_settlement_due(self.declared_on)
            found.append(Deadline("lar_refund", "insurer", due, "LA-8"))
        found.extend(
            Deadline("payment", "insurer", p.pay_by, p.rule)
            for p in self.payouts
            if p.status == "instructed"
        )
        last = self.requests[-1] if self.requests else None
        if self.status == "documents_requested" and last and last.respond_by:
            found.append(Deadline("documents", "member", last.respond_by, "CL-1"))
        return sorted(found, key=lambda d: d.due_on)

    def next_deadline(self) -> Deadline | None:
        found = self.deadlines()
        return found[0] if found else None

    @property
    def withdrawn(self) -> bool:
        return self.closed_reason == "withdrawn"

    @property
    def counts_for_la1(self) -> bool:
        """LA-1: an e-protection claim neither rejected nor withdrawn counts as the
        insurance year's claim (issue 16: a withdrawn claim uses nothing)."""
        return (
            self.cover in EPROTECTION_COVERS and self.outcome != "rejected" and not self.withdrawn
        )

    def assistance_offer_limit(self) -> Decimal | None:
        """AS-2..AS-5 (issue 16): the most an offer on an assistance claim may pay, the
        deductible taken off (``assistance.offer_limit``); None for other covers, for a
        claim staff accepted against the engine, or when a service granted has no cap."""
        if self.cover != "assistance" or self.engine.outcome == "rejected":
            return None
        return offer_limit(requests_from(self.facts), self.engine)

    def as_prior(self, claimant_id: str) -> PriorClaim:
        """This claim as an earlier claim for the engine deciding another claim of the
        same policy (issue 16): LA-1 counts it unless rejected or withdrawn; AS-2 uses the
        services it was granted, for the same insured person only, nothing when rejected
        or withdrawn."""
        counts = self.outcome != "rejected" and not self.withdrawn
        granted: tuple[GrantedService, ...] = ()
        if counts and self.cover == "assistance":
            overridden = self.engine.outcome == "rejected"  # staff accepted it anyway
            granted = granted_services(
                requests_from(self.facts), self.engine, everything=overridden
            )
        return PriorClaim(
            cover=self.cover,
            event_date=self.event_date,
            counts=counts,
            same_insured=self.member_id == claimant_id,
            granted=granted,
        )
