"""The policy gateway in memory, for tests (unit tests and the in-process service)."""

from dataclasses import dataclass, field
from datetime import date

from claims.service.policies import PolicyDay, PolicyFacts, runs_on


@dataclass
class InMemoryPolicies:
    """Contracts with, per contract, the person ids insured and optional suspension days;
    the state on a date follows policy-svc's ``state_of``."""

    contracts: dict[str, PolicyFacts] = field(default_factory=dict)
    insured: dict[str, tuple[str, ...]] = field(default_factory=dict)
    suspended: dict[str, tuple[date, date]] = field(default_factory=dict)  # [from, until)
    # (policy id, person id) → [from, until): when a household person is insured
    # (PC-3: a child moving in or out); without one, on every day.
    windows: dict[tuple[str, str], tuple[date, date | None]] = field(default_factory=dict)

    def add(self, policy: PolicyFacts, *insured: str) -> None:
        self.contracts[policy.policy_id] = policy
        self.insured[policy.policy_id] = (policy.policyholder_id, *insured)

    async def policies_of(self, member_id: str) -> list[PolicyFacts]:
        return [p for p in self.contracts.values() if p.policyholder_id == member_id]

    async def policy(self, policy_id: str) -> PolicyFacts | None:
        return self.contracts.get(policy_id)

    def _insured(self, policy_id: str, day: date) -> tuple[str, ...]:
        def within(person: str) -> bool:
            since, until = self.windows.get((policy_id, person), (date.min, None))
            return since <= day and (until is None or day < until)

        return tuple(p for p in self.insured[policy_id] if within(p))

    async def insured_on(self, policy_id: str, day: date) -> tuple[str, ...] | None:
        return self._insured(policy_id, day) if policy_id in self.contracts else None

    async def state_on(self, policy_id: str, day: date) -> PolicyDay | None:
        p = self.contracts.get(policy_id)
        if p is None:
            return None
        if p.end_date is not None and day >= p.end_date:
            return PolicyDay("terminated", (), ())
        if not p.signed:
            return PolicyDay("proposed", (), ())
        if not p.first_premium_paid:
            return PolicyDay("awaiting_first_premium", (), ())
        window = self.suspended.get(policy_id)
        if window and window[0] <= day < window[1]:
            return PolicyDay("suspended", (), ())
        if not runs_on(p, day):
            return PolicyDay("active", (), ())
        covers = ("accident", "assistance", *(("e_protection",) if p.e_protection else ()))
        return PolicyDay("active", covers, self._insured(policy_id, day))
