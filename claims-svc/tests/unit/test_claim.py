"""The Claim aggregate (CL-1): statuses and their history, documents requested and
received, staff's decision following or overriding the engine (an override needs a
reason), deadlines (PA-8, LA-6, LA-8) and claim numbers."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from claims.domain.claim import (
    Claim,
    ClaimDecided,
    ClaimDeclared,
    DocumentsRequested,
    ReasonRequired,
    ReceivedDocument,
    WrongStatus,
    claim_number,
)
from claims.domain.decision import Decision, Reason

from testkit.fakes.claims import CountingClaimNumbers

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
COVERED = Decision(
    outcome="covered",
    rules=("PC-4", "LA-8"),
    reason=Reason("Gedekt.", "Couvert."),
    findings=(),
    late_declaration=False,
    ceiling=Decimal("5000.00"),
    deductible=None,
)


def declared(cover: str = "e_merchant_goods", engine: Decision = COVERED) -> Claim:
    return Claim.declare(
        claim_id="c1",
        claim_number="CL-2026-000001",
        member_id="m1",
        policy_id="p1",
        cover=cover,  # type: ignore[arg-type]
        event_date=date(2026, 3, 2),
        declared_on=date(2026, 3, 3),
        facts={"principal_stake": "800.00"},
        engine=engine,
        declared_by="account-m1",
        at=AT,
    )


def document(n: int = 1) -> ReceivedDocument:
    return ReceivedDocument(f"d{n}", "invoice.pdf", "application/pdf", 10, "ab", AT, "account-m1")


def status_of(claim: Claim) -> str:
    return claim.status  # read again: mypy keeps the status narrowed by an earlier assert


def test_cl1_declaration_starts_the_history_and_raises_claim_declared() -> None:
    claim = declared()
    assert claim.status == "declared"
    assert [(h.status, h.by) for h in claim.history] == [("declared", "account-m1")]
    assert [type(e) for e in claim.events] == [ClaimDeclared]


@pytest.mark.parametrize(
    ("cover", "kind", "due", "rule"),
    [
        pytest.param("accident", "advance", date(2026, 7, 3), "PA-8", id="PA-8-advance-4-months"),
        pytest.param(
            "identity_theft", "lar_reimbursement", date(2026, 8, 3), "LA-6", id="LA-6-5-months"
        ),
        pytest.param(
            "e_merchant_goods", "lar_refund", date(2026, 6, 3), "LA-8", id="LA-8-3-months"
        ),
    ],
)
def test_pa8_la6_la8_the_next_deadline_at_declaration(
    cover: str, kind: str, due: date, rule: str
) -> None:
    deadline = declared(cover).next_deadline()
    assert deadline is not None
    assert (deadline.kind, deadline.due_on, deadline.rule) == (kind, due, rule)


def test_cl1_documents_requested_then_received_puts_the_claim_under_assessment() -> None:
    claim = declared()
    claim.request_documents(("order confirmation",), date(2026, 3, 20), AT, "staff-1")
    assert claim.status == "documents_requested"
    assert isinstance(claim.events[-1], DocumentsRequested)
    assert claim.next_deadline() is not None
    assert ("documents", date(2026, 3, 20)) in [(d.kind, d.due_on) for d in claim.deadlines()]
    claim.receive_document(document())
    assert status_of(claim) == "under_assessment"
    assert [h.status for h in claim.history] == [
        "declared",
        "documents_requested",
        "under_assessment",
    ]
    assert [d.document_id for d in claim.documents] == ["d1"]


def test_cl1_a_document_with_the_declaration_keeps_the_status() -> None:
    claim = declared()
    claim.receive_document(document())
    assert claim.status == "declared"


def test_cl1_staff_follow_the_engine_without_a_reason() -> None:
    claim = declared()
    claim.decide("follow_engine", None, AT, "staff-1")
    assert claim.status == "accepted"
    assert claim.staff_decision is not None and not claim.staff_decision.overridden
    assert isinstance(claim.events[-1], ClaimDecided)
    assert claim.history[-1].by == "staff-1"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_cl1_an_override_needs_a_reason(reason: str | None) -> None:
    claim = declared()
    with pytest.raises(ReasonRequired):
        claim.decide("rejected", reason, AT, "staff-1")
    assert claim.status == "declared" and claim.staff_decision is None


def test_cl1_an_override_with_a_reason_is_recorded_as_overridden() -> None:
    claim = declared()
    claim.decide("rejected", "Fraud established (CL-2).", AT, "staff-1")
    assert claim.status == "rejected"
    assert claim.staff_decision is not None and claim.staff_decision.overridden
    assert claim.history[-1].reason == "Fraud established (CL-2)."
    assert claim.outcome == "rejected"
    assert claim.deadlines() == []  # nothing more is promised on a rejected claim


def test_cl1_the_engines_outcome_named_explicitly_is_not_an_override() -> None:
    claim = declared()
    claim.decide("covered", None, AT, "staff-1")
    assert claim.staff_decision is not None and not claim.staff_decision.overridden


def test_cl1_a_decided_claim_is_not_decided_again_nor_takes_documents() -> None:
    claim = declared()
    claim.decide("follow_engine", None, AT, "staff-1")
    with pytest.raises(WrongStatus):
        claim.decide("rejected", "changed my mind", AT, "staff-1")
    with pytest.raises(WrongStatus):
        claim.request_documents(("x",), None, AT, "staff-1")
    with pytest.raises(WrongStatus):
        claim.receive_document(document())


async def test_cl1_claim_numbers_are_unique_and_per_year() -> None:
    numbers = CountingClaimNumbers()
    found = [await numbers.next(2026) for _ in range(50)]
    assert len(set(found)) == 50
    assert found[0] == "CL-2026-000001" == claim_number(2026, 1)
    assert await numbers.next(2027) == "CL-2027-000001"
