"""Claim use cases with a fake policy gateway and the in-memory store: the engine decides
on the contract's state on the event date (PC-4, PC-8, PC-2/3), late declarations are
flagged (CL-2), LA-1's one e-protection claim per insurance year counts this store's
claims, idempotent declarations, evidence types, and what goes on the bus."""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from claims.domain.claim import Claim
from claims.domain.facts import AccidentFacts, EMerchantGoodsFacts, Facts
from claims.entrypoints.mapping import facts_json
from claims.entrypoints.schema_facts import AccidentFacts as AccidentFactsIn
from claims.service.evidence import EvidenceRefused
from claims.service.handlers import ClaimsService, Declare, UnknownPolicy
from claims.service.policies import PolicyFacts
from mylm_shared.events import CLAIM_ACCEPTED, CLAIM_DECLARED, CLAIM_REJECTED
from mylm_shared.kernel.idempotency import IdempotencyConflict

from testkit.fakes.claims import ClaimsFakes, InMemoryPolicies
from testkit.fakes.shared import InMemoryAggregates

HOLDER, CHILD, STRANGER = "m-holder", "m-child", "m-stranger"
POLICY = PolicyFacts(
    policy_id="p1",
    policyholder_id=HOLDER,
    formula="family",
    start_date=date(2026, 1, 1),
    end_date=None,
    threshold_pct=5,
    e_protection=True,
    first_premium_paid=True,
    signed=True,
)
GOODS = EMerchantGoodsFacts(
    principal_stake=Decimal("800.00"), price=Decimal("800.00"), defect="broken"
)
GOODS_JSON: dict[str, Any] = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}
ACCIDENT = AccidentFacts(country="BE", disability_pct=Decimal(10))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def service(
    today: date = date(2026, 3, 3), policy: PolicyFacts = POLICY
) -> tuple[ClaimsService, InMemoryAggregates[Claim], InMemoryPolicies]:
    fakes = ClaimsFakes(datetime(today.year, today.month, today.day, 10, tzinfo=UTC))
    fakes.policies.add(policy, CHILD)
    return fakes.use_cases().claims, fakes.claims, fakes.policies


def declare(
    member_id: str = HOLDER,
    facts: Facts = GOODS,
    event_date: date = date(2026, 3, 2),
    policy_id: str | None = "p1",
    facts_json: dict[str, Any] | None = None,
) -> Declare:
    return Declare(
        member_id=member_id,
        policy_id=policy_id,
        cover=facts.cover,
        event_date=event_date,
        facts=facts,
        facts_json=GOODS_JSON if facts_json is None else facts_json,
    )


async def test_cl1_declared_claim_carries_the_engines_decision_and_goes_on_the_bus() -> None:
    svc, store, _ = service()
    claim, created = await svc.declare(declare(), "account-holder", None)
    assert created and claim.claim_number == "CL-2026-000001"
    assert claim.engine.outcome == "covered"
    assert claim.declared_on == date(2026, 3, 3)
    assert [m.spec for m in store.published] == [CLAIM_DECLARED]
    payload = store.published[0].payload.model_dump()
    assert payload["next_deadline"]["rule"] == "LA-8"
    assert payload["late_declaration"] is False
    again = await store.get(claim.claim_id)
    assert again is not None and again.engine == claim.engine  # the mapper round-trips


async def test_pc4_unpaid_first_premium_gives_a_rejected_decision() -> None:
    svc, _, _ = service(policy=replace(POLICY, first_premium_paid=False))
    claim, _ = await svc.declare(declare(), "account-holder", None)
    assert claim.engine.outcome == "rejected"
    assert [f.rule for f in claim.engine.findings] == ["PC-4"]
    assert claim.status == "declared"  # staff decide; the engine's decision is advice


async def test_pc8_a_claim_during_a_suspension_is_rejected() -> None:
    svc, _, policies = service()
    policies.suspended["p1"] = (date(2026, 3, 1), date(2026, 4, 1))
    claim, _ = await svc.declare(declare(), "account-holder", None)
    assert [f.rule for f in claim.engine.findings] == ["PC-8"]


async def test_pc3_a_dependant_insured_on_the_family_contract_is_covered() -> None:
    svc, _, _ = service()
    mine, _ = await svc.declare(declare(CHILD), "account-holder", None)
    assert mine.engine.outcome == "covered" and mine.member_id == CHILD
    # Issue 15 item 3: someone the contract does not insure learns nothing of it.
    with pytest.raises(UnknownPolicy):
        await svc.declare(declare(STRANGER), "account-stranger", None)


@pytest.mark.parametrize(
    ("today", "late"),
    [
        pytest.param(date(2026, 3, 10), False, id="PA-7-day-8-in-time"),
        pytest.param(date(2026, 3, 11), True, id="PA-7-day-9-late-flagged-CL-2"),
    ],
)
async def test_pa7_cl2_a_late_declaration_is_flagged_not_refused(today: date, late: bool) -> None:
    svc, store, _ = service(today)
    claim, _ = await svc.declare(
        declare(facts=ACCIDENT, facts_json={"country": "BE", "disability_pct": "10"}),
        "account-holder",
        None,
    )
    assert claim.engine.late_declaration is late
    assert claim.engine.outcome == "covered"
    assert ("CL-2" in claim.engine.rules) is late
    assert store.published[-1].payload.model_dump()["late_declaration"] is late


async def test_la1_a_second_e_protection_claim_in_the_insurance_year_is_rejected() -> None:
    svc, _, _ = service()
    first, _ = await svc.declare(declare(), "account-holder", None)
    assert first.engine.outcome == "covered"
    second, _ = await svc.declare(declare(event_date=date(2026, 3, 1)), "account-holder", None)
    assert second.engine.outcome == "rejected"
    assert "LA-1" in [f.rule for f in second.engine.findings]


async def test_la1_a_rejected_claim_does_not_use_up_the_insurance_year() -> None:
    svc, _, _ = service()
    first, _ = await svc.declare(declare(), "account-holder", None)
    await svc.decide(first.claim_id, "rejected", "Not a professional seller.", "staff-1")
    second, _ = await svc.declare(declare(event_date=date(2026, 3, 1)), "account-holder", None)
    assert second.engine.outcome == "covered"


async def test_the_claimants_own_contract_is_found_without_a_policy_id() -> None:
    svc, _, _ = service()
    claim, _ = await svc.declare(declare(policy_id=None), "account-holder", None)
    assert claim.policy_id == "p1"
    with pytest.raises(UnknownPolicy):  # a dependant names the titular's contract
        await svc.declare(declare(CHILD, policy_id=None), "account-holder", None)
    with pytest.raises(UnknownPolicy):
        await svc.declare(declare(policy_id="nope"), "account-holder", None)


async def test_same_idempotency_key_same_claim_another_body_conflicts() -> None:
    svc, store, _ = service()
    one, created = await svc.declare(declare(), "account-holder", "k1")
    two, again = await svc.declare(declare(), "account-holder", "k1")
    assert created and not again and one.claim_id == two.claim_id
    assert len(store.published) == 1
    with pytest.raises(IdempotencyConflict):
        await svc.declare(declare(event_date=date(2026, 3, 1)), "account-holder", "k1")


async def test_a_retry_across_releases_still_names_and_matches_the_stored_claim() -> None:
    """Issue 17 item 3 (``mylm_shared.kernel.idempotency``): the claim id (the caller, per dossier
    when acting for a dependant) and the request's fingerprint are those earlier releases
    stored, so their retries still replay."""
    claims, _, _ = service()
    claim, _ = await claims.declare(declare(), "acc-1", "k-1")
    assert claim.claim_id == "024c1b1e-9928-5788-a850-3c8ead747617"
    pinned = "5d910eca88d0867e66e6db7c59fcd8cbdcdf93438763451700a6ce61a769ed0e"
    assert claim.request_fingerprint == pinned


async def test_staff_override_goes_on_the_bus_as_overridden() -> None:
    svc, store, _ = service(policy=replace(POLICY, first_premium_paid=False))
    claim, _ = await svc.declare(declare(), "account-holder", None)
    await svc.decide(claim.claim_id, "covered", "Premium paid on time, bank delay.", "staff-1")
    message = store.published[-1]
    assert message.spec == CLAIM_ACCEPTED
    assert message.payload.model_dump()["overridden"] is True
    other, _ = await svc.declare(declare(event_date=date(2026, 2, 1)), "account-holder", None)
    await svc.decide(other.claim_id, "follow_engine", None, "staff-1")
    assert store.published[-1].spec == CLAIM_REJECTED
    assert store.published[-1].payload.model_dump()["overridden"] is False


async def test_evidence_is_checked_by_content_and_size() -> None:
    svc, _, _ = service()
    svc.max_file_bytes = 1024
    claim, _ = await svc.declare(declare(), "account-holder", None)
    kept = await svc.add_document(claim.claim_id, "order.pdf", PDF, "account-holder")
    assert kept.media_type == "application/pdf"
    stored = await svc.file(claim.claim_id, kept.document_id)
    assert stored is not None and stored.content == PDF
    with pytest.raises(EvidenceRefused) as wrong:
        await svc.add_document(claim.claim_id, "fake.pdf", b"MZ\x90\x00 not a pdf", "x")
    assert wrong.value.status == 415
    with pytest.raises(EvidenceRefused) as big:
        await svc.add_document(claim.claim_id, "big.pdf", PDF + b"0" * 2000, "x")
    assert big.value.status == 413


def test_cl1_stored_facts_are_canonical_json_for_idempotent_retries() -> None:
    model = AccidentFactsIn.model_validate(
        {"country": "BE", "exclusions": ["work_or_commute", "illness", "tropical_disease"]}
    )
    dumped = facts_json(model)
    assert dumped["exclusions"] == ["illness", "tropical_disease", "work_or_commute"]
    assert dumped["country"] == "BE" and dumped["benefits_received"] == "0.00"


async def test_a_members_claims_are_listed_newest_first_and_paged() -> None:
    svc, _, _ = service()
    days = [date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 4)]
    for day in days:
        at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        svc.now = lambda at=at: at  # type: ignore[misc]
        await svc.declare(declare(facts=ACCIDENT, event_date=date(2026, 3, 2)), "account", None)
    listed = await svc.claims_of(HOLDER, limit=10, offset=0)
    assert [c.declared_on for c in listed] == sorted(days, reverse=True)
    assert [c.declared_on for c in await svc.claims_of(HOLDER, limit=1, offset=1)] == [days[2]]
