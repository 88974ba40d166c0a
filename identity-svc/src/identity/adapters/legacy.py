"""Upgrades a database written by identity-svc before issue 7 (members and accounts as
single documents, unique indexes on their fields) to versioned aggregates with keys.

Idempotent and safe to run on every start: it drops the legacy unique indexes (versioned
documents repeat those fields) and turns each legacy document (no ``aggregate_id``)
into version 1 of its aggregate, claiming its keys, before deleting it.
"""

import contextlib
import logging

from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.mongo import Document
from mylm_shared.unique_keys import KeyTaken
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from identity.adapters.store import (
    ACCOUNTS,
    MEMBERS,
    AccountMapper,
    IdentityStores,
    MemberMapper,
    member_account_key,
    member_number_key,
    national_number_key,
    username_key,
)

log = logging.getLogger(__name__)

_LEGACY_INDEXES = {MEMBERS: ("member_number_1", "national_number_1"), ACCOUNTS: ("username_1",)}


async def upgrade_legacy_documents(db: AsyncDatabase[Document], stores: IdentityStores) -> None:
    for collection, names in _LEGACY_INDEXES.items():
        for name in names:
            with contextlib.suppress(OperationFailure):  # absent: nothing to drop
                await db[collection].drop_index(name)
    members = await db[MEMBERS].find({"aggregate_id": {"$exists": False}}).to_list()
    for doc in members:
        member = MemberMapper().from_document({**doc, "member_id": doc["_id"]})
        for key in (
            member_number_key(member.member_number),
            national_number_key(member.national_number),
        ):
            with contextlib.suppress(KeyTaken):
                await stores.keys.claim(key, member.member_id)
        with contextlib.suppress(AggregateExists):
            await stores.members.save(member)
        await db[MEMBERS].delete_one({"_id": doc["_id"]})  # version 1 holds it now
    accounts = await db[ACCOUNTS].find({"aggregate_id": {"$exists": False}}).to_list()
    for doc in accounts:
        status = "active" if doc.get("active", True) else "suspended"
        account = AccountMapper().from_document({**doc, "account_id": doc["_id"], "status": status})
        keys = [username_key(account.username)] if account.username else []
        keys += [member_account_key(account.member_id)] if account.member_id else []
        for key in keys:
            with contextlib.suppress(KeyTaken):
                await stores.keys.claim(key, account.account_id)
        with contextlib.suppress(AggregateExists):
            await stores.accounts.save(account)
        await db[ACCOUNTS].delete_one({"_id": doc["_id"]})  # version 1 holds it now
    if members or accounts:
        log.info(
            "upgraded legacy identity documents",
            extra={"members": len(members), "accounts": len(accounts)},
        )
