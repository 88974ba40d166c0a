"""LF-5: every operation on an account goes into an append-only, hash-chained trail;
staff recompute it and see the first broken link; "My data" exports without secrets."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from identity.bootstrap import create_app
from identity.demo import TITULAR
from identity.settings import IdentitySettings
from pymongo import AsyncMongoClient

from testkit.apps import serving
from testkit.platform import Endpoints, isolated

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    async with serving(create_app(settings)) as client:
        yield client


async def bearer(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post("/v1/sessions", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def verification(client: httpx.AsyncClient, member_id: str) -> dict[str, object]:
    staff = await bearer(client, "demo.staff")
    response = await client.get(f"/v1/audit/{member_id}/verify", headers=staff)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_lf5_concurrent_operations_chain_without_forking(
    identity: httpx.AsyncClient,
) -> None:
    await asyncio.gather(*(bearer(identity, "demo.titular") for _ in range(12)))
    result = await verification(identity, TITULAR)
    assert result == {"valid": True, "entries": 12, "first_broken": None}


async def test_lf5_an_entry_altered_in_the_database_is_detected(
    identity: httpx.AsyncClient, platform: Endpoints, run_id: str
) -> None:
    for _ in range(3):
        await bearer(identity, "demo.titular")
    assert (await verification(identity, TITULAR))["valid"] is True

    database = isolated(platform, run_id, "identity")["mongodb_database"]
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(platform.mongodb_uri)
    try:
        trail = client[str(database)]["audit_trail"]
        # Someone with database access rewrites where the second login came from.
        altered = await trail.update_one(
            {"_id": f"{TITULAR}@00000002"}, {"$set": {"source": "203.0.113.7"}}
        )
        assert altered.modified_count == 1
        result = await verification(identity, TITULAR)
        assert result["valid"] is False
        assert result["entries"] == 3
        assert result["first_broken"] == {
            "seq": 2,
            "at": result["first_broken"]["at"],  # type: ignore[index]
            "action": "session.created",
            "reason": "content does not match its hash",
        }
        # Removing an entry instead breaks the chain at the gap.
        await trail.update_one({"_id": f"{TITULAR}@00000002"}, {"$set": {"source": None}})
        await trail.delete_one({"_id": f"{TITULAR}@00000001"})
        result = await verification(identity, TITULAR)
        assert result["valid"] is False
        assert result["first_broken"]["reason"] == "entry 1 is missing"  # type: ignore[index]
    finally:
        await client.close()


async def test_lf5_verify_is_for_staff_and_names_unknown_trails(
    identity: httpx.AsyncClient,
) -> None:
    member = await bearer(identity, "demo.titular")
    assert (await identity.get(f"/v1/audit/{TITULAR}/verify", headers=member)).status_code == 403
    staff = await bearer(identity, "demo.staff")
    assert (await identity.get("/v1/audit/nobody/verify", headers=staff)).status_code == 404


async def test_my_data_export_holds_my_data_and_no_secrets(identity: httpx.AsyncClient) -> None:
    headers = await bearer(identity, "demo.titular")
    response = await identity.get("/v1/me/export", headers=headers)
    assert response.status_code == 200
    export = response.json()
    assert export["member"]["member_id"] == TITULAR
    assert export["member"]["national_number"] == "85073003328"
    assert export["account"]["username"] == "demo.titular"
    assert [e["action"] for e in export["audit_trail"]] == ["session.created"]
    assert [s["revoked"] for s in export["sessions"]] == [False]
    assert "password_hash" not in response.text
    assert "$argon2" not in response.text
