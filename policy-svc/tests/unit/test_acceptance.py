"""What the member accepted, the policyholder and the relations, and the cover amounts as
data (issue 20 item 2: the gaps the portal's policies pages found), on the in-memory fakes
(the fake store round-trips through the real ``PolicyMapper``)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from policy.domain.insured import HouseholdPerson, Policyholder, always, insured_on
from policy.domain.policy import DeclaredPerson, Policy, ProposalChanged, WrongStatus
from policy.domain.product import COVER_AMOUNTS, cover_amounts
from policy.entrypoints.api import PolicyOut
from policy.service.handlers import KnownMember, PolicyService, ProposePolicy

from testkit.fakes.policy import PolicyFakes

TODAY = date(2026, 11, 23)
SIGNED_AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def service() -> PolicyService:
    fakes = PolicyFakes(KnownMember("holder", "An Claes", date(1980, 5, 17)), today=TODAY)
    policies = fakes.use_cases().policies
    policies.now = lambda: SIGNED_AT
    return policies


def family(e_protection: bool = True) -> ProposePolicy:
    return ProposePolicy("holder", "family", date(2027, 1, 1), 5, e_protection)


def child(name: str = "Lore") -> DeclaredPerson:
    return DeclaredPerson("kid-1", name, date(2015, 3, 15), "child", True)


async def test_pc1_accepting_the_version_shown_records_version_time_and_signer() -> None:
    """Issue 20 item 2 (PC-1): the member accepts the proposal version they were shown;
    the contract keeps that version, when and which account signed."""
    policies = service()
    proposal, _ = await policies.propose(family(), "staff", None)
    shown = proposal.proposal_version
    accepted = await policies.accept(proposal.policy_id, by="acct-an", shown_version=shown)
    assert accepted.acceptance is not None
    assert (accepted.acceptance.version, accepted.acceptance.at, accepted.acceptance.by) == (
        shown,
        SIGNED_AT,
        "acct-an",
    )
    stored = await policies.policy(proposal.policy_id)  # through the mapper and back
    assert stored is not None and stored.acceptance == accepted.acceptance
    answer = PolicyOut.of(stored, TODAY)
    assert (answer.accepted_version, answer.accepted_at, answer.accepted_by) == (
        shown,
        SIGNED_AT,
        "acct-an",
    )
    assert answer.proposal_version is None  # a contract now, no proposal to accept


async def test_pc1_a_proposal_changed_since_it_was_shown_is_refused_and_nothing_changes() -> None:
    """Issue 20 item 2 (PC-1, PC-3): the household declared after the member read the
    proposal changes whom it insures, so its version: accepting the old one is refused
    (409 ProposalChanged) and the proposal stays a proposal; the new version is accepted."""
    policies = service()
    proposal, _ = await policies.propose(family(), "staff", None)
    shown = proposal.proposal_version
    holder = policies.recorder("acct-an", staff=False)
    changed, _ = await policies.declare_household(proposal.policy_id, None, (child(),), holder)
    assert changed.proposal_version != shown
    with pytest.raises(ProposalChanged) as refused:
        await policies.accept(proposal.policy_id, by="acct-an", shown_version=shown)
    assert refused.value.current == changed.proposal_version
    assert isinstance(refused.value, WrongStatus)  # a 409, as any acceptance out of place
    still = await policies.policy(proposal.policy_id)
    assert still is not None and still.status == "proposed" and still.acceptance is None
    accepted = await policies.accept(
        proposal.policy_id, by="acct-an", shown_version=changed.proposal_version
    )
    assert accepted.status == "awaiting_first_premium"


async def test_accepting_without_a_version_still_works_and_records_the_current_one() -> None:
    """Issue 20 item 2: backward compatible — no version given accepts the current
    proposal (as before) and records which version that was."""
    policies = service()
    proposal, _ = await policies.propose(family(), "staff", None)
    accepted = await policies.accept(proposal.policy_id)
    assert accepted.acceptance is not None
    assert accepted.acceptance.version == proposal.proposal_version
    assert accepted.acceptance.by == "holder"  # no account given: the policyholder


def test_pc1_the_version_is_stable_when_nothing_the_member_agrees_to_changes() -> None:
    """Issue 20 item 2: saving again (a new stored version) does not change the proposal
    version; another premium does (PC-8)."""
    one = Policy.propose(
        policy_id="p-1",
        member_id="holder",
        holder_name="An Claes",
        holder_birth_date=date(1980, 5, 17),
        formula="family",
        threshold_pct=5,
        e_protection=True,
        start_date=date(2027, 1, 1),
        proposed_on=TODAY,
    )
    saved_again = Policy.propose(
        policy_id="p-1",
        member_id="holder",
        holder_name="An Claes",
        holder_birth_date=date(1980, 5, 17),
        formula="family",
        threshold_pct=5,
        e_protection=True,
        start_date=date(2027, 1, 1),
        proposed_on=TODAY,
    )
    saved_again.version = 7
    assert one.proposal_version == saved_again.proposal_version
    cheaper = Policy.propose(
        policy_id="p-1",
        member_id="holder",
        holder_name="An Claes",
        holder_birth_date=date(1980, 5, 17),
        formula="family",
        threshold_pct=10,
        e_protection=True,
        start_date=date(2027, 1, 1),
        proposed_on=TODAY,
    )
    assert cheaper.proposal_version != one.proposal_version


async def test_pc2_pc3_the_answer_names_the_policyholder_and_each_relation() -> None:
    """Issue 20 item 2 (PC-2/PC-3): the policy answer carries the policyholder's name and,
    per insured person, the relation and the ground insured on, as data."""
    policies = service()
    proposal, _ = await policies.propose(family(), "staff", None)
    holder = policies.recorder("acct-an", staff=False)
    partner = DeclaredPerson("p-1", "Sam", date(1982, 1, 2), "partner", True)
    student = DeclaredPerson("kid-2", "Mil", date(2004, 6, 1), "child", False, studying=True)
    changed, _ = await policies.declare_household(
        proposal.policy_id, None, (partner, child(), student), holder
    )
    answer = PolicyOut.of(changed, TODAY)
    assert answer.policyholder_name == "An Claes"
    assert [(p.name, p.relation, p.category) for p in answer.insured] == [
        ("An Claes", "policyholder", "policyholder"),
        ("Sam", "partner", "partner"),
        ("Lore", "child", "child_in"),
        ("Mil", "child", "student"),
    ]


def test_pc3_a_person_not_insured_has_a_relation_and_no_category() -> None:
    """PC-3: a partner not living in is not insured — relation kept, no ground."""
    away = HouseholdPerson("p-1", "Sam", date(1982, 1, 2), "partner", always(False))
    minor = HouseholdPerson("kid-3", "Jo", date(2015, 1, 1), "child", always(False))
    answers = insured_on(
        TODAY, "family", TODAY, Policyholder("holder", "An", date(1980, 5, 17)), [away, minor]
    )
    assert [(a.relation, a.category, a.insured) for a in answers] == [
        ("policyholder", "policyholder", True),
        ("partner", None, False),
        ("child", "minor_elsewhere", True),
    ]


def test_pa5_as3_la11_cover_amounts_are_the_products_and_follow_the_covers() -> None:
    """Issue 20 item 2: the general conditions' amounts (PA-5 1,000,000 per accident and
    victim, funeral 5,000; AS-3 medical costs abroad 7,500; LA-11 5,000 per claim and
    insurance year), one source (``domain/product.py``), only for the covers held (PC-1)."""
    amounts = {a.key: (a.amount, a.rule) for a in COVER_AMOUNTS}
    assert amounts == {
        "limit_accident": (Decimal("1000000.00"), "PA-5"),
        "funeral": (Decimal("5000.00"), "PA-5"),
        "medical_abroad": (Decimal("7500.00"), "AS-3"),
        "limit_e_protection": (Decimal("5000.00"), "LA-11"),
    }
    assert [a.key for a in cover_amounts(e_protection=False)] == [
        "limit_accident",
        "funeral",
        "medical_abroad",
    ]
    assert "limit_e_protection" in [a.key for a in cover_amounts(e_protection=True)]


async def test_the_policy_answer_carries_the_cover_amounts() -> None:
    """Issue 20 item 2: the portal reads the amounts from the answer (no constants)."""
    policies = service()
    proposal, _ = await policies.propose(family(e_protection=False), "staff", None)
    answer = PolicyOut.of(proposal, TODAY).model_dump(mode="json")
    assert answer["cover_amounts"] == [
        {
            "key": "limit_accident",
            "cover": "accident",
            "amount": "1000000.00",
            "currency": "EUR",
            "rule": "PA-5",
            "per": "accident_victim",
        },
        {
            "key": "funeral",
            "cover": "accident",
            "amount": "5000.00",
            "currency": "EUR",
            "rule": "PA-5",
            "per": "accident_victim",
        },
        {
            "key": "medical_abroad",
            "cover": "assistance",
            "amount": "7500.00",
            "currency": "EUR",
            "rule": "AS-3",
            "per": "accident_insured",
        },
    ]
    assert answer["proposal_version"] == proposal.proposal_version
    assert answer["accepted_version"] is None
