"""The members policy-svc knows (language and titular kept, old documents still load)
and the family household seeded from identity's at acceptance (PC-3)."""

from datetime import UTC, date, datetime

from mylm_shared.events import MEMBER_REGISTERED, CloudEvent, MemberRegisteredV1, new_event
from policy.domain.policy import DeclaredPerson, Policy
from policy.service.handlers import KnownMember, PolicyService, ProposePolicy

from testkit.fakes.policy import InMemoryMembers, PolicyFakes

TODAY = date(2026, 11, 23)
START = date(2027, 1, 1)
TITULAR = KnownMember("titular", "Jan Peeters", date(1985, 7, 30), "fr")
# 12, 16 and 20 on the start date, like identity's demo household
CHILD = KnownMember("child", "Lotte Peeters", date(2014, 6, 1), "nl", "titular")
TEEN = KnownMember("teen", "Wout Peeters", date(2010, 6, 1), "nl", "titular")
ADULT = KnownMember("adult", "Emma Peeters", date(2006, 6, 1), "nl", "titular")


def service(*members: KnownMember) -> tuple[PolicyService, InMemoryMembers]:
    fakes = PolicyFakes(*members, today=TODAY)
    return fakes.use_cases().policies, fakes.members


async def issued(policies: PolicyService, formula: str = "family") -> Policy:
    command = ProposePolicy("titular", formula, START, 5, True)  # type: ignore[arg-type]
    proposed, _ = await policies.propose(command, "staff", None)
    return proposed


async def test_pc3_the_demo_household_is_seeded_at_acceptance_and_all_three_are_insured() -> None:
    policies, _ = service(TITULAR, ADULT, CHILD, TEEN)
    proposal = await issued(policies)
    accepted = await policies.accept(proposal.policy_id)

    assert [r.since for r in accepted.household] == [START]
    assert accepted.household[0].persons == (
        DeclaredPerson("adult", "Emma Peeters", date(2006, 6, 1), "child", True, False, False),
        DeclaredPerson("teen", "Wout Peeters", date(2010, 6, 1), "child", True, False, False),
        DeclaredPerson("child", "Lotte Peeters", date(2014, 6, 1), "child", True, False, False),
    )
    answers = [(a.person_id, a.insured, a.rule, a.reason) for a in accepted.insured(START)]
    assert answers == [
        ("titular", True, "PC-3", "policyholder"),
        ("adult", True, "PC-3", "child living with the policyholder"),
        ("teen", True, "PC-3", "child living with the policyholder"),
        ("child", True, "PC-3", "child living with the policyholder"),
    ]
    stored = await policies.policy(proposal.policy_id)
    assert stored is not None and stored.household == accepted.household  # one saved version


async def test_pc3_a_household_declared_before_acceptance_is_kept_not_seeded() -> None:
    policies, _ = service(TITULAR, CHILD)
    proposal = await issued(policies)
    declared = (DeclaredPerson("partner", "Els Peeters", date(1986, 1, 1), "partner", True),)
    await policies.declare_household(
        proposal.policy_id, TODAY, declared, policies.recorder("holder", staff=False)
    )
    accepted = await policies.accept(proposal.policy_id)
    assert [r.persons for r in accepted.household] == [declared]


async def test_pc2_a_single_contract_gets_no_household() -> None:
    policies, _ = service(TITULAR, CHILD)
    proposal = await issued(policies, "single")
    accepted = await policies.accept(proposal.policy_id)
    assert accepted.household == ()


async def test_pc3_the_policyholder_amends_the_seeded_household() -> None:
    policies, _ = service(TITULAR, ADULT)
    proposal = await issued(policies)
    await policies.accept(proposal.policy_id)
    # Emma moved out to study: from 1 March she is insured as a student living elsewhere
    moved = (
        DeclaredPerson("adult", "Emma Peeters", date(2006, 6, 1), "child", False, False, True),
    )
    amended, _ = await policies.declare_household(
        proposal.policy_id, date(2027, 3, 1), moved, policies.recorder("holder", staff=False)
    )
    assert amended.insured(date(2027, 2, 28))[1].reason == "child living with the policyholder"
    assert amended.insured(date(2027, 3, 1))[1].reason.startswith("unmarried student under 26")


def registered(
    member_id: str, titular: str | None, at: datetime
) -> tuple[CloudEvent, MemberRegisteredV1]:
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=None,
        language="de",
        mutuality="LM Plus",
        first_name="Lea",
        last_name="Schmitz",
        birth_date=date(2012, 3, 4),
        titular_member_id=titular,
    )
    event = new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)
    return event.model_copy(update={"time": at}), payload


async def test_the_projection_keeps_language_and_titular_and_loads_old_documents() -> None:
    policies, known = service()
    event, payload = registered("lea", "titular", datetime(2026, 1, 1, tzinfo=UTC))
    await policies.on_member_registered(event, payload)
    assert await known.find("lea") == KnownMember(
        "lea", "Lea Schmitz", date(2012, 3, 4), "de", "titular"
    )
    assert [m.member_id for m in await known.dependants_of("titular")] == ["lea"]

    # stored before language and titular were kept
    known.documents["old"] = {"_id": "old", "name": "An Claes", "birth_date": "1980-05-17"}
    assert await known.find("old") == KnownMember("old", "An Claes", date(1980, 5, 17), "nl", None)
    conditions = await policies.conditions(await issued_for(policies, "old"), None)
    assert conditions.language == "nl"


async def issued_for(policies: PolicyService, member_id: str) -> Policy:
    command = ProposePolicy(member_id, "single", START, 10, False)
    proposed, _ = await policies.propose(command, "staff", None)
    return proposed


async def test_the_conditions_default_to_the_policyholders_language() -> None:
    policies, _ = service(TITULAR)
    proposal = await issued(policies)
    assert (await policies.conditions(proposal, None)).language == "fr"
    assert (await policies.conditions(proposal, "de")).language == "de"
