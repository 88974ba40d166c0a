"""Policy use cases: propose (idempotently), accept (seeding a family's household from
identity's), household, objections, terminations, reads, the special conditions, and
learning the members it may insure. They depend on ports only."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Protocol

from mylm_shared.aggregates import AggregateStore, change
from mylm_shared.events import CloudEvent, MemberRegisteredV1, MemberUpdatedV1
from mylm_shared.kernel import idempotency
from mylm_shared.kernel.periods import belgian_today
from mylm_shared.projections import event_order

from policy.domain.conditions import Language, SpecialConditions, special_conditions
from policy.domain.fact_dates import Recorder, fact_date
from policy.domain.insured import Formula
from policy.domain.policy import DeclaredPerson, Ending, Policy
from policy.domain.termination import Channel, Notice, Party

DEFAULT_LANGUAGE: Language = "nl"


@dataclass(frozen=True)
class KnownMember:
    """A member as identity-svc's directory last described them."""

    member_id: str
    name: str
    birth_date: date | None
    language: Language = DEFAULT_LANGUAGE
    titular_member_id: str | None = None  # a dependant's titular (identity's household)


class KnownMembers(Protocol):
    async def remember(self, member: KnownMember, as_of: str) -> None: ...

    async def update(self, member: KnownMember, as_of: str) -> None: ...

    async def find(self, member_id: str) -> KnownMember | None: ...

    async def dependants_of(self, titular_member_id: str) -> list[KnownMember]: ...


class UnknownMember(Exception):
    pass


class UnknownPolicy(Exception):
    pass


@dataclass(frozen=True)
class ProposePolicy:
    member_id: str
    formula: Formula
    start_date: date
    threshold_pct: int
    e_protection: bool

    def fingerprint(self) -> str:
        return idempotency.fingerprint(
            self.member_id, self.formula, self.start_date, self.threshold_pct, self.e_protection
        )


@dataclass
class PolicyService:
    policies: AggregateStore[Policy]
    members: KnownMembers
    today: Callable[[], date] = belgian_today  # issue 15 item 4
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # acceptance time

    async def propose(
        self, command: ProposePolicy, proposed_by: str, idempotency_key: str | None
    ) -> tuple[Policy, bool]:
        """Returns the proposal and whether this call created it (kernel ``idempotency``)."""
        policy_id = idempotency.derived_id("policy", idempotency_key, caller=proposed_by)
        fingerprint = command.fingerprint()

        async def propose() -> Policy:
            member = await self.members.find(command.member_id)
            if member is None:
                raise UnknownMember(command.member_id)
            policy = Policy.propose(
                policy_id=policy_id,
                member_id=command.member_id,
                holder_name=member.name,
                holder_birth_date=member.birth_date,
                formula=command.formula,
                threshold_pct=command.threshold_pct,
                e_protection=command.e_protection,
                start_date=command.start_date,
                proposed_on=self.today(),
                request_fingerprint=fingerprint,
            )
            await self.policies.save(policy)
            return policy

        return await idempotency.create_once(
            self.policies, policy_id, fingerprint, propose, idempotency_key=idempotency_key
        )

    async def policy(self, policy_id: str) -> Policy | None:
        return await self.policies.get(policy_id)

    async def policies_of(self, member_id: str) -> list[Policy]:
        """Newest proposal first; the caller checked access to the member's dossier."""
        policies = await self.policies.current("member_id", member_id)
        policies.sort(key=lambda p: p.policy_id)
        policies.sort(key=lambda p: p.proposed_on, reverse=True)
        return policies

    async def accept(
        self, policy_id: str, *, by: str | None = None, shown_version: str | None = None
    ) -> Policy:
        """Signing issues the contract; a family contract without a declared household gets
        identity's (PC-3 facts from the start date), in the same saved version.
        ``shown_version``: the proposal version the member read (ProposalChanged when it is
        no longer current); the acceptance keeps the version, when and ``by`` whom (issue
        20 item 2)."""
        on = self.today()
        at = self.now()
        proposal = await self.policies.get(policy_id)
        if proposal is None:
            raise UnknownPolicy(policy_id)
        seed: tuple[DeclaredPerson, ...] = ()
        if proposal.formula == "family":
            seed = household_from_directory(await self.members.dependants_of(proposal.member_id))

        def apply(policy: Policy) -> None:
            policy.accept(on, at=at, by=by, shown_version=shown_version)
            if policy.formula == "family" and not policy.household and seed:
                policy.declare_household(policy.start_date, seed)

        return await self._change(policy_id, apply)

    def recorder(self, actor: str, *, staff: bool, reason: str | None = None) -> Recorder:
        """Who records a fact, received today (issue 15 item 4: the dates they may give)."""
        return Recorder(actor, staff, self.today(), reason)

    async def declare_household(
        self,
        policy_id: str,
        since: date | None,
        persons: tuple[DeclaredPerson, ...],
        recorder: Recorder,
    ) -> tuple[Policy, date]:
        """PC-3 facts from ``since`` (today when omitted; a member may announce a coming
        day, never an earlier one: DateRefused). Returns the policy and the date used."""
        day, earlier = fact_date("since", since, recorder, ahead=True)

        def apply(policy: Policy) -> None:
            policy.declare_household(day, persons)
            policy.record(earlier)

        return await self._change(policy_id, apply), day

    async def object_to_renewal(
        self,
        policy_id: str,
        by: Party,
        posted_on: date | None,
        channel: Channel,
        recorder: Recorder,
    ) -> date:
        """PC-5; ``posted_on`` is today for a member (DateRefused otherwise)."""
        posted, earlier = fact_date("posted_on", posted_on, recorder)

        def apply(policy: Policy) -> None:
            policy.object_to_renewal(by, posted, channel)
            policy.record(earlier)

        changed = await self._change(policy_id, apply)
        assert changed.ending is not None
        return changed.ending.effective_on

    async def terminate(self, policy_id: str, notice: Notice, recorder: Recorder) -> Ending:
        """PC-6, PC-9..PC-11; ``notified_on`` is today for a member, ``departure_on`` today
        or a coming day (DateRefused otherwise)."""
        notified_on, earlier = fact_date("notified_on", notice.notified_on, recorder)
        departure_on, left_earlier = (
            fact_date("departure_on", notice.departure_on, recorder, ahead=True)
            if notice.departure_on is not None
            else (None, None)
        )
        notice = replace(notice, notified_on=notified_on, departure_on=departure_on)

        def apply(policy: Policy) -> None:
            policy.terminate(notice)
            policy.record(earlier, left_earlier)

        changed = await self._change(policy_id, apply)
        assert changed.ending is not None
        return changed.ending

    async def _change(self, policy_id: str, apply: Callable[[Policy], None]) -> Policy:
        changed = await change(self.policies, policy_id, apply)
        if changed is None:
            raise UnknownPolicy(policy_id)
        return changed

    async def conditions(self, policy: Policy, language: Language | None) -> SpecialConditions:
        """The special conditions in ``language``, by default the policyholder's."""
        if language is None:
            holder = await self.members.find(policy.member_id)
            language = holder.language if holder else DEFAULT_LANGUAGE
        return special_conditions(policy, language)

    async def on_member_registered(self, event: CloudEvent, member: MemberRegisteredV1) -> None:
        """policy-svc insures only members it knows (idempotent: inserted once)."""
        await self.members.remember(_known(member), event_order(event))

    async def on_member_updated(self, event: CloudEvent, member: MemberUpdatedV1) -> None:
        """The member as the directory now has them (name, birth date, language, titular)."""
        await self.members.update(_known(member), event_order(event))


def _known(member: MemberRegisteredV1) -> KnownMember:
    return KnownMember(
        member_id=member.member_id,
        name=f"{member.first_name} {member.last_name}",
        birth_date=member.birth_date,
        language=member.language,
        titular_member_id=member.titular_member_id,
    )


def household_from_directory(dependants: list[KnownMember]) -> tuple[DeclaredPerson, ...]:
    """PC-3 facts as identity knows them: its dependants of the policyholder are children
    living with them (a dependant shares the titular's mutual dossier), unmarried and not
    declared as students. identity has no partner relation: a cohabiting partner, a child
    living elsewhere or a student is declared by the policyholder (PUT …/household)."""
    return tuple(
        DeclaredPerson(
            person_id=d.member_id,
            name=d.name,
            birth_date=d.birth_date,
            relation="child",
            lives_with_policyholder=True,
            married=False,
            studying=False,
        )
        for d in dependants
        if d.birth_date is not None  # PC-3 needs the age; staff can declare it by hand
    )
