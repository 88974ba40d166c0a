"""identity-svc against the real FerretDB and Kafka: login with argon2id passwords,
EdDSA access tokens checked against the JWKS, rotating refresh tokens, and
member.registered through the outbox."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
from identity.bootstrap import create_app
from identity.demo import demo_members
from identity.settings import IdentitySettings
from mylm_shared.kernel.periods import belgian_today

from testkit.apps import serving
from testkit.kafka import read_all
from testkit.people import new_member
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    async with serving(create_app(settings)) as client:
        yield client


async def log_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/v1/sessions", json={"username": username, "password": password})


async def bearer(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await log_in(client, username)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_login_issues_eddsa_tokens_verifiable_with_the_jwks(
    identity: httpx.AsyncClient,
) -> None:
    response = await log_in(identity, "demo.titular")
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] > 0
    assert tokens["refresh_token"]

    jwks = (await identity.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(tokens["access_token"])
    assert header["alg"] == "EdDSA"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert "d" not in key  # public part only
    claims = jwt.decode(
        tokens["access_token"], jwt.PyJWK(key).key, algorithms=["EdDSA"], audience="mylm"
    )
    assert claims["roles"] == ["member"]


async def test_unknown_user_and_wrong_password_get_the_same_401(
    identity: httpx.AsyncClient,
) -> None:
    wrong_password = await log_in(identity, "demo.titular", "not-the-password")
    unknown_user = await log_in(identity, f"nobody-{uuid.uuid4().hex}")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.headers["content-type"] == "application/problem+json"
    assert wrong_password.json() == {**unknown_user.json(), "instance": "/v1/sessions"}


async def test_me_tells_who_the_caller_is(identity: httpx.AsyncClient) -> None:
    titular = (await identity.get("/v1/me", headers=await bearer(identity, "demo.titular"))).json()
    assert titular["member_id"]
    assert titular["roles"] == ["member"]
    assert titular["member"]["email"] == "titular@demo.lm.test"
    assert titular["member"]["language"] == "nl"
    assert titular["member"]["mutuality"] == "LM Plus"
    other = (await identity.get("/v1/me", headers=await bearer(identity, "demo.other"))).json()
    assert other["member"]["language"] == "fr"
    assert other["member"]["mutuality"] == "ML Liège-Luxembourg"
    staff = (await identity.get("/v1/me", headers=await bearer(identity, "demo.staff"))).json()
    assert staff["member_id"] is None
    assert staff["roles"] == ["staff"]
    assert (await identity.get("/v1/me")).status_code == 401


async def test_refresh_tokens_rotate_and_a_reused_one_is_refused(
    identity: httpx.AsyncClient,
) -> None:
    first = (await log_in(identity, "demo.titular")).json()["refresh_token"]
    rotated = await identity.post("/v1/sessions/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != first
    replay = await identity.post("/v1/sessions/refresh", json={"refresh_token": first})
    assert replay.status_code == 401


async def test_50_concurrent_refreshes_with_one_token_rotate_it_once_and_revoke_the_family(
    identity: httpx.AsyncClient,
) -> None:
    token = (await log_in(identity, "demo.titular")).json()["refresh_token"]
    answers = await asyncio.gather(
        *(identity.post("/v1/sessions/refresh", json={"refresh_token": token}) for _ in range(50))
    )
    winners = [a for a in answers if a.status_code == 200]
    assert len(winners) == 1  # one rotation; the other 49 are reuse of a spent token
    assert {a.status_code for a in answers if a.status_code != 200} == {401}
    # reuse revoked the family: the winner's new token is dead too
    successor = winners[0].json()["refresh_token"]
    assert (
        await identity.post("/v1/sessions/refresh", json={"refresh_token": successor})
    ).status_code == 401


async def test_seeded_and_registered_members_are_announced_once_each(
    identity: httpx.AsyncClient, platform: Endpoints, run_id: str
) -> None:
    staff = await bearer(identity, "demo.staff")
    created = await identity.post(
        "/v1/members", json=new_member(f"new@{run_id}.example.org", "fr"), headers=staff
    )
    assert created.status_code == 201, created.text
    topic = f"{run_id}.member.registered"

    async def announced() -> set[str]:
        records = await read_all(platform.kafka_bootstrap_servers, topic)
        return {r.key.decode() for r in records if r.key}

    members = await eventually(announced, until=lambda keys: created.json()["member_id"] in keys)
    records = await read_all(platform.kafka_bootstrap_servers, topic)
    demo = len(demo_members(belgian_today()))
    assert len(records) == len(members) == demo + 1  # the demo members + the new one


async def test_members_cannot_register_members_and_bad_insz_is_422(
    identity: httpx.AsyncClient,
) -> None:
    member = await bearer(identity, "demo.titular")
    body = new_member("x@example.org")
    assert (await identity.post("/v1/members", json=body, headers=member)).status_code == 403
    staff = await bearer(identity, "demo.staff")
    bad = {
        **body,
        "national_number": body["national_number"][:-1]
        + str((int(body["national_number"][-1]) + 1) % 10),
    }
    response = await identity.post("/v1/members", json=bad, headers=staff)
    assert response.status_code == 422
    assert "INSZ" in response.json()["detail"]
