"""The member directory: members as the mutuality's core system pushes them."""

import contextlib
from dataclasses import dataclass
from uuid import uuid4

from mylm_shared.domain import AggregateExists
from mylm_shared.unique_keys import KeyTaken

from identity.adapters.store import member_number_key, national_number_key
from identity.domain.members import Member, MemberEntry
from identity.service.context import IdentityContext


class MemberExists(Exception):
    """Another member holds this member number or national number."""


@dataclass
class Directory:
    context: IdentityContext

    async def member(self, member_id: str) -> Member | None:
        return await self.context.stores.members.get(member_id)

    async def member_by_number(self, member_number: str) -> Member | None:
        member_id = await self.context.stores.keys.owner(member_number_key(member_number))
        return await self.member(member_id) if member_id else None

    async def member_by_national_number(self, national_number: str) -> Member | None:
        member_id = await self.context.stores.keys.owner(national_number_key(national_number))
        return await self.member(member_id) if member_id else None

    async def dependants_of(self, titular_member_id: str) -> list[Member]:
        """The members whose *current* entry names this titular (household)."""
        found = await self.context.stores.members.current("titular_member_id", titular_member_id)
        return [m for m in found if m.titular_member_id == titular_member_id]

    async def register(self, entry: MemberEntry, member_id: str | None = None) -> Member:
        """A new member (emits ``member.registered``); ``MemberExists`` if its member
        number or national number is another member's."""
        member_id = member_id or str(uuid4())
        keys = self.context.stores.keys
        try:
            await keys.claim(member_number_key(entry.member_number), member_id)
            await keys.claim(national_number_key(entry.national_number), member_id)
        except KeyTaken:
            raise MemberExists(entry.member_number) from None
        member = Member.register(member_id, entry)
        with contextlib.suppress(AggregateExists):  # a retry stored it already
            await self.context.stores.members.save(member)
        return member
