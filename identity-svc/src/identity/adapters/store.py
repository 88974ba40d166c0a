"""Members and accounts in identity-svc's own database: insert-only versioned aggregates
(``mylm_shared.aggregates``) with unique keys (``mylm_shared.unique_keys``) for member
numbers, national numbers, usernames and "one account per member"."""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from mylm_shared.aggregates import Message, MongoAggregates, store_indexes
from mylm_shared.events import (
    ACCESS_CHANGED,
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    AccessChangedV1,
    AccountCreatedV1,
    AccountStatusChangedV1,
    MemberRegisteredV1,
    MemberUpdatedV1,
)
from mylm_shared.mongo import Document, IndexSpec, as_utc
from mylm_shared.unique_keys import MongoKeys
from pymongo.asynchronous.database import AsyncDatabase

from identity.adapters.audit import AuditingMapper
from identity.domain.accounts import (
    Account,
    AccountCreated,
    StatusChanged,
    TitularAccess,
    TitularAccessChanged,
)
from identity.domain.keys import (
    member_account_key,
    member_number_key,
    national_number_key,
    username_key,
)
from identity.domain.members import (
    Member,
    MemberEntry,
    MemberRegistered,
    MemberUpdated,
    PostalAddress,
)

__all__ = [
    "ACCOUNTS",
    "INDEXES",
    "KEYS",
    "MEMBERS",
    "OUTBOX_COLLECTIONS",
    "AccountMapper",
    "IdentityStores",
    "MemberMapper",
    "member_account_key",
    "member_number_key",
    "national_number_key",
    "username_key",
]

MEMBERS = "members"
ACCOUNTS = "accounts"
KEYS = "identity_keys"

INDEXES: list[IndexSpec] = [
    *store_indexes(MEMBERS, "titular_member_id"),
    *store_indexes(ACCOUNTS, "member_id"),
]
OUTBOX_COLLECTIONS = [MEMBERS, ACCOUNTS]


def _directory_payload(member_id: str, entry: MemberEntry) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "email": entry.email,
        "language": entry.language,
        "mutuality": entry.mutuality,
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "birth_date": entry.birth_date,
        "titular_member_id": entry.titular_member_id,
        "address": asdict(entry.address) if entry.address else None,  # issue 18 item 3
    }


class MemberMapper:
    """Member ↔ stored document (the entry's fields at top level, so they are indexable)."""

    def to_document(self, member: Member) -> Document:
        return {
            "member_id": member.member_id,
            **asdict(member.entry),
            "birth_date": member.entry.birth_date.isoformat(),
        }

    def from_document(self, doc: Document) -> Member:
        entry = MemberEntry(
            member_number=doc["member_number"],
            national_number=doc["national_number"],
            first_name=doc["first_name"],
            last_name=doc["last_name"],
            birth_date=date.fromisoformat(doc["birth_date"]),
            language=doc["language"],
            mutuality=doc["mutuality"],
            email=doc.get("email"),
            mobile=doc.get("mobile"),
            titular_member_id=doc.get("titular_member_id"),
            address=PostalAddress(**doc["address"]) if doc.get("address") else None,
        )
        return Member(member_id=doc["member_id"], entry=entry)

    def to_messages(self, event: object) -> Sequence[Message]:
        if isinstance(event, MemberRegistered):
            payload = MemberRegisteredV1(**_directory_payload(event.member_id, event.entry))
            return [Message(MEMBER_REGISTERED, payload, event.member_id)]
        if isinstance(event, MemberUpdated):
            updated = MemberUpdatedV1(
                **_directory_payload(event.member_id, event.entry), changed=list(event.changed)
            )
            return [Message(MEMBER_UPDATED, updated, event.member_id)]
        return []


class AccountMapper:
    def to_document(self, account: Account) -> Document:
        access = account.titular_access
        return {
            "account_id": account.account_id,
            "username": account.username,
            "password_hash": account.password_hash,
            "member_id": account.member_id,
            "roles": sorted(account.roles),
            "status": account.status,
            "status_reason": account.status_reason,
            "status_changed_at": account.status_changed_at,
            "tokens_invalid_before": account.tokens_invalid_before,
            "password_reset_required": account.password_reset_required,
            "terms_version": account.terms_version,
            "terms_accepted_at": account.terms_accepted_at,
            "titular_access": asdict(access) if access else None,
            "created_at": account.created_at,
        }

    def from_document(self, doc: Document) -> Account:
        access = doc.get("titular_access")
        return Account(
            account_id=doc["account_id"],
            username=doc.get("username"),
            password_hash=doc.get("password_hash"),
            member_id=doc.get("member_id"),
            roles=frozenset(doc.get("roles", [])),
            status=doc.get("status", "active"),
            status_reason=doc.get("status_reason"),
            status_changed_at=_utc(doc.get("status_changed_at")),
            tokens_invalid_before=_utc(doc.get("tokens_invalid_before")),
            password_reset_required=doc.get("password_reset_required", False),
            terms_version=doc.get("terms_version"),
            terms_accepted_at=_utc(doc.get("terms_accepted_at")),
            titular_access=(
                TitularAccess(
                    access["titular_may_access"],
                    _utc(access["set_at"]) or datetime.now(UTC),
                    access["set_as_adult"],
                )
                if access
                else None
            ),
            created_at=_utc(doc.get("created_at")),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        if isinstance(event, AccountCreated):
            created = AccountCreatedV1(**asdict(event))
            return [Message(ACCOUNT_CREATED, created, event.member_id)]
        if isinstance(event, StatusChanged):
            changed = AccountStatusChangedV1(**asdict(event))
            return [Message(ACCOUNT_STATUS_CHANGED, changed, event.member_id or event.account_id)]
        if isinstance(event, TitularAccessChanged):
            access = AccessChangedV1(
                dependant_member_id=event.dependant_member_id,
                titular_member_id=event.titular_member_id,
                titular_may_access=event.titular_may_access,
                changed_at=event.changed_at,
            )
            return [Message(ACCESS_CHANGED, access, event.dependant_member_id)]
        return []


def _utc(value: Any) -> datetime | None:
    """A stored date (BSON: naive UTC) as an aware instant; None when absent."""
    return as_utc(value) if isinstance(value, datetime) else None


class IdentityStores:
    """The stores of identity-svc, built on one database."""

    def __init__(self, db: AsyncDatabase[Document], source: str) -> None:
        # LF-5 (issue 15 item 6): a change made in ``context.audited`` carries its audit
        # operation in the same insert (``adapters.audit.AuditingMapper``).
        members = AuditingMapper(MemberMapper(), lambda member: member.member_id)
        accounts = AuditingMapper(AccountMapper(), lambda a: a.member_id or a.account_id)
        self.members: MongoAggregates[Member] = MongoAggregates(db[MEMBERS], members, source)
        self.accounts: MongoAggregates[Account] = MongoAggregates(db[ACCOUNTS], accounts, source)
        self.keys = MongoKeys(db[KEYS])
