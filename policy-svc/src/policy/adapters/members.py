"""The members policy-svc knows, from identity-svc's ``member.registered`` /
``member.updated`` (``mylm_shared.projections``): name, birth date (PC-2), language (the
special conditions') and titular (the household a family contract is seeded from, PC-3).

Written only by the two consumers, keyed by member id (write pattern 3); ``as_of`` keeps
an older event from winning. Documents stored before language and titular were kept
still load: language "nl", no titular.
"""

from datetime import UTC, date, datetime
from typing import Any

from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.projections import apply_newer, insert_first
from pymongo.asynchronous.database import AsyncDatabase

from policy.adapters.repository import MEMBERS
from policy.service.handlers import DEFAULT_LANGUAGE, KnownMember

TITULAR = "titular_member_id"
MEMBER_INDEXES: list[IndexSpec] = [IndexSpec(MEMBERS, [(TITULAR, 1)])]


def member_fields(member: KnownMember) -> Document:
    return {
        "name": member.name,
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
        "language": member.language,
        TITULAR: member.titular_member_id,
    }


def member_from(doc: dict[str, Any]) -> KnownMember:
    """A stored member (documents from before language and titular were kept too)."""
    born = doc.get("birth_date")
    return KnownMember(
        member_id=doc["_id"],
        name=doc["name"],
        birth_date=date.fromisoformat(born) if born else None,
        language=doc.get("language") or DEFAULT_LANGUAGE,
        titular_member_id=doc.get(TITULAR),
    )


class MongoMembers:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._members = db[MEMBERS]

    async def remember(self, member: KnownMember, as_of: str) -> None:
        fields = {**member_fields(member), "updated_at": datetime.now(UTC)}
        await insert_first(self._members, member.member_id, fields, as_of)

    async def update(self, member: KnownMember, as_of: str) -> None:
        fields = {**member_fields(member), "updated_at": datetime.now(UTC)}
        await apply_newer(self._members, member.member_id, fields, as_of)

    async def find(self, member_id: str) -> KnownMember | None:
        doc = await self._members.find_one({"_id": member_id})
        return None if doc is None else member_from(doc)

    async def dependants_of(self, titular_member_id: str) -> list[KnownMember]:
        found = self._members.find({TITULAR: titular_member_id})
        return eldest_first([member_from(doc) async for doc in found], titular_member_id)


def eldest_first(members: list[KnownMember], titular_member_id: str) -> list[KnownMember]:
    """The titular's dependants, eldest first, then by id: a stable order for the seeded
    household and its documents."""
    dependants = [m for m in members if m.member_id != titular_member_id]
    dependants.sort(key=lambda m: m.member_id)
    dependants.sort(key=lambda m: m.birth_date or date.max)
    return dependants
