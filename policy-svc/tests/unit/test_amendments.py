"""PC-7 amendments on the in-memory fakes: the month to propose (retroactive to the
aggravation), the month to accept, the insurer's 15 days, the reduction's month to agree,
insured persons before and after a retroactive single -> family change, the worklist and
reminders sent once per deadline. Exact dates on both sides of each boundary."""

from datetime import date

import pytest
from mylm_shared.events import AMENDMENT_REMINDED, POLICY_AMENDED
from policy.adapters.repository import PolicyMapper
from policy.domain.amendments import Amendment, AmendmentRefused, WrongStep
from policy.domain.fact_dates import Recorder
from policy.domain.policy import DeclaredPerson, Policy, WrongStatus
from policy.domain.product import premium
from policy.domain.termination import ContractDates, Notice, OutsideWindow, terminate

from testkit.fakes.policy import PolicyFakes

SIGNED = date(2026, 12, 1)
START = date(2027, 1, 1)
CONTRACT = ContractDates(SIGNED, START)
PARTNER = DeclaredPerson("p1", "Bo Claes", date(1982, 4, 2), "partner", True)


class World:
    def __init__(self, formula: str = "single") -> None:
        fakes = PolicyFakes(today=date(2027, 1, 31))
        self.policies, self.amendments, self.clock = fakes.policies, fakes.amendments, fakes.today
        self.service = fakes.use_cases().amendments
        self.formula = formula

    async def policy(self, policy_id: str = "pol-1", *, signed: bool = True) -> Policy:
        policy = Policy.propose(
            policy_id=policy_id,
            member_id="m1",
            holder_name="An Claes",
            holder_birth_date=date(1980, 5, 17),
            formula=self.formula,  # type: ignore[arg-type]
            threshold_pct=5,
            e_protection=True,
            start_date=START,
            proposed_on=date(2026, 11, 20),
        )
        if signed:
            policy.accept(SIGNED)
        policy.declare_household(START, (PARTNER,))
        await self.policies.save(policy)
        return policy

    async def declare(
        self,
        kind: str = "aggravation",
        formula: str = "family",
        occurred_on: date = date(2027, 1, 20),
        known_on: date = date(2027, 1, 31),
        policy_id: str = "pol-1",
    ) -> Amendment:
        return await self.service.declare(
            policy_id,
            kind=kind,  # type: ignore[arg-type]
            formula=formula,  # type: ignore[arg-type]
            occurred_on=occurred_on,
            known_on=known_on,
            # Staff record the day the declaration reached the insurer (issue 15 item 4:
            # an earlier day than today needs the reason).
            recorder=Recorder(
                "staff-1", True, max(self.clock(), known_on), "declaration received by post"
            ),
        )


@pytest.fixture
async def world() -> World:
    w = World()
    await w.policy()
    return w


# --- the month to propose (aggravation) -----------------------------------------------


@pytest.mark.parametrize(
    ("known_on", "last_day"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),  # common year: clamped to 28 February
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2027, 3, 15), date(2027, 4, 15)),
    ],
)
async def test_pc7_proposal_deadline_is_one_month_after_knowledge_both_sides(
    world: World, known_on: date, last_day: date
) -> None:
    on_time = await world.declare(known_on=known_on, occurred_on=known_on)
    assert on_time.propose_by == last_day
    proposed = await world.service.propose(on_time.amendment_id, last_day, None)
    assert proposed.status == "proposed"

    late = await world.declare(known_on=known_on, occurred_on=known_on)
    with pytest.raises(AmendmentRefused) as refused:
        await world.service.propose(
            late.amendment_id, date.fromordinal(last_day.toordinal() + 1), None
        )
    assert refused.value.rule == "PC-7"
    assert "can no longer invoke the aggravation" in refused.value.detail
    assert str(last_day) in refused.value.detail


async def test_pc7_proposal_carries_the_product_premium_of_the_declared_formula(
    world: World,
) -> None:
    declared = await world.declare()
    proposed = await world.service.propose(
        declared.amendment_id, date(2027, 2, 3), date(2027, 2, 5)
    )
    assert proposed.proposal is not None
    assert proposed.proposal.premium == premium("family", 5, e_protection=True)
    assert proposed.proposal.received_on == date(2027, 2, 5)
    assert proposed.accept_by == date(2027, 3, 5)


async def test_pc7_declaration_refused_when_known_before_it_occurred_or_without_contract(
    world: World,
) -> None:
    with pytest.raises(AmendmentRefused):
        await world.declare(occurred_on=date(2027, 2, 1), known_on=date(2027, 1, 31))
    await world.policy("proposal-only", signed=False)
    with pytest.raises(WrongStatus):
        await world.declare(policy_id="proposal-only")


# --- the month to accept and the insurer's 15 days -------------------------------------


async def proposed(world: World, received_on: date = date(2027, 1, 31)) -> Amendment:
    declared = await world.declare(known_on=date(2027, 1, 31))
    return await world.service.propose(declared.amendment_id, date(2027, 1, 31), received_on)


async def test_pc7_accept_deadline_one_month_after_receipt_31_january(world: World) -> None:
    amendment = await proposed(world)
    assert amendment.accept_by == date(2027, 2, 28)
    with pytest.raises(AmendmentRefused) as late:
        await world.service.accept(amendment.amendment_id, date(2027, 3, 1))
    assert late.value.rule == "PC-7"
    assert "may terminate from 2027-03-01 to 2027-03-15" in late.value.detail
    accepted = await world.service.accept(amendment.amendment_id, date(2027, 2, 28))
    assert accepted.status == "accepted"


async def test_pc7_no_answer_opens_the_insurers_15_days_as_termination_checks_them(
    world: World,
) -> None:
    amendment = await proposed(world)
    right = amendment.termination_right()
    assert right is not None and (right.by, right.ground, right.rule) == (
        "insurer",
        "aggravation",
        "PC-10",
    )
    assert (right.window.opens_on, right.window.closes_on) == (date(2027, 3, 1), date(2027, 3, 15))
    step = amendment.next_step(date(2027, 2, 28))
    assert step is not None and (step.step, step.deadline) == ("accept_proposal", date(2027, 2, 28))
    step = amendment.next_step(date(2027, 3, 1))
    assert step is not None and (step.step, step.by, step.deadline, step.overdue) == (
        "insurer_may_terminate",
        "insurer",
        date(2027, 3, 15),
        False,
    )
    later = amendment.next_step(date(2027, 3, 16))
    assert later is not None and later.overdue

    # The termination notice carries the amendment's received date: same window.
    def notice(on: date) -> Notice:
        return Notice(
            "insurer",
            "aggravation",
            on,
            "registered_letter",
            amendment_received_on=right.amendment_received_on,
        )

    assert terminate(CONTRACT, notice(date(2027, 3, 15))).effective_on == date(2027, 4, 16)
    for outside in (date(2027, 2, 28), date(2027, 3, 16)):
        with pytest.raises(OutsideWindow):
            terminate(CONTRACT, notice(outside))


async def test_pc7_refusal_opens_15_days_from_the_refusal(world: World) -> None:
    amendment = await proposed(world)
    refused = await world.service.refuse(amendment.amendment_id, date(2027, 2, 10))
    right = refused.termination_right()
    assert right is not None
    assert (right.window.opens_on, right.window.closes_on) == (date(2027, 2, 10), date(2027, 2, 25))
    assert right.amendment_refused_on == date(2027, 2, 10)
    notice = Notice(
        "insurer",
        "aggravation",
        date(2027, 2, 26),
        "registered_letter",
        amendment_received_on=right.amendment_received_on,
        amendment_refused_on=right.amendment_refused_on,
    )
    with pytest.raises(OutsideWindow):
        terminate(CONTRACT, notice)
    with pytest.raises(WrongStep):
        await world.service.accept(amendment.amendment_id, date(2027, 2, 11))


# --- state transitions ------------------------------------------------------------------


async def test_pc7_transitions_and_idempotent_acceptance(world: World) -> None:
    declared = await world.declare()
    assert declared.status == "declared"
    with pytest.raises(WrongStep):
        await world.service.accept(declared.amendment_id, date(2027, 2, 1))
    amendment = await world.service.propose(declared.amendment_id, date(2027, 2, 1), None)
    with pytest.raises(WrongStep):
        await world.service.propose(declared.amendment_id, date(2027, 2, 2), None)
    first = await world.service.accept(amendment.amendment_id, date(2027, 2, 3))
    again = await world.service.accept(amendment.amendment_id, date(2027, 2, 4))
    assert (first.status, again.status, again.answered_on) == (
        "accepted",
        "accepted",
        date(2027, 2, 3),
    )
    assert [m.spec for m in world.policies.published].count(POLICY_AMENDED) == 1
    assert again.next_step(date(2027, 2, 4)) is None
    with pytest.raises(WrongStep):
        await world.service.refuse(amendment.amendment_id, date(2027, 2, 5))
    with pytest.raises(WrongStep):
        await world.service.close(amendment.amendment_id, "done")


async def test_pc7_a_forfeited_aggravation_is_overdue_until_staff_close_it(world: World) -> None:
    declared = await world.declare(known_on=date(2027, 1, 31))
    step = declared.next_step(date(2027, 3, 1))
    assert step is not None and (step.step, step.overdue) == ("propose", True)
    closed = await world.service.close(declared.amendment_id, "PC-7 month to propose passed")
    assert closed.next_step(date(2027, 3, 1)) is None
    assert await world.service.worklist(date(2027, 3, 1), limit=10, offset=0) == []


# --- the Policy's terms from the effective date -----------------------------------------


async def test_pc7_retroactive_single_to_family_insures_the_partner_from_the_aggravation(
    world: World,
) -> None:
    declared = await world.declare(occurred_on=date(2027, 3, 10), known_on=date(2027, 3, 20))
    await world.service.propose(declared.amendment_id, date(2027, 3, 25), None)
    world.clock.day = date(2027, 4, 1)
    accepted = await world.service.accept(declared.amendment_id)
    assert accepted.answered_on == date(2027, 4, 1)

    policy = await world.policies.get("pol-1")
    assert policy is not None
    before = {a.person_id: a for a in policy.insured(date(2027, 3, 9))}
    after = {a.person_id: a for a in policy.insured(date(2027, 3, 10))}
    assert not before["p1"].insured and before["p1"].rule == "PC-2"  # single: holder only
    assert after["p1"].insured and after["p1"].rule == "PC-3"
    assert after["m1"].insured
    assert policy.formula == "family"
    assert policy.premium == premium("family", 5, e_protection=True)
    assert policy.terms_on(date(2027, 3, 9)) == ("single", premium("single", 5, True))

    [message] = [m for m in world.policies.published if m.spec == POLICY_AMENDED]
    payload = message.payload.model_dump()
    assert (payload["amendment_id"], payload["kind"], payload["formula"]) == (
        declared.amendment_id,
        "aggravation",
        "family",
    )
    assert payload["effective_on"] == date(2027, 3, 10)
    assert message.subject == "m1"

    reloaded = PolicyMapper().from_document(PolicyMapper().to_document(policy))
    assert reloaded.terms_on(date(2027, 3, 9))[0] == "single"
    assert reloaded.terms_changes == policy.terms_changes


async def test_pc7_reduction_takes_effect_from_knowledge_and_late_agreement_is_accepted() -> None:
    world = World("family")
    await world.policy()
    declared = await world.declare(
        kind="reduction",
        formula="single",
        occurred_on=date(2027, 1, 15),
        known_on=date(2027, 1, 31),
    )
    assert (declared.agree_by, declared.propose_by, declared.effective_on) == (
        date(2027, 2, 28),
        None,
        date(2027, 1, 31),
    )
    right = declared.termination_right()
    assert right is not None and (right.by, right.ground, right.rule) == (
        "policyholder",
        "risk_reduction",
        "PC-9",
    )
    assert (right.window.opens_on, right.window.closes_on) == (date(2027, 3, 1), None)
    for day, allowed in ((date(2027, 2, 28), False), (date(2027, 3, 1), True)):
        notice = Notice(
            "policyholder",
            "risk_reduction",
            day,
            "registered_letter",
            reduction_requested_on=right.reduction_requested_on,
        )
        if allowed:
            terminate(CONTRACT, notice)
        else:
            with pytest.raises(OutsideWindow):
                terminate(CONTRACT, notice)

    await world.service.propose(declared.amendment_id, date(2027, 2, 20), None)
    accepted = await world.service.accept(declared.amendment_id, date(2027, 3, 5))  # late
    assert accepted.status == "accepted"
    policy = await world.policies.get("pol-1")
    assert policy is not None
    assert policy.terms_on(date(2027, 1, 30))[0] == "family"
    assert policy.terms_on(date(2027, 1, 31)) == ("single", premium("single", 5, True))


async def test_pc7_amending_a_contract_that_ends_before_the_change_is_409(world: World) -> None:
    policy = await world.policies.get("pol-1")
    assert policy is not None
    declared = await world.declare(occurred_on=date(2027, 3, 1), known_on=date(2027, 3, 2))
    await world.service.propose(declared.amendment_id, date(2027, 3, 2), None)
    policy.terminate(
        Notice(
            "policyholder",
            "emigration",
            date(2027, 2, 1),
            "registered_letter",
            departure_on=date(2027, 2, 15),
        )
    )
    await world.policies.save(policy)
    with pytest.raises(WrongStatus):
        await world.service.accept(declared.amendment_id, date(2027, 3, 3))
    unchanged = await world.amendments.get(declared.amendment_id)
    assert unchanged is not None and unchanged.status == "proposed"  # nothing stored


# --- worklist and reminders -------------------------------------------------------------


async def test_pc7_worklist_oldest_deadline_first_with_overdue(world: World) -> None:
    early = await world.declare(known_on=date(2027, 1, 10), occurred_on=date(2027, 1, 5))
    late = await world.declare(known_on=date(2027, 1, 31))
    accepted = await proposed(world)
    await world.service.accept(accepted.amendment_id, date(2027, 2, 1))
    items = await world.service.worklist(date(2027, 2, 11), limit=10, offset=0)
    assert [
        (i.amendment.amendment_id, i.next_step.deadline, i.next_step.overdue) for i in items
    ] == [
        (early.amendment_id, date(2027, 2, 10), True),
        (late.amendment_id, date(2027, 2, 28), False),
    ]
    page = await world.service.worklist(date(2027, 2, 11), limit=1, offset=1)
    assert [i.amendment.amendment_id for i in page] == [late.amendment_id]


async def test_pc7_reminder_once_when_the_accept_deadline_is_7_days_away(world: World) -> None:
    amendment = await proposed(world)  # accept by 2027-02-28
    assert await world.service.send_reminders(date(2027, 2, 20)) == 0  # 8 days before
    assert await world.service.send_reminders(date(2027, 2, 21)) == 1  # 7 days before
    assert await world.service.send_reminders(date(2027, 2, 21)) == 0
    assert await world.service.send_reminders(date(2027, 2, 28)) == 0
    reminders = [m for m in world.amendments.published if m.spec == AMENDMENT_REMINDED]
    assert [
        (m.payload.model_dump()["step"], m.payload.model_dump()["deadline"]) for m in reminders
    ] == [("accept_proposal", date(2027, 2, 28))]
    assert reminders[0].payload.model_dump()["amendment_id"] == amendment.amendment_id
    stored = await world.amendments.get(amendment.amendment_id)
    assert stored is not None and stored.remind_from() is None


async def test_pc7_reduction_reminder_on_the_deadline_day_but_not_after() -> None:
    world = World("family")
    await world.policy()
    declared = await world.declare(kind="reduction", formula="single", known_on=date(2027, 1, 31))
    assert await world.service.send_reminders(date(2027, 2, 27)) == 0  # nothing proposed yet
    await world.service.propose(declared.amendment_id, date(2027, 2, 27), None)
    assert await world.service.send_reminders(date(2027, 3, 1)) == 0  # deadline passed
    assert await world.service.send_reminders(date(2027, 2, 28)) == 1  # the deadline day
    [reminder] = [m for m in world.amendments.published if m.spec == AMENDMENT_REMINDED]
    assert reminder.payload.model_dump()["step"] == "agree_reduction"
