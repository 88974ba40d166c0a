"""Members and accounts in identity-svc's own Mongo database."""

import contextlib
from datetime import UTC, date, datetime
from typing import Any

from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.outbox import insert_with_events, outbox_entry
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from identity.domain.members import Account, Member

MEMBERS = "members"
ACCOUNTS = "accounts"
REFRESH_TOKENS = "refresh_tokens"

INDEXES = [
    IndexSpec(MEMBERS, [("member_number", 1)], unique=True),
    IndexSpec(MEMBERS, [("national_number", 1)], unique=True),
    IndexSpec(ACCOUNTS, [("username", 1)], unique=True),
    IndexSpec(REFRESH_TOKENS, [("family_id", 1)]),
]


class MemberExists(Exception):
    pass


def _member_doc(member: Member) -> Document:
    doc: Document = {
        "_id": member.member_id,
        "member_number": member.member_number,
        "national_number": member.national_number,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "birth_date": member.birth_date.isoformat(),
        "language": member.language,
        "mutuality": member.mutuality,
        "email": member.email,
        "mobile": member.mobile,
        "created_at": datetime.now(UTC),
    }
    return doc


def member_from_doc(doc: Document) -> Member:
    return Member(
        member_id=doc["_id"],
        member_number=doc["member_number"],
        national_number=doc["national_number"],
        first_name=doc["first_name"],
        last_name=doc["last_name"],
        birth_date=date.fromisoformat(doc["birth_date"]),
        language=doc["language"],
        mutuality=doc["mutuality"],
        email=doc.get("email"),
        mobile=doc.get("mobile"),
    )


class IdentityRepository:
    def __init__(self, db: AsyncDatabase[Document], source: str) -> None:
        self._members = db[MEMBERS]
        self._accounts = db[ACCOUNTS]
        self._source = source

    async def add_member(self, member: Member) -> None:
        """Store the member and its ``member.registered`` event in one atomic insert."""
        event = new_event(
            MEMBER_REGISTERED,
            MemberRegisteredV1(
                member_id=member.member_id,
                email=member.email,
                language=member.language,
                mutuality=member.mutuality,
                first_name=member.first_name,
                last_name=member.last_name,
            ),
            source=self._source,
            subject=member.member_id,
        )
        try:
            await insert_with_events(
                self._members, _member_doc(member), outbox_entry(MEMBER_REGISTERED.topic, event)
            )
        except DuplicateKeyError as error:
            raise MemberExists(member.member_id) from error

    async def get_member(self, member_id: str) -> Member | None:
        doc = await self._members.find_one({"_id": member_id})
        return member_from_doc(doc) if doc else None

    async def add_account_if_missing(self, account: Account) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self._accounts.insert_one(_account_doc(account))

    async def account_by_username(self, username: str) -> Account | None:
        doc = await self._accounts.find_one({"username": username.lower()})
        return _account_from_doc(doc) if doc else None

    async def account_by_id(self, account_id: str) -> Account | None:
        doc = await self._accounts.find_one({"_id": account_id})
        return _account_from_doc(doc) if doc else None


def _account_doc(account: Account) -> Document:
    return {
        "_id": account.account_id,
        "username": account.username.lower(),
        "password_hash": account.password_hash,
        "member_id": account.member_id,
        "roles": sorted(account.roles),
        "active": account.active,
        "created_at": datetime.now(UTC),
    }


def _account_from_doc(doc: dict[str, Any]) -> Account:
    return Account(
        account_id=doc["_id"],
        username=doc["username"],
        password_hash=doc["password_hash"],
        member_id=doc.get("member_id"),
        roles=frozenset(doc.get("roles", [])),
        active=doc.get("active", True),
    )
