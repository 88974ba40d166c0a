"""Premiums on the in-memory store with fixed dates (no servers, no clock): activation on
the first premium (PC-4), formal notices, suspension and termination for non-payment
(PC-8, PC-10) and tacit renewal (PC-5), each on both sides of its boundary."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import pytest
from mylm_shared.aggregates import change
from mylm_shared.events import (
    INVOICE_PAID,
    POLICY_ACTIVATED,
    POLICY_RENEWED,
    POLICY_SUSPENDED,
    POLICY_TERMINATED,
    PREMIUM_DUE,
    EventSpec,
    InvoicePaidV1,
    new_event,
)
from policy.adapters.repository import PolicyMapper
from policy.domain.policy import Policy, PolicyRefused, WrongStatus, state_of
from policy.domain.premiums import admin_costs
from policy.domain.termination import Notice
from policy.service.premiums import PremiumService

from testkit.fakes.shared import InMemoryAggregates

START = date(2027, 1, 1)
FRIDAY = date(2028, 1, 7)  # term 2 is due on 2028-01-01
TARIFF = Decimal("8.50")


class World:
    def __init__(self) -> None:
        self.store: InMemoryAggregates[Policy] = InMemoryAggregates(PolicyMapper())
        self.premiums = PremiumService(self.store, TARIFF)

    async def proposed(self, start: date = START) -> Policy:
        policy = Policy.propose(
            policy_id=str(uuid.uuid4()),
            member_id="adult",
            holder_name="An Claes",
            holder_birth_date=date(1980, 5, 17),
            formula="single",
            threshold_pct=10,
            e_protection=False,
            start_date=start,
            proposed_on=date(2026, 11, 23),
        )
        await self.store.save(policy)
        return policy

    async def issued(self, start: date = START) -> str:
        policy = await self.proposed(start)
        await self.change(policy.policy_id, lambda p: p.accept(date(2026, 11, 23)))
        self.store.published.clear()
        return policy.policy_id

    async def change(self, policy_id: str, apply: Callable[[Policy], object]) -> None:
        def applied(policy: Policy) -> None:
            apply(policy)

        assert await change(self.store, policy_id, applied) is not None

    async def pay(
        self,
        policy_id: str | None,
        term: int,
        on: date,
        kind: Literal["care", "premium"] = "premium",
    ) -> None:
        payload = InvoicePaidV1(
            invoice_id=f"inv-{policy_id}-{term}",
            member_id="adult",
            structured_reference="+++000/0000/00101+++",
            paid_total=Decimal("78.66"),
            paid_on=on,
            kind=kind,
            policy_id=policy_id,
            term_number=term,
        )
        event = new_event(INVOICE_PAID, payload, source="/tests", subject="adult")
        await self.premiums.on_invoice_paid(event, payload)

    async def active(self, start: date = START) -> str:
        policy_id = await self.issued(start)
        await self.pay(policy_id, 1, start)
        self.store.published.clear()
        return policy_id

    async def policy(self, policy_id: str) -> Policy:
        found = await self.store.get(policy_id)
        assert found is not None
        return found

    async def status(self, policy_id: str, day: date) -> str:
        return state_of(await self.policy(policy_id), day).status

    def specs(self) -> list[EventSpec[Any]]:
        return [m.spec for m in self.store.published]


async def test_pc4_the_first_premium_paid_activates_once_and_cover_runs_from_the_start() -> None:
    world = World()
    policy_id = await world.issued()
    unpaid = state_of(await world.policy(policy_id), START)
    assert (unpaid.status, unpaid.covers, unpaid.insured) == ("awaiting_first_premium", (), [])

    await world.pay(policy_id, 1, date(2027, 1, 10))
    assert world.specs() == [POLICY_ACTIVATED]
    activated = world.store.published[0].payload.model_dump()
    assert (activated["cover_from"], activated["paid_on"]) == (START, date(2027, 1, 10))

    versions = len(world.store.documents)
    await world.pay(policy_id, 1, date(2027, 1, 10))  # redelivered
    assert (len(world.store.documents), world.specs()) == (versions, [POLICY_ACTIVATED])

    policy = await world.policy(policy_id)
    # PC-4: "Enkel de ongevallen gebeurd na de aanvangsdatum": nothing runs the day before.
    before = state_of(policy, date(2026, 12, 31))
    assert (before.status, before.covers, before.insured) == ("active", (), [])
    on_start = state_of(policy, START)
    assert on_start.status == "active" and on_start.covers == ("accident", "assistance")
    assert [a.person_id for a in on_start.insured] == ["adult"]


async def test_pc4_care_invoices_and_unknown_policies_are_ignored() -> None:
    world = World()
    policy_id = await world.issued()
    await world.pay(policy_id, 1, START, kind="care")
    await world.pay("no-such-policy", 1, START)
    assert world.specs() == []
    assert await world.status(policy_id, START) == "awaiting_first_premium"


def test_pc8_admin_costs_are_two_and_a_half_registered_letters() -> None:
    assert admin_costs(Decimal("8.50")) == Decimal("21.25")
    assert admin_costs(Decimal("8.25")) == Decimal("20.63")  # 20.625 rounds half up


async def test_pc8_suspension_from_day_16_after_a_friday_posting_then_termination() -> None:
    world = World()
    policy_id = await world.active()
    assert FRIDAY.weekday() == 4
    notice = await world.premiums.post_payment_notice(
        policy_id,
        term_number=2,
        posted_on=FRIDAY,
        channel="registered_letter",
        announces_termination=True,
    )
    # Day 1 = Saturday 8 January, day 15 = Saturday 22 January: suspended from Sunday 23.
    assert notice.suspended_from == date(2028, 1, 23)
    # Art. 71: 15 days from the first day of the suspension (day 1): 23 Jan .. 6 Feb.
    assert notice.terminates_on == date(2028, 2, 7)
    assert notice.admin_costs == Decimal("21.25")
    assert await world.status(policy_id, date(2028, 1, 22)) == "active"
    suspended = state_of(await world.policy(policy_id), date(2028, 1, 23))
    assert (suspended.status, suspended.covers, suspended.insured) == ("suspended", (), [])
    assert await world.status(policy_id, date(2028, 2, 6)) == "suspended"
    assert await world.status(policy_id, date(2028, 2, 7)) == "terminated"


async def test_pc8_a_notice_for_a_paid_or_not_yet_due_premium_is_refused() -> None:
    world = World()
    policy_id = await world.active()
    for term, posted_on in ((1, FRIDAY), (2, date(2027, 12, 31))):
        with pytest.raises(PolicyRefused) as refused:
            await world.premiums.post_payment_notice(
                policy_id,
                term_number=term,
                posted_on=posted_on,
                channel="bailiff",
                announces_termination=False,
            )
        assert refused.value.rule == "PC-8"
    on_due_date = await world.premiums.post_payment_notice(
        policy_id,
        term_number=2,
        posted_on=date(2028, 1, 1),  # the day term 2 falls due: accepted
        channel="bailiff",
        announces_termination=False,
    )
    assert on_due_date.suspended_from == date(2028, 1, 17)
    proposal = await world.proposed()
    with pytest.raises(WrongStatus):
        await world.premiums.post_payment_notice(
            proposal.policy_id,
            term_number=1,
            posted_on=START,
            channel="bailiff",
            announces_termination=False,
        )


async def noticed(world: World, *, announce: bool = True) -> str:
    policy_id = await world.active()
    await world.premiums.post_payment_notice(
        policy_id,
        term_number=2,
        posted_on=FRIDAY,
        channel="registered_letter",
        announces_termination=announce,
    )
    return policy_id


@pytest.mark.parametrize(
    ("paid_on", "suspended_days"),
    [
        (date(2028, 1, 22), []),  # the day before: no suspension at all
        (date(2028, 1, 23), []),  # on the first day: it ends that day, nothing lost
        (date(2028, 1, 24), [date(2028, 1, 23)]),  # the day after: one day suspended
    ],
)
async def test_pc8_paying_around_the_suspension_date(
    paid_on: date, suspended_days: list[date]
) -> None:
    world = World()
    policy_id = await noticed(world)
    await world.pay(policy_id, 2, paid_on)
    days = [date(2028, 1, d) for d in range(21, 26)]
    statuses = {day: await world.status(policy_id, day) for day in days}
    assert [d for d, s in statuses.items() if s == "suspended"] == suspended_days
    # The announced termination (7 February) is cancelled too.
    assert await world.status(policy_id, date(2028, 2, 7)) == "active"
    await world.premiums.emit_due_events(date(2028, 3, 1))
    assert POLICY_TERMINATED not in world.specs()


async def test_pc8_paying_on_the_termination_date_is_too_late() -> None:
    world = World()
    policy_id = await noticed(world)
    await world.pay(policy_id, 2, date(2028, 2, 6))
    assert await world.status(policy_id, date(2028, 2, 7)) == "active"

    late = World()
    late_id = await noticed(late)
    await late.pay(late_id, 2, date(2028, 2, 7))
    assert await late.status(late_id, date(2028, 2, 7)) == "terminated"


async def test_pc8_pc10_the_scheduler_emits_suspended_then_terminated_on_their_days() -> None:
    world = World()
    policy_id = await noticed(world)
    await world.premiums.emit_due_events(date(2027, 12, 31))
    world.store.published.clear()

    assert await world.premiums.emit_due_events(date(2028, 1, 1)) == 1
    assert world.specs() == [POLICY_RENEWED, PREMIUM_DUE]
    world.store.published.clear()
    assert await world.premiums.emit_due_events(date(2028, 1, 22)) == 0
    assert await world.premiums.emit_due_events(date(2028, 1, 23)) == 1
    assert world.specs() == [POLICY_SUSPENDED]
    suspended = world.store.published[0].payload.model_dump()
    assert (suspended["notice_posted_on"], suspended["suspended_from"]) == (
        FRIDAY,
        date(2028, 1, 23),
    )
    assert await world.premiums.emit_due_events(date(2028, 2, 6)) == 0
    assert await world.premiums.emit_due_events(date(2028, 2, 7)) == 1
    assert world.specs() == [POLICY_SUSPENDED, POLICY_TERMINATED]
    ended = (await world.policy(policy_id)).ending
    assert ended is not None
    assert (ended.reason, ended.by, ended.rule, ended.effective_on) == (
        "non_payment",
        "insurer",
        "PC-10",
        date(2028, 2, 7),
    )
    versions = len(world.store.documents)
    assert await world.premiums.emit_due_events(date(2029, 6, 1)) == 0  # no renewal after
    assert len(world.store.documents) == versions


async def test_pc8_a_second_notice_during_the_suspension_terminates_15_days_after_it() -> None:
    world = World()
    policy_id = await noticed(world, announce=False)
    assert await world.status(policy_id, date(2028, 3, 1)) == "suspended"
    second = await world.premiums.post_payment_notice(
        policy_id,
        term_number=2,
        posted_on=date(2028, 3, 1),
        channel="bailiff",
        announces_termination=True,
    )
    # Art. 71 §2: 15 days from the day after service (2 .. 16 March): from 17 March.
    assert second.terminates_on == date(2028, 3, 17)
    assert await world.status(policy_id, date(2028, 3, 16)) == "suspended"
    assert await world.status(policy_id, date(2028, 3, 17)) == "terminated"


async def test_pc8_an_unpaid_first_premium_never_shows_suspended_but_terminates() -> None:
    world = World()
    policy_id = await world.issued()
    notice = await world.premiums.post_payment_notice(
        policy_id,
        term_number=1,
        posted_on=START,  # Friday, the day it fell due
        channel="registered_letter",
        announces_termination=True,
    )
    assert (notice.suspended_from, notice.terminates_on) == (date(2027, 1, 17), date(2027, 2, 1))
    assert await world.status(policy_id, date(2027, 1, 20)) == "awaiting_first_premium"
    assert await world.status(policy_id, date(2027, 2, 1)) == "terminated"
    await world.premiums.emit_due_events(date(2027, 2, 1))
    assert world.specs() == [POLICY_TERMINATED]  # nothing suspended: cover never ran


async def test_pc5_renewal_on_the_anniversary_once_with_the_next_premium_due() -> None:
    world = World()
    policy_id = await world.active()
    assert await world.premiums.emit_due_events(date(2027, 12, 31)) == 0
    assert await world.premiums.emit_due_events(date(2028, 1, 1)) == 1
    assert await world.premiums.emit_due_events(date(2028, 1, 1)) == 0  # once
    assert world.specs() == [POLICY_RENEWED, PREMIUM_DUE]
    renewed, due = (m.payload.model_dump() for m in world.store.published)
    assert (renewed["term_number"], renewed["term_start"], renewed["term_end"]) == (
        2,
        date(2028, 1, 1),
        date(2029, 1, 1),
    )
    assert (due["term_number"], due["due_date"], due["premium"]["total"]) == (
        2,
        date(2028, 1, 1),
        Decimal("78.66"),  # PC-12: the same premium
    )
    assert (await world.policy(policy_id)).premiums.renewed_through == 2


async def test_pc5_no_renewal_before_the_first_premium_nor_after_an_objection() -> None:
    world = World()
    await world.issued()
    assert await world.premiums.emit_due_events(date(2028, 1, 1)) == 0

    policy_id = await world.active()
    await world.change(
        policy_id,
        lambda p: p.object_to_renewal("policyholder", date(2027, 10, 1), "registered_letter"),
    )
    world.store.published.clear()
    assert await world.premiums.emit_due_events(date(2028, 1, 1)) == 0
    assert world.specs() == []


async def test_pc5_a_29_february_start_renews_on_28_february_and_29_in_leap_years() -> None:
    world = World()
    policy_id = await world.active(date(2028, 2, 29))
    assert await world.premiums.emit_due_events(date(2029, 2, 27)) == 0
    await world.premiums.emit_due_events(date(2032, 2, 29))  # catches up, in order
    starts = [
        (m.payload.model_dump()["term_number"], m.payload.model_dump()["term_start"])
        for m in world.store.published
        if m.spec == POLICY_RENEWED
    ]
    assert starts == [
        (2, date(2029, 2, 28)),
        (3, date(2030, 2, 28)),
        (4, date(2031, 2, 28)),
        (5, date(2032, 2, 29)),
    ]
    stored = await world.policy(policy_id)
    assert stored.next_step is not None and stored.next_step.on == date(2033, 2, 28)


async def test_pc6_an_ending_on_the_renewal_day_prevents_it_and_next_event_on_is_stored() -> None:
    world = World()
    policy_id = await world.active()
    latest = max(world.store.documents.values(), key=lambda d: d["version"])
    assert latest["next_event_on"] == "2028-01-01"
    departed = Notice(
        "policyholder",
        "emigration",
        date(2027, 12, 1),
        "registered_letter",
        departure_on=date(2028, 1, 1),
    )
    await world.change(policy_id, lambda p: p.terminate(departed))
    latest = max(world.store.documents.values(), key=lambda d: d["version"])
    assert latest["next_event_on"] is None
    assert await world.store.due("next_event_on", "2099-01-01") == []


class InterleavingStore(InMemoryAggregates[Policy]):
    """Once armed, the next two reads wait for each other, so two schedulers load the
    same version before either saves (later reads, the loser's retry, pass through)."""

    def __init__(self, mapper: PolicyMapper) -> None:
        super().__init__(mapper)
        self._both_loaded = asyncio.Barrier(2)
        self._first_reads = 0

    def arm(self) -> None:
        self._first_reads = 2

    async def get(self, aggregate_id: str) -> Policy | None:
        found = await super().get(aggregate_id)
        if self._first_reads > 0:
            self._first_reads -= 1
            await self._both_loaded.wait()
        return found


async def test_pc5_two_replicas_passing_at_once_renew_once() -> None:
    world = World()
    world.store = store = InterleavingStore(PolicyMapper())
    world.premiums = PremiumService(world.store, TARIFF)
    await world.active()
    other = PremiumService(world.store, TARIFF)
    store.arm()
    changed = await asyncio.gather(
        world.premiums.emit_due_events(date(2028, 1, 1)), other.emit_due_events(date(2028, 1, 1))
    )
    assert sorted(changed) == [0, 1]  # the loser's re-applied change found nothing to do
    assert world.specs() == [POLICY_RENEWED, PREMIUM_DUE]
