"""Issue 15 item 3 (CL-1, AC-1/AC-2): a claim names a contract of the claimant, one on
which they are policyholder or insured person on the event date; any other contract is
answered exactly like an unknown one, nothing is stored and nothing goes on the bus, and
another member's yearly limits (LA-1) cannot be used up. Issue 15 item 7: a titular
acting for a dependant is recorded beside the dossier (``acted_by``)."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.claim import Claim
from claims.domain.facts import EMerchantGoodsFacts
from claims.service.handlers import ClaimsService, Declare, UnknownPolicy
from claims.service.policies import PolicyFacts, on_the_contract

from testkit.fakes.claims import ClaimsFakes, InMemoryPolicies
from testkit.fakes.shared import InMemoryAggregates

JAN, CHILD, MARIE, MARIE_CHILD = "m-jan", "m-jan-child", "m-marie", "m-marie-child"
JANS = PolicyFacts(
    policy_id="p-jan",
    policyholder_id=JAN,
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=date(2026, 3, 3),  # its last day is 2 March
    threshold_pct=5,
    e_protection=True,
    first_premium_paid=True,
    signed=True,
)
MARIES = replace(JANS, policy_id="p-marie", policyholder_id=MARIE, end_date=None)
GOODS = EMerchantGoodsFacts(
    principal_stake=Decimal("800.00"), price=Decimal("800.00"), defect="broken"
)
GOODS_JSON: dict[str, Any] = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def service() -> tuple[ClaimsService, InMemoryAggregates[Claim], InMemoryPolicies]:
    fakes = ClaimsFakes(datetime(2026, 3, 3, 10, tzinfo=UTC))
    fakes.policies.add(JANS, CHILD)
    fakes.policies.add(MARIES, MARIE_CHILD)
    return fakes.use_cases().claims, fakes.claims, fakes.policies


def declare(member_id: str, policy_id: str | None, event_date: date = date(2026, 3, 2)) -> Declare:
    return Declare(member_id, policy_id, "e_merchant_goods", event_date, GOODS, GOODS_JSON)


async def refused(svc: ClaimsService, command: Declare, acted_by: str | None = None) -> str:
    """The refusal's message class: what the route turns into its one 422."""
    with pytest.raises(UnknownPolicy) as caught:
        await svc.declare(command, "account-x", None, acted_by)
    return type(caught.value).__name__


async def test_cl1_the_policyholder_declares_on_their_own_contract() -> None:
    """Issue 15 item 3: the policyholder."""
    svc, _, _ = service()
    claim, created = await svc.declare(declare(JAN, "p-jan"), "account-jan", None)
    assert created and claim.policy_id == "p-jan" and claim.engine.outcome == "covered"


async def test_pc3_an_insured_person_declares_on_the_family_contract() -> None:
    """Issue 15 item 3: an insured person (PC-3) on the event date."""
    svc, _, _ = service()
    claim, _ = await svc.declare(declare(CHILD, "p-jan"), "account-child", None)
    assert claim.member_id == CHILD and claim.engine.outcome == "covered"


async def test_another_members_contract_is_answered_like_an_unknown_one() -> None:
    """Issue 15 item 3: Marie naming Jan's contract gets what a made-up id gets, nothing
    is stored, no number is used, nothing goes on the bus."""
    svc, store, _ = service()
    assert await refused(svc, declare(MARIE, "p-jan")) == await refused(
        svc, declare(MARIE, "p-does-not-exist")
    )
    assert await store.current("policy_id", "p-jan") == [] and store.published == []
    first, _ = await svc.declare(declare(JAN, "p-jan"), "account-jan", None)
    assert first.claim_number == "CL-2026-000001"  # no number was spent on the refusals


async def test_la1_another_members_yearly_limit_cannot_be_used_up() -> None:
    """Issue 15 item 3 and LA-1 (one e-protection claim per insurance year): Marie's
    attempts on Jan's contract leave Jan's insurance year untouched."""
    svc, _, _ = service()
    for day in (date(2026, 2, 1), date(2026, 2, 2)):
        with pytest.raises(UnknownPolicy):
            await svc.declare(declare(MARIE, "p-jan", day), "account-marie", None)
    jans, _ = await svc.declare(declare(JAN, "p-jan"), "account-jan", None)
    assert jans.engine.outcome == "covered" and "LA-1" in jans.engine.rules


@pytest.mark.parametrize(
    ("window", "event_date"),
    [
        pytest.param((date(2026, 4, 1), None), date(2026, 3, 2), id="moved-in-after-the-event"),
        pytest.param((date(2026, 1, 1), date(2026, 3, 1)), date(2026, 3, 2), id="left-before"),
        pytest.param(None, date(2025, 12, 31), id="before-the-contract-starts"),
        pytest.param(None, date(2026, 3, 3), id="after-the-contract-ended"),
    ],
)
async def test_pc3_a_person_the_contract_does_not_insure_on_the_event_date_is_refused(
    window: tuple[date, date | None] | None, event_date: date
) -> None:
    """Issue 15 item 3: insured on the event date, not before or after (PC-3 household
    facts; the contract's own dates): otherwise answered like an unknown contract."""
    svc, store, policies = service()
    if window is not None:
        policies.windows[("p-jan", CHILD)] = window
    with pytest.raises(UnknownPolicy):
        await svc.declare(declare(CHILD, "p-jan", event_date), "account-child", None)
    assert store.published == []


async def test_pc4_the_policyholder_still_learns_why_their_own_contract_does_not_cover() -> None:
    """The policyholder's own ended contract: the engine's reasons, not "unknown"."""
    svc, _, _ = service()
    claim, _ = await svc.declare(declare(JAN, "p-jan", date(2026, 3, 3)), "account-jan", None)
    assert claim.engine.outcome == "rejected"


async def test_ac2_a_titular_acting_for_a_dependant_declares_on_the_dependants_contracts() -> None:
    """Issue 15 items 3 and 7: Jan acting for his child finds his family contract without
    a policy id; the declaration records Jan beside the child's dossier."""
    svc, store, _ = service()
    claim, _ = await svc.declare(declare(CHILD, None), "account-jan", "k1", acted_by=JAN)
    assert claim.policy_id == "p-jan" and claim.member_id == CHILD
    assert (claim.declared_by, claim.history[0].acted_by) == ("account-jan", JAN)
    assert store.published[0].payload.model_dump()["acted_by"] == JAN
    stored = await store.get(claim.claim_id)
    assert stored is not None and stored.history[0].acted_by == JAN  # round-trips
    # Acting for the child reaches the child's contracts only, not Marie's.
    with pytest.raises(UnknownPolicy):
        await svc.declare(declare(CHILD, "p-marie"), "account-jan", None, acted_by=JAN)


async def test_ac2_the_titular_acting_is_recorded_on_evidence_and_the_status_it_moves() -> None:
    """Issue 15 item 7: an upload acting for the claimant names the titular."""
    svc, _, _ = service()
    claim, _ = await svc.declare(declare(CHILD, "p-jan"), "account-child", None)
    assert claim.history[0].acted_by is None  # the child's own declaration
    await svc.request_documents(claim.claim_id, ("invoice",), None, "staff-1")
    document = await svc.add_document(claim.claim_id, "a.pdf", PDF, "account-jan", JAN)
    assert (document.by, document.acted_by) == ("account-jan", JAN)
    stored = await svc.claim(claim.claim_id)
    assert stored is not None
    assert stored.documents[0].acted_by == JAN
    assert (stored.history[-1].status, stored.history[-1].acted_by) == ("under_assessment", JAN)


def test_on_the_contract_rule() -> None:
    """Issue 15 item 3, the pure rule: policyholder, or insured on a running signed
    contract that day."""
    day = date(2026, 3, 2)
    assert on_the_contract(JANS, JAN, day, ())
    assert on_the_contract(JANS, CHILD, day, (JAN, CHILD))
    assert not on_the_contract(JANS, MARIE, day, (JAN, CHILD))
    assert not on_the_contract(replace(JANS, signed=False), CHILD, day, (JAN, CHILD))
    assert not on_the_contract(JANS, CHILD, date(2026, 3, 3), (JAN, CHILD))
