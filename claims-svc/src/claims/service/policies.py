"""What claims need to know of a contract, through a port (``PolicyGateway``): policy-svc
answers over HTTP (``adapters/policy_http.py``), unit tests use a fake.

``contract_on`` builds the engine's ``Contract`` for an event date:

* ``first_premium_paid``: policy-svc records the first term's payment (PC-4 "Voor zover
  dat de eerste premie werd betaald"; once paid, cover runs from the start date);
* ``suspended``: the state on the event date is ``suspended`` (PC-8);
* ``end_date``: the recorded ending's effective date (exclusive), None while it runs;
* ``prior_claims``: this store's other claims on the policy (``Claim.as_prior``: LA-1
  counts those neither rejected nor withdrawn, AS-2 the services they were granted);
* the claimant is insured when policy-svc lists them on the event date (PC-2/PC-3). It
  lists persons only while cover runs; when it does not (unpaid, suspended, ended), the
  claimant is taken as insured so that PC-4/PC-8 give the reason, not PC-2/3.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from claims.domain.contract import Contract, PriorClaim

PolicyStatus = Literal["proposed", "awaiting_first_premium", "active", "suspended", "terminated"]


@dataclass(frozen=True)
class PolicyFacts:
    """A contract as policy-svc describes it (its latest terms)."""

    policy_id: str
    policyholder_id: str
    formula: Literal["single", "family"]
    start_date: date
    end_date: date | None  # exclusive: the first day it no longer runs
    threshold_pct: int
    e_protection: bool
    first_premium_paid: bool
    signed: bool


@dataclass(frozen=True)
class PolicyDay:
    """The contract on one date: status, covers and the persons insured then."""

    status: PolicyStatus
    covers: tuple[str, ...]
    insured: tuple[str, ...]  # person ids = member ids


class PolicyGateway(Protocol):
    async def policies_of(self, member_id: str) -> list[PolicyFacts]: ...

    async def policy(self, policy_id: str) -> PolicyFacts | None: ...

    async def state_on(self, policy_id: str, day: date) -> PolicyDay | None: ...

    async def insured_on(self, policy_id: str, day: date) -> tuple[str, ...] | None:
        """The person ids insured on ``day`` by the household facts (PC-2/PC-3), whatever
        the premium state (policy-svc's ``/insured``); None for an unknown policy."""
        ...


class ServiceTokens(Protocol):
    """A bearer token of claims-svc itself (client credentials at identity-svc)."""

    async def bearer(self) -> str: ...

    def forget(self) -> None:
        """Drop a cached token policy-svc refused (it may have rotated its keys)."""


def runs_on(policy: PolicyFacts, day: date) -> bool:
    return policy.start_date <= day and (policy.end_date is None or day < policy.end_date)


def covering_policy(policies: list[PolicyFacts], day: date) -> PolicyFacts | None:
    """The claimant's own signed contract running on the event date (the latest start)."""
    running = [p for p in policies if p.signed and runs_on(p, day)]
    return max(running, key=lambda p: p.start_date, default=None)


def on_the_contract(
    policy: PolicyFacts, claimant_id: str, day: date, insured: tuple[str, ...]
) -> bool:
    """CL-1 (issue 15 item 3): a claim names a contract of the claimant: they are its
    policyholder (who learns its own contract's state from the engine's reasons: PC-4,
    PC-8, an ending), or an insured person on the event date: the signed contract runs
    that day and its household facts (``insured``, PC-2/PC-3) name them. Anyone else is
    answered as if the contract did not exist (nothing of it leaks)."""
    if policy.policyholder_id == claimant_id:
        return True
    return policy.signed and runs_on(policy, day) and claimant_id in insured


def contract_on(
    policy: PolicyFacts,
    state: PolicyDay,
    claimant_id: str,
    prior: Sequence[PriorClaim],
) -> tuple[Contract, bool]:
    """The engine's contract and whether the claimant is insured on that date."""
    contract = Contract(
        formula=policy.formula,
        start_date=policy.start_date,
        end_date=policy.end_date,
        first_premium_paid=policy.first_premium_paid,
        threshold_pct=policy.threshold_pct,
        e_protection=policy.e_protection,
        prior_claims=tuple(prior),
        suspended=state.status == "suspended",
    )
    insured = claimant_id in state.insured if state.status == "active" else True
    return contract, insured
