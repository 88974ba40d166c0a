"""Offers and payouts: ceilings (PA-5, LA-11), the insurance year's maximum after paid
claims (LA-6, LA-8, LA-11), IBAN validation, an idempotent acceptance giving one payout,
pay_by per cover (PA-8 1 month, LA-6 30 days), the deadlines at each step (PA-8, LA-6,
LA-8, CL-1), closing, and the staff worklist's order."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from claims.adapters.repository import ClaimMapper
from claims.domain.claim import (
    Claim,
    ClaimClosed,
    OfferRefused,
    PayoutPaid,
    WrongStatus,
)
from claims.domain.decision import Decision, Reason
from claims.domain.offers import InvalidIban, payment_due, payout_id_for, valid_iban
from claims.service.policies import PolicyFacts
from claims.service.settlement import SettlementService
from mylm_shared.events import (
    CLAIM_CLOSED,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
)

from testkit.fakes.claims import ClaimsFakes
from testkit.fakes.shared import InMemoryAggregates

AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
BE_IBAN = "BE71 0961 2345 6769"
POLICY = PolicyFacts(
    policy_id="p1",
    policyholder_id="m1",
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    threshold_pct=5,
    e_protection=True,
    first_premium_paid=True,
    signed=True,
)


def decision(ceiling: str | None = "5000.00", outcome: str = "covered") -> Decision:
    return Decision(
        outcome=outcome,  # type: ignore[arg-type]
        rules=("PC-4", "LA-8"),
        reason=Reason("Gedekt.", "Couvert."),
        findings=(),
        late_declaration=False,
        ceiling=None if ceiling is None else Decimal(ceiling),
        deductible=None,
    )


def accepted_claim(
    cover: str = "e_merchant_goods",
    *,
    claim_id: str = "c1",
    engine: Decision | None = None,
    event_date: date = date(2026, 3, 2),
    declared_on: date = date(2026, 3, 3),
    accept: bool = True,
) -> Claim:
    claim = Claim.declare(
        claim_id=claim_id,
        claim_number=f"CL-2026-{claim_id}",
        member_id="m1",
        policy_id="p1",
        cover=cover,  # type: ignore[arg-type]
        event_date=event_date,
        declared_on=declared_on,
        facts={},
        engine=engine or decision(),
        declared_by="account-m1",
        at=AT,
    )
    if accept:
        if claim.engine.outcome == "rejected":
            claim.decide("covered", "staff: covered after all", AT, "staff")
        else:
            claim.decide("follow_engine", None, AT, "staff")
    return claim


def offer(claim: Claim, amount: str, kind: str = "final", offer_id: str = "o1", **kw: Any) -> None:
    claim.make_offer(
        offer_id=offer_id,
        kind=kind,  # type: ignore[arg-type]
        amount=Decimal(amount),
        respond_by=None,
        at=AT,
        by="staff",
        **kw,
    )


def kinds(claim: Claim) -> list[tuple[str, date, str]]:
    return [(d.kind, d.due_on, d.rule) for d in claim.deadlines()]


# -- offers: status, kinds and ceilings ------------------------------------------------


def test_cl1_an_offer_needs_an_accepted_claim() -> None:
    claim = accepted_claim(accept=False)
    with pytest.raises(WrongStatus):
        offer(claim, "100.00")


@pytest.mark.parametrize(
    ("cover", "ceiling", "amount", "rule", "ok"),
    [
        pytest.param("e_merchant_goods", "5000.00", "5000.00", "LA-11", True, id="LA-11-5000.00"),
        pytest.param("e_merchant_goods", "5000.00", "5000.01", "LA-11", False, id="LA-11-5000.01"),
        pytest.param("accident", "1000000.00", "1000000.00", "PA-5", True, id="PA-5-1000000.00"),
        pytest.param("accident", "1000000.00", "1000000.01", "PA-5", False, id="PA-5-over"),
    ],
)
def test_pa5_la11_an_offer_stays_within_the_decisions_ceiling(
    cover: str, ceiling: str, amount: str, rule: str, ok: bool
) -> None:
    claim = accepted_claim(cover, engine=decision(ceiling))
    if ok:
        offer(claim, amount)
        assert [o.amount for o in claim.offers] == [Decimal(amount)]
    else:
        with pytest.raises(OfferRefused) as refused:
            offer(claim, amount)
        assert refused.value.rule == rule and rule in str(refused.value)


def test_pa5_accepted_offers_count_towards_the_ceiling() -> None:
    claim = accepted_claim("accident", engine=decision("1000.00"))
    offer(claim, "600.00", kind="advance", offer_id="a1")
    claim.accept_offer("a1", valid_iban(BE_IBAN), date(2026, 3, 4), "account-m1")
    with pytest.raises(OfferRefused, match="PA-5"):
        offer(claim, "400.01", offer_id="f1")
    offer(claim, "400.00", offer_id="f1")


def test_pa8_advance_and_provisional_offers_are_for_accident_claims() -> None:
    with pytest.raises(OfferRefused, match="PA-8"):
        offer(accepted_claim("e_merchant_goods"), "100.00", kind="advance")
    claim = accepted_claim("accident", engine=decision("1000000.00"))
    offer(claim, "100.00", kind="advance")
    assert claim.offers[0].kind == "advance"


def test_la11_yearly_maximum_refuses_what_the_paid_claims_used_up() -> None:
    claim = accepted_claim()
    with pytest.raises(OfferRefused, match="LA-8") as refused:
        offer(claim, "1000.01", yearly_available=(Decimal("1000.00"), "LA-8"))
    assert refused.value.rule == "LA-8"
    offer(claim, "1000.00", yearly_available=(Decimal("1000.00"), "LA-8"))


def test_a_new_offer_of_a_kind_supersedes_the_open_one_which_can_no_longer_be_accepted() -> None:
    claim = accepted_claim()
    offer(claim, "300.00", offer_id="o1")
    offer(claim, "400.00", offer_id="o2")
    assert [(o.offer_id, o.status) for o in claim.offers] == [
        ("o1", "superseded"),
        ("o2", "open"),
    ]
    claim.accept_offer("o2", valid_iban(BE_IBAN), date(2026, 3, 4), "account-m1")
    with pytest.raises(WrongStatus):
        claim.accept_offer("o1", valid_iban(BE_IBAN), date(2026, 3, 4), "account-m1")
    with pytest.raises(WrongStatus):  # a second final offer after the accepted one
        offer(claim, "100.00", offer_id="o3")


def test_pa8_a_second_advance_of_the_same_kind_after_an_accepted_one_is_refused() -> None:
    claim = accepted_claim("accident", engine=decision("1000000.00"))
    offer(claim, "100.00", kind="advance", offer_id="a1")
    claim.accept_offer("a1", valid_iban(BE_IBAN), date(2026, 3, 4), "account-m1")
    with pytest.raises(WrongStatus):
        offer(claim, "100.00", kind="advance", offer_id="a2")


# -- IBAN ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iban", "compact"),
    [
        (BE_IBAN, "BE71096123456769"),
        ("be71096123456769", "BE71096123456769"),
        ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
        ("CH93 0076 2011 6238 5295 7", "CH9300762011623852957"),
    ],
)
def test_iban_valid_sepa_accounts_are_kept_compact(iban: str, compact: str) -> None:
    assert valid_iban(iban) == compact


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("BE71 0961 2345 6760", "not a valid IBAN"),  # check digits
        ("BE71 0961 2345 676", "not a valid IBAN"),  # length
        ("XX68 5390 0754 7034", "not a valid IBAN"),  # no such country
        ("SA03 8000 0000 6080 1016 7519", "not a SEPA account"),  # valid, outside SEPA
    ],
)
def test_iban_invalid_or_outside_sepa_is_refused(iban: str, message: str) -> None:
    with pytest.raises(InvalidIban, match=message):
        valid_iban(iban)


# -- pay_by per cover ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cover", "accepted_on", "pay_by", "rule"),
    [
        pytest.param("accident", date(2026, 1, 31), date(2026, 2, 28), "PA-8", id="PA-8-1-month"),
        pytest.param("accident", date(2026, 3, 4), date(2026, 4, 4), "PA-8", id="PA-8-april"),
        pytest.param(
            "identity_theft", date(2026, 1, 31), date(2026, 3, 2), "LA-6", id="LA-6-30-days"
        ),
        pytest.param("payment_fraud", date(2026, 3, 4), date(2026, 4, 3), "LA-6", id="LA-6-fraud"),
        pytest.param(
            "e_merchant_goods", date(2026, 3, 4), date(2026, 4, 3), "LA-6", id="LA-8-goods-30-days"
        ),
    ],
)
def test_pa8_la6_pay_by_after_acceptance(
    cover: str, accepted_on: date, pay_by: date, rule: str
) -> None:
    assert payment_due(cover, accepted_on) == (pay_by, rule)  # type: ignore[arg-type]


# -- deadlines at each step ------------------------------------------------------------


def test_la8_la6_deadlines_at_each_step_of_an_e_merchant_claim() -> None:
    claim = accepted_claim(accept=False)
    assert kinds(claim) == [("lar_refund", date(2026, 6, 3), "LA-8")]
    claim.request_documents(("invoice",), date(2026, 3, 20), AT, "staff")
    assert kinds(claim) == [
        ("documents", date(2026, 3, 20), "CL-1"),
        ("lar_refund", date(2026, 6, 3), "LA-8"),
    ]
    claim.decide("follow_engine", None, AT, "staff")
    assert kinds(claim) == [("lar_refund", date(2026, 6, 3), "LA-8")]
    offer(claim, "400.00")
    assert kinds(claim) == []  # the offer resolves LA-8's timer; the member's turn
    claim.accept_offer("o1", valid_iban(BE_IBAN), date(2026, 3, 10), "account-m1")
    assert kinds(claim) == [("payment", date(2026, 4, 9), "LA-6")]
    claim.record_paid(payout_id_for("o1"), date(2026, 3, 12), AT, "staff")
    assert claim.status == "closed" and kinds(claim) == []


def test_pa8_deadlines_at_each_step_of_an_accident_claim() -> None:
    claim = accepted_claim("accident", engine=decision("1000000.00"))
    assert kinds(claim) == [("advance", date(2026, 7, 3), "PA-8")]
    claim.record_consolidation(date(2026, 5, 10), Decimal("12"), AT, "staff")
    assert kinds(claim) == [
        ("advance", date(2026, 7, 3), "PA-8"),
        ("final_offer", date(2026, 8, 10), "PA-8"),
    ]
    offer(claim, "1000.00", kind="advance", offer_id="a1")
    assert kinds(claim) == [("final_offer", date(2026, 8, 10), "PA-8")]
    claim.accept_offer("a1", valid_iban(BE_IBAN), date(2026, 5, 31), "account-m1")
    assert kinds(claim) == [
        ("payment", date(2026, 6, 30), "PA-8"),
        ("final_offer", date(2026, 8, 10), "PA-8"),
    ]
    claim.record_paid(payout_id_for("a1"), date(2026, 6, 2), AT, "staff")
    assert claim.status == "accepted"  # an advance does not close the claim
    assert kinds(claim) == [("final_offer", date(2026, 8, 10), "PA-8")]
    offer(claim, "5000.00", offer_id="f1")
    assert kinds(claim) == []


def test_pa8_la6_la8_the_next_deadline_is_stored_for_the_worklist() -> None:
    claim = accepted_claim("identity_theft")
    document = ClaimMapper().to_document(claim)
    assert document["next_deadline_on"] == "2026-08-03"  # LA-6: 5 months
    claim.close("withdrawn", date(2026, 3, 5), AT, "account-m1")
    assert ClaimMapper().to_document(claim)["next_deadline_on"] is None


# -- paid and closed -------------------------------------------------------------------


def test_cl1_a_paid_final_offer_closes_the_claim_and_the_bus_hears_it() -> None:
    claim = accepted_claim()
    offer(claim, "400.00")
    claim.accept_offer("o1", valid_iban(BE_IBAN), date(2026, 3, 4), "account-m1")
    claim.record_paid(payout_id_for("o1"), date(2026, 3, 6), AT, "staff")
    paid = [e for e in claim.events if isinstance(e, PayoutPaid | ClaimClosed)]
    assert [type(e) for e in paid] == [PayoutPaid, ClaimClosed]
    messages = [m for e in paid for m in ClaimMapper().to_messages(e)]
    assert [m.spec for m in messages] == [CLAIM_PAID, CLAIM_CLOSED]
    assert messages[0].payload.model_dump()["iban_last4"] == "6769"
    assert messages[1].payload.model_dump()["reason"] == "paid"
    assert claim.closed_reason == "paid"
    assert claim.history[-1].status == "closed"


def test_cl1_closing_rejected_and_withdrawing() -> None:
    rejected = accepted_claim(engine=decision(None, "rejected"), accept=False)
    rejected.decide("follow_engine", None, AT, "staff")
    with pytest.raises(WrongStatus):
        rejected.close("withdrawn", date(2026, 3, 5), AT, "account-m1")
    rejected.close("rejected", date(2026, 3, 5), AT, "staff")
    assert rejected.closed_reason == "rejected"
    accepted = accepted_claim()
    with pytest.raises(WrongStatus):
        accepted.close("rejected", date(2026, 3, 5), AT, "staff")
    offer(accepted, "100.00")
    accepted.accept_offer("o1", valid_iban(BE_IBAN), date(2026, 3, 4), "account-m1")
    with pytest.raises(WrongStatus, match="payout"):  # money under way
        accepted.close("withdrawn", date(2026, 3, 5), AT, "account-m1")


# -- the service: idempotent acceptance, yearly maximum, worklist -----------------------


def settlement(
    today: date = date(2026, 3, 4),
) -> tuple[SettlementService, InMemoryAggregates[Claim]]:
    fakes = ClaimsFakes(datetime(today.year, today.month, today.day, 10, tzinfo=UTC))
    fakes.policies.add(POLICY)
    return fakes.use_cases().settlement, fakes.claims


async def test_idempotent_acceptance_records_one_payout_and_one_event() -> None:
    svc, store = settlement()
    await store.save(accepted_claim())
    claim = await svc.make_offer("c1", "final", Decimal("400.00"), None, "staff")
    offer_id = claim.offers[0].offer_id
    first, payout, created = await svc.accept_offer(
        "c1", offer_id, BE_IBAN, "account-m1", auth_time=svc.now()
    )
    again, same, created_again = await svc.accept_offer(
        "c1", offer_id, "be71096123456769", "account-m1", auth_time=svc.now()
    )
    assert created and not created_again
    assert payout == same and payout.payout_id == payout_id_for(offer_id)
    assert len(again.payouts) == 1 and again.version == first.version
    assert [m.spec for m in store.published].count(CLAIM_OFFER_ACCEPTED) == 1
    assert payout.pay_by == date(2026, 4, 3) and payout.rule == "LA-6"
    with pytest.raises(WrongStatus):  # the same offer with another account
        await svc.accept_offer(
            "c1", offer_id, "NL91 ABNA 0417 1643 00", "account-m1", auth_time=svc.now()
        )
    with pytest.raises(InvalidIban):
        await svc.accept_offer(
            "c1", offer_id, "BE71 0961 2345 6760", "account-m1", auth_time=svc.now()
        )


async def test_recording_a_payout_paid_twice_records_it_once() -> None:
    svc, store = settlement()
    await store.save(accepted_claim())
    claim = await svc.make_offer("c1", "final", Decimal("400.00"), None, "staff")
    _, payout, _ = await svc.accept_offer(
        "c1", claim.offers[0].offer_id, BE_IBAN, "m1", auth_time=svc.now()
    )
    await svc.record_paid("c1", payout.payout_id, date(2026, 3, 4), "staff")
    done = await svc.record_paid("c1", payout.payout_id, date(2026, 3, 4), "staff")
    assert done.status == "closed"
    specs = [m.spec for m in store.published]
    assert specs.count(CLAIM_PAID) == 1 and specs.count(CLAIM_CLOSED) == 1
    with pytest.raises(ValueError, match="future"):
        await svc.record_paid("c1", payout.payout_id, date(2026, 3, 5), "staff")


async def test_la1_la6_la11_a_paid_claim_counts_towards_the_insurance_years_maximum() -> None:
    """LA-1 lets one e-protection claim a year through; staff overriding it for a second
    one in the same insurance year meet the yearly maximum less what was paid (LA-6)."""
    svc, store = settlement(date(2026, 6, 1))
    first = accepted_claim(claim_id="c1")
    offer(first, "4000.00")
    first.accept_offer("o1", "BE71096123456769", date(2026, 3, 4), "m1")
    first.record_paid(payout_id_for("o1"), date(2026, 3, 6), AT, "staff")
    await store.save(first)
    same_year = accepted_claim(
        "identity_theft",
        claim_id="c2",
        engine=decision(None, "rejected"),  # LA-1: overridden by staff
        event_date=date(2026, 5, 1),
    )
    await store.save(same_year)
    with pytest.raises(OfferRefused) as refused:
        await svc.make_offer("c2", "final", Decimal("1000.01"), None, "staff")
    assert refused.value.rule == "LA-6" and "1000.00" in str(refused.value)
    made = await svc.make_offer("c2", "final", Decimal("1000.00"), None, "staff")
    assert made.offers[-1].amount == Decimal("1000.00")
    next_year = accepted_claim("identity_theft", claim_id="c3", event_date=date(2027, 1, 2))
    await store.save(next_year)
    made = await svc.make_offer("c3", "final", Decimal("5000.00"), None, "staff")
    assert made.offers[-1].amount == Decimal("5000.00")  # another insurance year
    assert [m.spec for m in store.published].count(CLAIM_OFFER_MADE) == 3


async def test_cl1_worklist_lists_open_claims_by_nearest_deadline_overdue_first() -> None:
    svc, store = settlement(date(2026, 5, 1))
    await store.save(accepted_claim("accident", claim_id="acc", engine=decision("1000000.00")))
    await store.save(accepted_claim("identity_theft", claim_id="theft"))
    late = accepted_claim(
        claim_id="late", declared_on=date(2026, 1, 10), event_date=date(2026, 1, 9)
    )
    await store.save(late)  # LA-8: due 2026-04-10, overdue on 2026-05-01
    goods = accepted_claim(claim_id="goods")
    await store.save(goods)
    closed = accepted_claim(claim_id="closed", declared_on=date(2026, 1, 2))
    closed.close("withdrawn", date(2026, 1, 3), AT, "m1")
    await store.save(closed)
    items = await svc.worklist(limit=10, offset=0)
    assert [(w.claim.claim_id, w.deadline.kind, w.deadline.rule, w.overdue) for w in items] == [
        ("late", "lar_refund", "LA-8", True),
        ("goods", "lar_refund", "LA-8", False),
        ("acc", "advance", "PA-8", False),
        ("theft", "lar_reimbursement", "LA-6", False),
    ]
    assert [w.claim.claim_id for w in await svc.worklist(limit=2, offset=1)] == ["goods", "acc"]
    # A change moves a claim: the offer ends goods' LA-8 timer, it leaves the worklist.
    await svc.make_offer("goods", "final", Decimal("400.00"), None, "staff")
    assert "goods" not in [w.claim.claim_id for w in await svc.worklist(limit=10, offset=0)]


@pytest.mark.parametrize(
    ("expected_pct", "due"),
    [
        pytest.param("50.00", [], id="PA-8-exactly-50-no-provisional-offer"),
        pytest.param("50.01", [("provisional_offer", date(2028, 3, 2), "PA-8")], id="PA-8-over-50"),
    ],
)
def test_pa8_provisional_offer_due_2_years_after_the_accident_when_over_50_pct(
    expected_pct: str, due: list[tuple[str, date, str]]
) -> None:
    """PA-8 "2 jaar na het ongeval ... nog niet geconsolideerd ... hoger ... dan 50%"."""
    claim = accepted_claim("accident", engine=decision("1000000.00"))
    offer(claim, "1000.00", kind="advance", offer_id="a1")
    claim.record_medical_assessment(date(2026, 9, 1), Decimal(expected_pct), AT, "staff")
    assert kinds(claim) == due


def test_pa8_the_provisional_offer_deadline_ends_with_the_offer_or_consolidation() -> None:
    claim = accepted_claim("accident", engine=decision("1000000.00"))
    claim.record_medical_assessment(date(2026, 9, 1), Decimal("70"), AT, "staff")
    assert ("provisional_offer", date(2028, 3, 2), "PA-8") in kinds(claim)
    offer(claim, "20000.00", kind="provisional", offer_id="p1")
    assert [k for k, _, _ in kinds(claim)] == []  # the provisional offer is an advance too

    consolidated = accepted_claim("accident", engine=decision("1000000.00"))
    consolidated.record_medical_assessment(date(2026, 9, 1), Decimal("70"), AT, "staff")
    consolidated.record_consolidation(date(2027, 5, 10), Decimal("65"), AT, "staff")
    assert [k for k, _, _ in kinds(consolidated)] == ["advance", "final_offer"]
    with pytest.raises(WrongStatus):  # after consolidation the final offer is what is due
        consolidated.record_medical_assessment(date(2027, 6, 1), Decimal("70"), AT, "staff")


def test_pa8_a_medical_assessment_is_for_accident_claims_only() -> None:
    with pytest.raises(OfferRefused) as refused:
        accepted_claim().record_medical_assessment(date(2026, 9, 1), Decimal("70"), AT, "staff")
    assert refused.value.rule == "PA-8"


def test_the_mapper_round_trips_offers_payouts_and_consolidation() -> None:
    claim = accepted_claim("accident", engine=decision("1000000.00"))
    claim.record_consolidation(date(2026, 5, 10), Decimal("60"), AT, "staff")
    offer(claim, "1000.00", kind="advance", offer_id="a1")
    claim.accept_offer("a1", "BE71096123456769", date(2026, 5, 31), "m1")
    claim.record_paid(payout_id_for("a1"), date(2026, 6, 2), AT, "staff")
    mapper = ClaimMapper()
    again = mapper.from_document(mapper.to_document(claim))
    assert again.offers == claim.offers and again.payouts == claim.payouts
    assert again.consolidation == claim.consolidation
    assessed = accepted_claim("accident", engine=decision("1000000.00"))
    assessed.record_medical_assessment(date(2026, 9, 1), Decimal("70.50"), AT, "staff")
    back = mapper.from_document(mapper.to_document(assessed))
    assert back.medical_assessment == assessed.medical_assessment
    assert replace(again, version=claim.version).deadlines() == claim.deadlines()
