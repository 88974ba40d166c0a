"""PC-7/PC-8: an accepted amendment requests the premium difference of the terms already
requested ("bij de uitgifte van nieuwe bijzondere voorwaarden ontvangt u een verzoek om
betaling"), pro rata from its effective date, per component rounded half up to the cent;
a reduction is a credit left to staff (no request); a paid adjustment is not the term's
premium (PC-4). Exact figures on the product's tariff, on the in-memory fakes."""

from datetime import date
from decimal import Decimal

from mylm_shared.events import INVOICE_PAID, POLICY_AMENDED, PREMIUM_DUE, InvoicePaidV1, new_event
from policy.adapters.amendments import AmendmentMapper
from policy.adapters.repository import PolicyMapper
from policy.domain.adjustments import premium_adjustments
from policy.domain.amendments import Amendment, Kind, TermsChange
from policy.domain.fact_dates import Recorder
from policy.domain.insured import Formula
from policy.domain.policy import Policy
from policy.domain.premiums import PaidPremium, PremiumAccount
from policy.domain.product import Premium, premium
from policy.service.amendments import AmendmentService
from policy.service.premiums import PremiumService

from testkit.fakes.shared import InMemoryAggregates

START = date(2026, 1, 1)  # term 1: 2026-01-01 .. 2027-01-01, 365 days
DAY_100 = date(2026, 4, 10)  # 31 + 28 + 31 + 10
SINGLE = premium("single", 5, e_protection=False)  # 84.00 + 7.77
FAMILY = premium("family", 5, e_protection=False)  # 156.00 + 14.43


def _policy(formula: Formula = "single", *, start: date = START) -> Policy:
    policy = Policy.propose(
        policy_id="pol-1",
        member_id="m1",
        holder_name="An Claes",
        holder_birth_date=date(1980, 5, 17),
        formula=formula,
        threshold_pct=5,
        e_protection=False,
        start_date=start,
        proposed_on=date(2025, 12, 1),
    )
    policy.accept(date(2025, 12, 1))
    policy.events.clear()
    return policy


def _change(
    policy: Policy, effective_on: date, formula: Formula, amendment_id: str = "am-1"
) -> TermsChange:
    old_formula, old_premium = policy.terms_on(effective_on)
    kind: Kind = "aggravation" if formula == "family" else "reduction"
    new = premium(formula, 5, e_protection=False)
    return TermsChange(amendment_id, kind, effective_on, formula, new, old_formula, old_premium)


def _dues(policy: Policy) -> list[dict[str, object]]:
    mapper = PolicyMapper()
    return [
        m.payload.model_dump()
        for e in policy.events
        for m in mapper.to_messages(e)
        if m.spec == PREMIUM_DUE
    ]


def test_pc7_pc8_single_to_family_on_day_100_requests_266_of_365_days() -> None:
    policy = _policy()
    assert policy.amend(_change(policy, DAY_100, "family"))
    [adjustment] = policy.terms_changes[0].adjustments
    # (156 - 84) x 266 / 365 = 52.4712 -> 52.47; (14.43 - 7.77) x 266 / 365 = 4.8536 -> 4.85
    assert (adjustment.term_number, adjustment.due_on) == (1, DAY_100)
    assert (adjustment.days, adjustment.term_days) == (266, 365)
    assert adjustment.amount == Premium(Decimal("52.47"), Decimal("4.85"), Decimal("0.00"))
    assert adjustment.amount.total == Decimal("57.32") and adjustment.requested

    [due] = _dues(policy)
    assert (due["term_number"], due["due_date"], due["adjustment_of"]) == (1, DAY_100, "am-1")
    assert due["premium"]["total"] == Decimal("57.32")  # type: ignore[index]


def test_pc7_boundaries_first_day_is_the_whole_difference_last_day_one_365th() -> None:
    whole = _policy()
    whole.amend(_change(whole, START, "family"))
    assert whole.terms_changes[0].adjustments[0].amount.total == Decimal("78.66")
    last = _policy()
    last.amend(_change(last, date(2026, 12, 31), "family"))
    # 72 / 365 = 0.197 -> 0.20; 6.66 / 365 = 0.018 -> 0.02
    assert last.terms_changes[0].adjustments[0].amount.total == Decimal("0.22")


def test_pc7_effective_before_the_start_date_changes_the_whole_unpaid_first_term() -> None:
    policy = _policy(start=date(2027, 1, 1))  # signed, first premium not yet paid
    policy.amend(_change(policy, date(2026, 12, 20), "family"))
    [adjustment] = policy.terms_changes[0].adjustments
    assert (adjustment.due_on, adjustment.days) == (date(2027, 1, 1), 365)
    assert adjustment.amount == Premium(Decimal("72.00"), Decimal("6.66"), Decimal("0.00"))


def test_pc7_a_reduction_is_a_credit_left_to_staff_not_requested() -> None:
    policy = _policy("family")
    policy.amend(_change(policy, DAY_100, "single"))
    [credit] = policy.terms_changes[0].adjustments
    assert credit.amount == Premium(Decimal("-52.47"), Decimal("-4.85"), Decimal("0.00"))
    assert not credit.requested
    assert _dues(policy) == []
    # The credit stays on the policy's terms change for staff (stored and reloaded).
    reloaded = PolicyMapper().from_document(PolicyMapper().to_document(policy))
    assert reloaded.terms_changes[0].adjustments == (credit,)


def test_pc8_components_are_rounded_each_and_add_up_to_the_total() -> None:
    # 3 days: 72 x 3/365 = 0.5918 -> 0.59; 6.66 x 3/365 = 0.0547 -> 0.05; the total is
    # their sum 0.64 (rounding 78.66 x 3/365 = 0.6465 would give 0.65: lines would not add up).
    [adjustment] = premium_adjustments(
        [(date.min, SINGLE)],
        [(date.min, SINGLE), (date(2026, 12, 29), FAMILY)],
        start=START,
        requested_through=1,
        ends_on=None,
    )
    assert adjustment.amount == Premium(Decimal("0.59"), Decimal("0.05"), Decimal("0.00"))
    assert adjustment.amount.total == Decimal("0.64")


def test_pc7_a_term_already_renewed_is_adjusted_in_full_later_terms_not_at_all() -> None:
    policy = _policy()
    policy.premiums = PremiumAccount(paid=(PaidPremium(1, START),), renewed_through=2)
    policy.amend(_change(policy, DAY_100, "family"))
    first, second = policy.terms_changes[0].adjustments
    assert (first.term_number, first.amount.total) == (1, Decimal("57.32"))
    # Term 2 (2027-01-01 .. 2028-01-01) was requested at the single premium: all of it.
    assert (second.term_number, second.due_on, second.amount.total) == (
        2,
        date(2027, 1, 1),
        Decimal("78.66"),
    )
    assert [d["term_number"] for d in _dues(policy)] == [1, 2]


def test_pc7_an_earlier_retroactive_amendment_counts_only_the_days_it_changes() -> None:
    policy = _policy()
    policy.amend(_change(policy, date(2026, 10, 1), "family", "am-1"))  # 92 days requested
    # Declared later, effective earlier: family from day 100 adds only 10 April .. 1 October
    # (174 days), not the 266 to the term's end (92 of them were requested already).
    policy.amend(_change(policy, DAY_100, "family", "am-2"))
    [adjustment] = policy.terms_changes[1].adjustments
    assert (adjustment.due_on, adjustment.days) == (DAY_100, 174)
    # 72 x 174 / 365 = 34.3233 -> 34.32; 6.66 x 174 / 365 = 3.1749 -> 3.17
    assert adjustment.amount == Premium(Decimal("34.32"), Decimal("3.17"), Decimal("0.00"))
    assert policy.terms_changes[0].adjustments[0].amount.total == Decimal("19.83")


async def test_pc7_accepting_requests_the_adjustment_once_with_policy_amended() -> None:
    policies: InMemoryAggregates[Policy] = InMemoryAggregates(PolicyMapper())
    amendments: InMemoryAggregates[Amendment] = InMemoryAggregates(AmendmentMapper())
    service = AmendmentService(amendments, policies, today=lambda: date(2026, 4, 20))
    await policies.save(_policy())
    declared = await service.declare(
        "pol-1",
        kind="aggravation",
        formula="family",
        occurred_on=DAY_100,
        known_on=date(2026, 4, 15),
        recorder=Recorder("staff-1", True, date(2026, 4, 20), "declaration received by post"),
    )
    await service.propose(declared.amendment_id, date(2026, 4, 16), None)
    await service.accept(declared.amendment_id, date(2026, 4, 20))
    await service.accept(declared.amendment_id, date(2026, 4, 21))  # a retry
    specs = [m.spec for m in policies.published]
    assert (specs.count(POLICY_AMENDED), specs.count(PREMIUM_DUE)) == (1, 1)
    [due] = [m.payload.model_dump() for m in policies.published if m.spec == PREMIUM_DUE]
    assert due["adjustment_of"] == declared.amendment_id
    assert due["premium"]["total"] == Decimal("57.32")


async def test_pc4_a_paid_adjustment_is_not_the_first_premium() -> None:
    store: InMemoryAggregates[Policy] = InMemoryAggregates(PolicyMapper())
    await store.save(_policy())
    payload = InvoicePaidV1(
        invoice_id="inv-adj",
        member_id="m1",
        structured_reference="+++000/0000/00101+++",
        paid_total=Decimal("57.32"),
        paid_on=DAY_100,
        kind="premium",
        policy_id="pol-1",
        term_number=1,
        adjustment_of="am-1",
    )
    event = new_event(INVOICE_PAID, payload, source="/tests", subject="m1")
    await PremiumService(store, Decimal("8.50")).on_invoice_paid(event, payload)
    policy = await store.get("pol-1")
    assert policy is not None
    assert (policy.status, policy.premiums.paid, store.published) == (
        "awaiting_first_premium",
        (),
        [],
    )
