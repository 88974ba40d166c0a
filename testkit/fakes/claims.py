"""Fakes of claims-svc's ports (``claims.service``): policy-svc behind its gateway, the
service token for it, evidence files and claim numbers. The claim store is
``testkit.fakes.shared.InMemoryAggregates``."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from claims.adapters.repository import ClaimMapper
from claims.bootstrap import bootstrap
from claims.domain.claim import Claim, claim_number
from claims.service.policies import PolicyDay, PolicyFacts, runs_on
from claims.service.ports import StoredFile
from claims.service.use_cases import ClaimsUseCases
from claims.settings import ClaimsSettings
from mylm_shared.service_tokens import TokenRequestFailed

from testkit.fakes.shared import CountingSequence, InMemoryAggregates


@dataclass
class InMemoryPolicies:
    """``PolicyGateway``: contracts with, per contract, the person ids insured and optional
    suspension days; the state on a date follows policy-svc's ``state_of``."""

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


class FakeServiceTokens:
    """``ServiceTokens``: ``token-<n>`` (n = tokens forgotten so far), or what ``mint``
    makes (a real signed token for a real policy-svc); ``fail``: the token endpoint is
    unreachable."""

    def __init__(self, mint: Callable[[], str] | None = None, *, fail: bool = False) -> None:
        self._mint = mint
        self.fail = fail
        self.forgotten = 0

    async def bearer(self) -> str:
        if self.fail:
            raise TokenRequestFailed("token endpoint unreachable")
        return self._mint() if self._mint else f"token-{self.forgotten}"

    def forget(self) -> None:
        self.forgotten += 1


class InMemoryFiles:
    """``FileStore``: files by document id, found only under their own claim."""

    def __init__(self) -> None:
        self.files: dict[str, StoredFile] = {}

    async def put(self, file: StoredFile) -> None:
        self.files[file.document_id] = file

    async def get(self, claim_id: str, document_id: str) -> StoredFile | None:
        found = self.files.get(document_id)
        return found if found and found.claim_id == claim_id else None


class CountingClaimNumbers:
    """``ClaimNumbers``: ``CL-<year>-000001``, 2, 3 … per year."""

    def __init__(self) -> None:
        self._years: dict[int, CountingSequence] = {}

    async def next(self, year: int) -> str:
        return claim_number(year, await self._years.setdefault(year, CountingSequence()).next())


class ClaimsFakes:
    """Every port of claims faked; ``use_cases()`` wires them with
    ``claims.bootstrap.bootstrap`` at the fixed instant ``at``."""

    def __init__(self, at: datetime, settings: ClaimsSettings | None = None) -> None:
        self.settings = settings or ClaimsSettings(profile="test")
        self.at = at
        self.claims: InMemoryAggregates[Claim] = InMemoryAggregates(ClaimMapper())
        self.numbers = CountingClaimNumbers()
        self.policies = InMemoryPolicies()
        self.files = InMemoryFiles()

    def use_cases(self) -> ClaimsUseCases:
        return bootstrap(
            self.settings,
            claims=self.claims,
            numbers=self.numbers,
            policies=self.policies,
            files=self.files,
            now=lambda: self.at,
        )
