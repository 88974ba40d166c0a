"""Demo data for `make run` (dev profile only), seeded idempotently."""

import contextlib
from datetime import date
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from identity.adapters.passwords import hash_password
from identity.adapters.repository import IdentityRepository, MemberExists
from identity.domain.members import MEMBER, STAFF, Account, Member

DEMO_PASSWORD = "Demo-Passw0rd!"  # noqa: S105 — public demo credential, dev profile only


def _id(name: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"https://demo.lm.test/{name}"))


DEMO_MEMBERS = [
    Member(
        member_id=_id("member/titular"),
        member_number="LM-100001",
        national_number="85073003328",
        first_name="Jan",
        last_name="Peeters",
        birth_date=date(1985, 7, 30),
        language="nl",
        mutuality="LM Plus",
        email="titular@demo.lm.test",
        mobile="+32470000001",
    ),
    Member(
        member_id=_id("member/other"),
        member_number="ML-200002",
        national_number="90022742191",
        first_name="Marie",
        last_name="Dubois",
        birth_date=date(1990, 2, 27),
        language="fr",
        mutuality="ML Liège-Luxembourg",
        email="other@demo.lm.test",
        mobile="+32470000002",
    ),
]

DEMO_ACCOUNTS = [
    ("demo.titular", DEMO_MEMBERS[0].member_id, frozenset({MEMBER})),
    ("demo.other", DEMO_MEMBERS[1].member_id, frozenset({MEMBER})),
    ("demo.staff", None, frozenset({STAFF})),
]


async def seed_demo_data(db: AsyncDatabase[Document], repository: IdentityRepository) -> None:
    for member in DEMO_MEMBERS:
        with contextlib.suppress(MemberExists):  # seeded on an earlier start
            await repository.add_member(member)
    for username, member_id, roles in DEMO_ACCOUNTS:
        if await repository.account_by_username(username) is None:
            await repository.add_account_if_missing(
                Account(
                    _id(f"account/{username}"),
                    username,
                    hash_password(DEMO_PASSWORD),
                    member_id,
                    roles,
                )
            )
