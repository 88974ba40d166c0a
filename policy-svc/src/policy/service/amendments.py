"""Amendment use cases (PC-7): declare, propose, accept/refuse, close; a policy's
amendments, the staff worklist, and reminders a scheduler sends once per deadline."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from mylm_shared.aggregates import AggregateStore, change
from mylm_shared.kernel.periods import belgian_today

from policy.domain.amendments import Amendment, Kind, NextStep, TermsChange
from policy.domain.fact_dates import Recorder, fact_date
from policy.domain.insured import Formula
from policy.domain.policy import Policy, WrongStatus
from policy.domain.product import premium


class UnknownAmendment(Exception):
    pass


class UnknownPolicy(Exception):
    pass


@dataclass(frozen=True)
class WorkItem:
    amendment: Amendment
    next_step: NextStep


def _far(item: WorkItem) -> tuple[date, str]:
    # Oldest deadline first; open-ended steps last; the id keeps pages stable.
    return item.next_step.deadline or date.max, item.amendment.amendment_id


@dataclass
class AmendmentService:
    amendments: AggregateStore[Amendment]
    policies: AggregateStore[Policy]
    today: Callable[[], date] = belgian_today

    async def declare(
        self,
        policy_id: str,
        *,
        kind: Kind,
        formula: Formula,
        occurred_on: date,
        known_on: date | None,
        recorder: Recorder,
    ) -> Amendment:
        """A declared aggravation or reduction; the contract must be signed and still
        running on the day the risk changed (WrongStatus otherwise)."""
        policy = await self.policies.get(policy_id)
        if policy is None:
            raise UnknownPolicy(policy_id)
        if policy.status == "proposed":
            raise WrongStatus("the proposal was not accepted: there is no contract to amend")
        if policy.ending is not None and occurred_on >= policy.ending.effective_on:
            raise WrongStatus(f"the contract ends on {policy.ending.effective_on}")
        today = recorder.received_on
        # Issue 15 item 4: known_on is today for a member (a reduction's lower premium
        # applies from it); staff may record an earlier day with the reason.
        known, earlier = fact_date("known_on", known_on, recorder)
        amendment = Amendment.declare(
            amendment_id=str(uuid4()),
            policy_id=policy_id,
            member_id=policy.member_id,
            kind=kind,
            formula=formula,
            occurred_on=occurred_on,
            known_on=known,
            declared_on=today,
            declared_by="staff" if recorder.is_staff else "policyholder",
            history=(earlier,) if earlier else (),
        )
        await self.amendments.save(amendment)
        return amendment

    async def amendment(self, amendment_id: str) -> Amendment | None:
        return await self.amendments.get(amendment_id)

    async def of_policy(self, policy_id: str) -> list[Amendment]:
        """Newest declaration first."""
        found = await self.amendments.current("policy_id", policy_id)
        found.sort(key=lambda a: (a.declared_on, a.known_on, a.amendment_id), reverse=True)
        return found

    async def propose(
        self, amendment_id: str, proposed_on: date, received_on: date | None
    ) -> Amendment:
        """Staff propose the new terms: the product's premium for the declared formula
        with the policy's threshold and e-protection (PC-8)."""
        current = await self._get(amendment_id)
        policy = await self._policy(current.policy_id)
        new_premium = premium(current.formula, policy.threshold_pct, policy.e_protection)
        return await self._change(
            amendment_id, lambda a: a.propose(proposed_on, received_on or proposed_on, new_premium)
        )

    async def accept(self, amendment_id: str, on: date | None = None) -> Amendment:
        """The Policy is checked first (a contract ending before the change: WrongStatus,
        nothing stored); then the amendment is marked accepted and the Policy takes the new
        terms (``policy.amended``). Both saves are idempotent, so a retry after a crash
        between them completes the second."""
        day = on or self.today()
        current = await self._get(amendment_id)
        if current.status != "accepted":
            probe = await self._policy(current.policy_id)
            current.accept(day)  # the rules, on a copy nothing saves
            probe.amend(_terms_change(current, probe))

        def accept(amendment: Amendment) -> None:
            amendment.accept(day)

        accepted = await self._change(amendment_id, accept)

        def amend(policy: Policy) -> None:
            policy.amend(_terms_change(accepted, policy))

        if await change(self.policies, accepted.policy_id, amend) is None:
            raise UnknownPolicy(accepted.policy_id)
        return accepted

    async def refuse(self, amendment_id: str, on: date | None = None) -> Amendment:
        day = on or self.today()
        return await self._change(amendment_id, lambda a: a.refuse(day))

    async def close(self, amendment_id: str, reason: str) -> Amendment:
        day = self.today()
        return await self._change(amendment_id, lambda a: a.close(day, reason))

    async def worklist(self, today: date, *, limit: int, offset: int) -> list[WorkItem]:
        """Open amendments with their next step, oldest deadline first."""
        items = [
            WorkItem(a, step)
            for a in await self.amendments.due("open_since", today.isoformat())
            if (step := a.next_step(today)) is not None
        ]
        items.sort(key=_far)
        return items[offset : offset + limit]

    async def send_reminders(self, today: date) -> int:
        """A scheduler task (``Callable[[date], Awaitable[Any]]``): reminds each policyholder
        whose deadline (accept_proposal, agree_reduction) is 0..7 days away, once per
        (amendment, step, deadline) — the reminder is recorded on the aggregate, so two
        runs or two replicas send it once. Returns how many were sent."""
        sent = 0
        for candidate in await self.amendments.due("remind_from", today.isoformat()):
            pending = candidate.pending_reminder()
            if pending is None or pending[1] < today:
                continue  # an overdue deadline is not reminded (the worklist shows it)
            reminded = False

            def remind(a: Amendment) -> None:
                nonlocal reminded
                reminded = a.remind(today)

            await change(self.amendments, candidate.amendment_id, remind)
            sent += reminded
        return sent

    async def _get(self, amendment_id: str) -> Amendment:
        found = await self.amendments.get(amendment_id)
        if found is None:
            raise UnknownAmendment(amendment_id)
        return found

    async def _policy(self, policy_id: str) -> Policy:
        found = await self.policies.get(policy_id)
        if found is None:
            raise UnknownPolicy(policy_id)
        return found

    async def _change(self, amendment_id: str, apply: Callable[[Amendment], None]) -> Amendment:
        changed = await change(self.amendments, amendment_id, apply)
        if changed is None:
            raise UnknownAmendment(amendment_id)
        return changed


def _terms_change(accepted: Amendment, policy: Policy) -> TermsChange:
    """The accepted proposal's terms from the effective date, and those they replace."""
    assert accepted.proposal is not None
    replaced_formula, replaced_premium = policy.terms_on(accepted.effective_on)
    return TermsChange(
        accepted.amendment_id,
        accepted.kind,
        accepted.effective_on,
        accepted.proposal.formula,
        accepted.proposal.premium,
        replaced_formula,
        replaced_premium,
    )
