"""A database written before issue 7 (one document per member and account, unique
indexes on their fields) is upgraded on start: nothing lost, logins keep working."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from identity.adapters.passwords import hash_password
from identity.bootstrap import create_app
from identity.settings import IdentitySettings
from pymongo import AsyncMongoClient

from testkit.apps import serving
from testkit.platform import Endpoints, isolated

pytestmark = pytest.mark.integration

PASSWORD = "Zonnebloem-Gent-1988"


@pytest.fixture
async def legacy_database(platform: Endpoints, run_id: str) -> AsyncIterator[str]:
    name = str(isolated(platform, run_id, "identity")["mongodb_database"])
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(platform.mongodb_uri)
    try:
        db = client[name]
        await db["members"].create_index("member_number", unique=True)
        await db["accounts"].create_index("username", unique=True)
        await db["members"].insert_one(
            {
                "_id": "legacy-member",
                "member_number": "LM-900001",
                "national_number": "85073003328",
                "first_name": "Jan",
                "last_name": "Peeters",
                "birth_date": "1985-07-30",
                "language": "nl",
                "mutuality": "LM Plus",
                "email": "jan@example.org",
                "mobile": None,
                "created_at": datetime.now(UTC),
            }
        )
        await db["accounts"].insert_one(
            {
                "_id": "legacy-account",
                "username": "legacy.jan",
                "password_hash": hash_password(PASSWORD),
                "member_id": "legacy-member",
                "roles": ["member"],
                "active": True,
                "created_at": datetime.now(UTC),
            }
        )
        yield name
    finally:
        await client.close()


async def test_legacy_members_and_accounts_are_upgraded_on_start(
    platform: Endpoints, run_id: str, legacy_database: str
) -> None:
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=False)  # type: ignore[arg-type]
    for _ in range(2):  # the upgrade is idempotent: a second start changes nothing
        async with serving(create_app(settings)) as identity:
            login = await identity.post(
                "/v1/sessions", json={"username": "Legacy.Jan", "password": PASSWORD}
            )
            assert login.status_code == 200, login.text
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            me = (await identity.get("/v1/me", headers=headers)).json()
            assert me["member_id"] == "legacy-member"
            assert me["member"]["member_number"] == "LM-900001"
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(platform.mongodb_uri)
    try:
        db = client[legacy_database]
        assert [d["_id"] for d in await db["members"].find().to_list()] == ["legacy-member@000001"]
        assert [d["_id"] for d in await db["accounts"].find().to_list()] == [
            "legacy-account@000001"
        ]
    finally:
        await client.close()
