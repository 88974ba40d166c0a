"""Issue 15 item 7: a claim's payout account is set (an offer accepted) or changed (a
payout not yet paid) only with a fresh login (``auth_time`` at most 5 minutes old), and
each time ``claim.payout_account_changed`` tells the claimant (masked); a titular acting
for the claimant is recorded on the acceptance and in the events (``acted_by``)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from claims.domain.claim import AlreadyDone, Claim, PayoutAccountChanged, WrongStatus
from claims.domain.decision import Decision, Reason
from claims.domain.offers import payout_id_for
from claims.service.policies import PolicyFacts
from claims.service.settlement import FreshLoginRequired, SettlementService
from mylm_shared.events import CLAIM_OFFER_ACCEPTED, CLAIM_PAYOUT_ACCOUNT_CHANGED

from testkit.fakes.claims import ClaimsFakes
from testkit.fakes.shared import InMemoryAggregates

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
BE_IBAN, NL_IBAN = "BE71 0961 2345 6769", "NL91 ABNA 0417 1643 00"
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
ENGINE = Decision(
    outcome="covered",
    rules=("PC-4", "LA-8"),
    reason=Reason("Gedekt.", "Couvert."),
    findings=(),
    late_declaration=False,
    ceiling=Decimal("5000.00"),
    deductible=None,
)


def accepted_claim(cover: str = "e_merchant_goods") -> Claim:
    claim = Claim.declare(
        claim_id="c1",
        claim_number="CL-2026-000001",
        member_id="m-child",
        policy_id="p1",
        cover=cover,  # type: ignore[arg-type]
        event_date=date(2026, 3, 2),
        declared_on=date(2026, 3, 3),
        facts={},
        engine=ENGINE,
        declared_by="account-m-child",
        at=NOW,
    )
    claim.decide("follow_engine", None, NOW, "staff")
    kinds = ("final",) if cover != "accident" else ("advance", "provisional", "final")
    for number, kind in enumerate(kinds, start=1):
        claim.make_offer(
            offer_id=f"o{number}",
            kind=kind,  # type: ignore[arg-type]
            amount=Decimal("100"),
            respond_by=None,
            at=NOW,
            by="s",
        )
    return claim


async def settlement() -> tuple[SettlementService, InMemoryAggregates[Claim]]:
    fakes = ClaimsFakes(NOW)  # issue 15 item 7: a fresh login is 5 minutes (the default)
    fakes.policies.add(POLICY)
    await fakes.claims.save(accepted_claim())
    return fakes.use_cases().settlement, fakes.claims


def test_fresh_means_a_login_at_most_five_minutes_ago() -> None:
    """Issue 15 item 7: ``auth_time`` younger than 5 minutes; none is never fresh."""
    svc = ClaimsFakes(NOW).use_cases().settlement
    assert svc.login_fresh(NOW - timedelta(minutes=4, seconds=59))
    assert not svc.login_fresh(NOW - timedelta(minutes=5, seconds=1))
    assert not svc.login_fresh(None)
    assert not svc.login_fresh(NOW + timedelta(minutes=10))  # not a login of the future


async def test_accepting_with_an_old_login_is_refused_and_records_nothing() -> None:
    """Issue 15 item 7: setting the payout account needs a fresh login."""
    svc, store = await settlement()
    before = len(store.published)  # the declaration's, the decision's, the offer's
    with pytest.raises(FreshLoginRequired):
        await svc.accept_offer(
            "c1", "o1", BE_IBAN, "account-m-child", auth_time=NOW - timedelta(hours=1)
        )
    with pytest.raises(FreshLoginRequired):
        await svc.accept_offer("c1", "o1", BE_IBAN, "account-m-child", auth_time=None)
    claim = await store.get("c1")
    assert claim is not None and claim.payouts == () and len(store.published) == before


async def test_accepting_acting_for_the_claimant_records_the_titular_and_tells_the_claimant() -> (
    None
):
    """Issue 15 item 7: the titular acting is recorded beside the dossier; the account
    set goes out masked (``claim.payout_account_changed``, first account: no previous)."""
    svc, store = await settlement()
    claim, payout, created = await svc.accept_offer(
        "c1", "o1", BE_IBAN, "account-titular", acted_by="m-titular", auth_time=NOW
    )
    assert created and payout.iban == "BE71096123456769"
    offer = claim.offer("o1")
    assert offer is not None and (offer.accepted_by, offer.acted_by) == (
        "account-titular",
        "m-titular",
    )
    stored = await store.get("c1")
    assert stored is not None and stored.offer("o1") == offer  # the mapper round-trips
    by_spec = {m.spec: m.payload.model_dump() for m in store.published}
    assert by_spec[CLAIM_OFFER_ACCEPTED]["acted_by"] == "m-titular"
    changed = by_spec[CLAIM_PAYOUT_ACCOUNT_CHANGED]
    assert (changed["iban_last4"], changed["previous_iban_last4"]) == ("6769", None)
    assert changed["acted_by"] == "m-titular" and changed["member_id"] == "m-child"
    assert "BE71096123456769" not in str(changed)


async def test_a_retried_acceptance_needs_no_fresh_login_and_announces_nothing_again() -> None:
    """An idempotent retry changes no account: no fresh login, no second e-mail."""
    svc, store = await settlement()
    await svc.accept_offer("c1", "o1", BE_IBAN, "account-m-child", auth_time=NOW)
    _, _, created = await svc.accept_offer("c1", "o1", BE_IBAN, "account-m-child", auth_time=None)
    assert not created
    specs = [m.spec for m in store.published]
    assert specs.count(CLAIM_PAYOUT_ACCOUNT_CHANGED) == 1


async def test_changing_a_payout_account_needs_a_fresh_login_and_is_announced() -> None:
    """Issue 15 item 7: another account for a payout not yet paid."""
    svc, store = await settlement()
    await svc.accept_offer("c1", "o1", BE_IBAN, "account-m-child", auth_time=NOW)
    payout_id = payout_id_for("o1")
    with pytest.raises(FreshLoginRequired):
        await svc.change_payout_account(
            "c1", payout_id, NL_IBAN, "account-m-child", auth_time=NOW - timedelta(minutes=6)
        )
    claim, changed = await svc.change_payout_account(
        "c1", payout_id, NL_IBAN, "account-m-child", auth_time=NOW - timedelta(minutes=1)
    )
    payout = claim.payout(payout_id)
    assert changed and payout is not None and payout.iban == "NL91ABNA0417164300"
    last = store.published[-1]
    assert last.spec == CLAIM_PAYOUT_ACCOUNT_CHANGED
    assert (
        last.payload.model_dump()["iban_last4"],
        last.payload.model_dump()["previous_iban_last4"],
    ) == (
        "4300",
        "6769",
    )
    # The same account again: nothing changes, even with an old login.
    _, again = await svc.change_payout_account(
        "c1", payout_id, NL_IBAN, "account-m-child", auth_time=None
    )
    assert not again and store.published[-1] is last
    # A retried acceptance with the account now in force is still the same acceptance.
    _, _, created = await svc.accept_offer("c1", "o1", NL_IBAN, "account-m-child", auth_time=None)
    assert not created


def test_a_paid_payout_keeps_its_account() -> None:
    """Issue 15 item 7: the money left already; its account is history."""
    claim = accepted_claim()
    claim.accept_offer("o1", "BE71096123456769", date(2026, 3, 4), "m1")
    claim.record_paid(payout_id_for("o1"), date(2026, 3, 5), NOW, "staff")
    with pytest.raises(WrongStatus):
        claim.change_payout_account(payout_id_for("o1"), "NL91ABNA0417164300", NOW, "m1")
    with pytest.raises(AlreadyDone):
        claim.change_payout_account(payout_id_for("o1"), "BE71096123456769", NOW, "m1")


def test_pa8_later_offers_announce_only_an_account_other_than_the_claims() -> None:
    """Issue 15 item 7 with PA-8's several offers: the first account is announced, the
    same account again is not, another one is (with the previous one, masked)."""
    claim = accepted_claim("accident")
    day = date(2026, 3, 4)
    claim.accept_offer("o1", "BE71096123456769", day, "m1", at=NOW)
    claim.accept_offer("o2", "BE71096123456769", day, "m1", at=NOW)
    claim.accept_offer("o3", "NL91ABNA0417164300", day, "m1", at=NOW)
    changes = [e for e in claim.events if isinstance(e, PayoutAccountChanged)]
    assert [(c.payout.offer_id, c.previous_iban) for c in changes] == [
        ("o1", None),
        ("o3", "BE71096123456769"),
    ]
