"""The fake of policy-svc's member projection (``policy.service.handlers.KnownMembers``).
The policy and amendment stores are ``testkit.fakes.shared.InMemoryAggregates``."""

from datetime import date
from typing import Any

from mylm_shared.kernel.periods import belgian_today
from policy.adapters.amendments import AmendmentMapper
from policy.adapters.members import TITULAR, eldest_first, member_fields, member_from
from policy.adapters.repository import PolicyMapper
from policy.bootstrap import bootstrap
from policy.domain.amendments import Amendment
from policy.domain.policy import Policy
from policy.service.handlers import KnownMember
from policy.service.use_cases import PolicyUseCases
from policy.settings import PolicySettings

from testkit.fakes.shared import InMemoryAggregates, MovableToday, apply_in_memory


class InMemoryMembers:
    """The Mongo projection's documents on a dict (same fields, same loading, same order
    of dependants); ``documents`` may hold what older releases stored."""

    def __init__(self, *members: KnownMember) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        for member in members:
            self.documents[member.member_id] = {"_id": member.member_id, **member_fields(member)}

    async def remember(self, member: KnownMember, as_of: str) -> None:
        fields = {"_id": member.member_id, **member_fields(member)}
        apply_in_memory(self.documents, member.member_id, fields, as_of, first=True)

    async def update(self, member: KnownMember, as_of: str) -> None:
        fields = {"_id": member.member_id, **member_fields(member)}
        apply_in_memory(self.documents, member.member_id, fields, as_of, first=False)

    async def find(self, member_id: str) -> KnownMember | None:
        doc = self.documents.get(member_id)
        return None if doc is None else member_from(doc)

    async def dependants_of(self, titular_member_id: str) -> list[KnownMember]:
        found = [
            member_from(d) for d in self.documents.values() if d.get(TITULAR) == titular_member_id
        ]
        return eldest_first(found, titular_member_id)


class PolicyFakes:
    """Every port of policy faked, sharing one movable "today"; ``use_cases()`` wires
    them with ``policy.bootstrap.bootstrap``, as the service does with its Mongo stores."""

    def __init__(
        self,
        *members: KnownMember,
        today: date | None = None,
        settings: PolicySettings | None = None,
    ) -> None:
        self.settings = settings or PolicySettings(profile="test")
        self.today = MovableToday(today or belgian_today())
        self.policies: InMemoryAggregates[Policy] = InMemoryAggregates(PolicyMapper())
        self.members = InMemoryMembers(*members)
        self.amendments: InMemoryAggregates[Amendment] = InMemoryAggregates(AmendmentMapper())

    def use_cases(self) -> PolicyUseCases:
        return bootstrap(
            self.settings,
            policies=self.policies,
            members=self.members,
            amendments=self.amendments,
            today=self.today,
        )
