"""Policy use cases: propose (idempotently), accept, household, objections, terminations,
reads, and learning the members it may insure. They depend on ports only."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from uuid import NAMESPACE_URL, uuid4, uuid5

from mylm_shared.aggregates import AggregateStore, change
from mylm_shared.domain import AggregateExists
from mylm_shared.events import CloudEvent, MemberRegisteredV1, MemberUpdatedV1
from mylm_shared.projections import event_order

from policy.domain.insured import Formula
from policy.domain.policy import DeclaredPerson, Ending, Policy
from policy.domain.termination import Channel, Notice, Party


class KnownMembers(Protocol):
    async def remember(
        self, member_id: str, name: str, birth_date: date | None, as_of: str
    ) -> None: ...

    async def update(
        self, member_id: str, name: str, birth_date: date | None, as_of: str
    ) -> None: ...

    async def find(self, member_id: str) -> tuple[str, date | None] | None: ...


class UnknownMember(Exception):
    pass


class UnknownPolicy(Exception):
    pass


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request."""


@dataclass(frozen=True)
class ProposePolicy:
    member_id: str
    formula: Formula
    start_date: date
    threshold_pct: int
    e_protection: bool

    def fingerprint(self) -> str:
        canonical = json.dumps(
            [
                self.member_id,
                self.formula,
                str(self.start_date),
                self.threshold_pct,
                self.e_protection,
            ]
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _policy_id(proposed_by: str, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return str(uuid4())
    # Same caller + same key → same policy id, so a retry finds (or collides with) the first.
    return str(uuid5(NAMESPACE_URL, f"mylm:policy:{proposed_by}:{idempotency_key}"))


def _today() -> date:
    return datetime.now(UTC).date()


@dataclass
class PolicyService:
    policies: AggregateStore[Policy]
    members: KnownMembers
    today: Callable[[], date] = _today

    async def propose(
        self, command: ProposePolicy, proposed_by: str, idempotency_key: str | None
    ) -> tuple[Policy, bool]:
        """Returns the proposal and whether this call created it."""
        fingerprint = command.fingerprint()
        policy_id = _policy_id(proposed_by, idempotency_key)
        if idempotency_key is not None:
            existing = await self._replay(policy_id, fingerprint)
            if existing is not None:
                return existing, False
        member = await self.members.find(command.member_id)
        if member is None:
            raise UnknownMember(command.member_id)
        name, birth_date = member
        policy = Policy.propose(
            policy_id=policy_id,
            member_id=command.member_id,
            holder_name=name,
            holder_birth_date=birth_date,
            formula=command.formula,
            threshold_pct=command.threshold_pct,
            e_protection=command.e_protection,
            start_date=command.start_date,
            proposed_on=self.today(),
            request_fingerprint=fingerprint,
        )
        try:
            await self.policies.save(policy)
            return policy, True
        except AggregateExists:
            existing = await self._replay(policy_id, fingerprint)
            assert existing is not None
            return existing, False

    async def _replay(self, policy_id: str, fingerprint: str) -> Policy | None:
        existing = await self.policies.get(policy_id)
        if existing is None:
            return None
        if existing.request_fingerprint != fingerprint:
            raise IdempotencyConflict(policy_id)
        return existing

    async def policy(self, policy_id: str) -> Policy | None:
        return await self.policies.get(policy_id)

    async def policies_of(self, member_id: str) -> list[Policy]:
        """Newest proposal first; the caller checked access to the member's dossier."""
        policies = await self.policies.current("member_id", member_id)
        policies.sort(key=lambda p: p.policy_id)
        policies.sort(key=lambda p: p.proposed_on, reverse=True)
        return policies

    async def accept(self, policy_id: str) -> Policy:
        on = self.today()
        return await self._change(policy_id, lambda policy: policy.accept(on))

    async def declare_household(
        self, policy_id: str, since: date, persons: tuple[DeclaredPerson, ...]
    ) -> Policy:
        return await self._change(policy_id, lambda p: p.declare_household(since, persons))

    async def object_to_renewal(
        self, policy_id: str, by: Party, posted_on: date, channel: Channel
    ) -> date:
        def apply(policy: Policy) -> None:
            policy.object_to_renewal(by, posted_on, channel)

        changed = await self._change(policy_id, apply)
        assert changed.ending is not None
        return changed.ending.effective_on

    async def terminate(self, policy_id: str, notice: Notice) -> Ending:
        def apply(policy: Policy) -> None:
            policy.terminate(notice)

        changed = await self._change(policy_id, apply)
        assert changed.ending is not None
        return changed.ending

    async def _change(self, policy_id: str, apply: Callable[[Policy], None]) -> Policy:
        changed = await change(self.policies, policy_id, apply)
        if changed is None:
            raise UnknownPolicy(policy_id)
        return changed

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        """policy-svc insures only members it knows (idempotent: inserted once)."""
        await self.members.remember(
            member.member_id, _name(member), member.birth_date, event_order(event)
        )

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """The member's name and birth date as the directory now has them."""
        await self.members.update(
            member.member_id, _name(member), member.birth_date, event_order(event)
        )


def _name(member: MemberRegisteredV1) -> str:
    return f"{member.first_name} {member.last_name}"
