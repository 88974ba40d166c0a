"""The Claim aggregate (CL-1): a declaration, the engine's decision at declaration, the
status with its history, documents requested and received, and staff's decision.

Statuses and the changes allowed (``TRANSITIONS``)::

    declared ──► documents_requested ──► under_assessment ──► accepted ─► closed
        │            ▲      │  (a document received)  │    └► rejected ─► closed
        └────────────┴──────┴─────────────────────────┴──► accepted | rejected | closed

Staff decide from ``declared``, ``documents_requested`` or ``under_assessment``: they
follow the engine or override it, and an override needs a reason. Offers and payouts
(PA-8, LA-6) come after ``accepted`` in the next increment.

The facts are kept as the validated JSON of the cover's facts schema: the engine's typed
facts are rebuilt from it by the service whenever it needs to decide again.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from mylm_shared.domain import Aggregate

from claims.domain import deadlines
from claims.domain.decision import Decision, Outcome
from claims.domain.facts import EPROTECTION_COVERS, Cover

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


def claim_number(year: int, number: int) -> str:
    """The human claim number: "CL-2026-000123" (the year of declaration)."""
    return f"CL-{year}-{number:06d}"


@dataclass(frozen=True)
class HistoryEntry:
    """One status change: to what, when, by whom (an account id or ``system``), why."""

    status: Status
    at: datetime
    by: str
    reason: str | None = None


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
            history=(HistoryEntry("declared", at, declared_by),),
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

    def _move(self, to: Status, at: datetime, by: str, reason: str | None = None) -> None:
        if to not in TRANSITIONS[self.status]:
            raise WrongStatus(f"a claim that is {self.status} cannot become {to}")
        self.status = to
        self.history = (*self.history, HistoryEntry(to, at, by, reason))

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
            self._move("under_assessment", document.at, document.by, "document received")

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

    def deadlines(self) -> list[Deadline]:
        """What is promised and still open, soonest first (none once decided against
        or closed). Offers and payments add theirs in the next increment."""
        if self.status in ("rejected", "closed"):
            return []
        found: list[Deadline] = []
        if self.cover == "accident":
            found.append(
                Deadline("advance", "insurer", deadlines.advance_due(self.declared_on), "PA-8")
            )
        elif self.cover in ("identity_theft", "payment_fraud"):
            due = deadlines.eprotection_resolution_due(self.declared_on)
            found.append(Deadline("lar_reimbursement", "insurer", due, "LA-6"))
        elif self.cover == "e_merchant_goods":
            due = deadlines.merchant_settlement_due(self.declared_on)
            found.append(Deadline("lar_refund", "insurer", due, "LA-8"))
        last = self.requests[-1] if self.requests else None
        if self.status == "documents_requested" and last and last.respond_by:
            found.append(Deadline("documents", "member", last.respond_by, "CL-1"))
        return sorted(found, key=lambda d: d.due_on)

    def next_deadline(self) -> Deadline | None:
        found = self.deadlines()
        return found[0] if found else None

    @property
    def counts_for_la1(self) -> bool:
        """LA-1: an e-protection claim not rejected counts as the insurance year's claim."""
        return self.cover in EPROTECTION_COVERS and self.outcome != "rejected"
