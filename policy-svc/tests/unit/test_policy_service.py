"""Policy use cases on the in-memory fakes (no servers): the product and premium (PC-1,
PC-8), PC-2 at proposal, idempotent proposals, the events of acceptance and termination,
household revisions (PC-3) and the state on a date."""

from datetime import date
from decimal import Decimal

import pytest
from mylm_shared.events import POLICY_ISSUED, POLICY_TERMINATED, PREMIUM_DUE
from mylm_shared.kernel.idempotency import IdempotencyConflict
from policy.domain.policy import DeclaredPerson, Policy, PolicyRefused, WrongStatus, state_of
from policy.domain.product import InvalidProduct, premium
from policy.domain.termination import Notice, TerminationRefused
from policy.service.handlers import KnownMember, PolicyService, ProposePolicy, UnknownMember

from testkit.fakes.policy import PolicyFakes
from testkit.fakes.shared import InMemoryAggregates

TODAY = date(2026, 11, 23)


def service() -> tuple[PolicyService, InMemoryAggregates[Policy]]:
    fakes = PolicyFakes(
        KnownMember("adult", "An Claes", date(1980, 5, 17)),
        KnownMember("eighteen", "An Claes", date(2008, 11, 23)),
        KnownMember("seventeen", "Bo Claes", date(2008, 11, 24)),
        today=TODAY,
    )
    return fakes.use_cases().policies, fakes.policies


def proposal(member_id: str = "adult", **changes: object) -> ProposePolicy:
    fields: dict[str, object] = {
        "member_id": member_id,
        "formula": "single",
        "start_date": date(2027, 1, 1),
        "threshold_pct": 10,
        "e_protection": False,
    }
    return ProposePolicy(**{**fields, **changes})  # type: ignore[arg-type]


def test_pc1_pc8_premium_is_net_plus_tax_and_thresholds_come_from_the_product() -> None:
    single = premium("single", 10, e_protection=False)
    assert (single.net, single.taxes, single.total) == (
        Decimal("72.00"),
        Decimal("6.66"),
        Decimal("78.66"),
    )
    with pytest.raises(InvalidProduct):
        premium("family", 7, e_protection=True)


async def test_pc2_single_refused_the_day_before_the_18th_birthday() -> None:
    """PC-2 "ouder dan 18 jaar" read as 18 or over (issue 16, docs/rules.md): signing on
    the 18th birthday is accepted, the day before is refused."""
    policies, _ = service()
    with pytest.raises(PolicyRefused) as refused:
        await policies.propose(proposal("seventeen"), "staff", None)
    assert refused.value.rule == "PC-2"
    accepted, _ = await policies.propose(proposal("eighteen"), "staff", None)
    assert accepted.policy_id
    with pytest.raises(UnknownMember):
        await policies.propose(proposal("nobody"), "staff", None)


async def test_idempotent_proposal_replays_and_conflicts() -> None:
    policies, _ = service()
    first, created = await policies.propose(proposal(), "staff", "k1")
    again, replayed = await policies.propose(proposal(), "staff", "k1")
    assert created and not replayed and again.policy_id == first.policy_id
    with pytest.raises(IdempotencyConflict):
        await policies.propose(proposal(threshold_pct=5), "staff", "k1")


async def test_a_retry_across_releases_still_names_and_matches_the_stored_proposal() -> None:
    """Issue 17 item 3 (``mylm_shared.kernel.idempotency``): the policy id and the request's
    fingerprint are those earlier releases stored, so their retries still replay."""
    policies, _ = service()
    policy, _ = await policies.propose(proposal(), "staff-1", "k-1")
    assert policy.policy_id == "5abc0b54-5384-5f57-a8a6-7497cb6d1c89"
    pinned = "085b83067c2d045f0eca5fecb7fe9aeb2752b2de536c2ba0b15c72ab705b67b4"
    assert policy.request_fingerprint == pinned


async def test_accept_emits_issued_and_premium_due_then_termination_emits_terminated() -> None:
    policies, store = service()
    policy, _ = await policies.propose(proposal(), "staff", None)
    assert store.published == []  # a proposal raises nothing
    await policies.accept(policy.policy_id)
    with pytest.raises(WrongStatus):
        await policies.accept(policy.policy_id)
    policies.today = lambda: date(2027, 6, 1)  # the notice arrives that day
    holder = policies.recorder("account-of-adult", staff=False)
    notice = Notice("policyholder", "emigration", date(2027, 6, 1), "registered_letter")
    with pytest.raises(TerminationRefused):
        await policies.terminate(policy.policy_id, notice, holder)  # PC-6: departure date
    departed = Notice(
        "policyholder",
        "emigration",
        date(2027, 6, 1),
        "registered_letter",
        departure_on=date(2027, 6, 15),
    )
    ending = await policies.terminate(policy.policy_id, departed, holder)
    assert (ending.effective_on, ending.rule) == (date(2027, 6, 15), "PC-6")
    assert [m.spec for m in store.published] == [POLICY_ISSUED, PREMIUM_DUE, POLICY_TERMINATED]
    stored = await policies.policy(policy.policy_id)
    assert stored is not None
    assert state_of(stored, date(2027, 6, 14)).status == "awaiting_first_premium"
    assert state_of(stored, date(2027, 6, 15)).status == "terminated"


async def test_pc3_household_revisions_hold_from_their_date() -> None:
    policies, _ = service()
    policy, _ = await policies.propose(proposal(formula="family"), "staff", None)
    partner = DeclaredPerson("p", "Bo", date(1982, 1, 1), "partner", True)
    moved_out = DeclaredPerson("p", "Bo", date(1982, 1, 1), "partner", False)
    holder = policies.recorder("account-of-adult", staff=False)  # announced ahead
    await policies.declare_household(policy.policy_id, date(2027, 1, 1), (partner,), holder)
    changed, since = await policies.declare_household(
        policy.policy_id, date(2027, 5, 1), (moved_out,), holder
    )
    assert since == date(2027, 5, 1)
    assert changed.insured(date(2027, 4, 30))[1].insured
    assert not changed.insured(date(2027, 5, 1))[1].insured
    # Issue 15 item 4: before the first declaration only the policyholder is insured.
    assert [a.person_id for a in changed.insured(date(2026, 12, 1))] == ["adult"]
