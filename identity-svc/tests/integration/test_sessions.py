"""Passwords and sessions (issue 7 item 3) against the real FerretDB and Kafka: the login
throttle, password change, logout everywhere, the session's absolute lifetime, LF-4's
forced reset, and a key rotation that logs nobody out."""

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from identity.adapters.keys import rotate_signing_key
from identity.bootstrap import create_app
from identity.domain.accounts import Account
from identity.domain.password_policy import COMMON, TOO_SHORT
from identity.service.context import IdentityContext
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.aggregates import change
from mylm_shared.mongo import make_mongo_client
from mylm_shared.service import use_cases_of

from testkit.apps import until_revocations_current
from testkit.kafka import read_all
from testkit.platform import Endpoints, as_env, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"
NEW_PASSWORD = "a quiet walk along the Scheldt"


class MovableClock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by


@dataclass
class Identity:
    app: FastAPI
    clock: MovableClock
    client_from: Callable[[str], httpx.AsyncClient]

    @property
    def context(self) -> IdentityContext:
        context: IdentityContext = use_cases_of(self.app, IdentityUseCases).context
        return context


def settings_of(platform: Endpoints, run_id: str) -> IdentitySettings:
    return IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]


@asynccontextmanager
async def started(settings: IdentitySettings) -> AsyncIterator[Identity]:
    clock = MovableClock()
    app = create_app(settings, clock=clock)

    def client_from(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://service")

    async with app.router.lifespan_context(app):
        await until_revocations_current(app)  # tokens are answered 503 until then
        yield Identity(app, clock, client_from)


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[Identity]:
    async with started(settings_of(platform, run_id)) as running:
        yield running


@pytest.fixture
async def client(identity: Identity) -> AsyncIterator[httpx.AsyncClient]:
    async with identity.client_from("192.0.2.1") as http:
        yield http


async def log_in(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> httpx.Response:
    return await client.post("/v1/sessions", json={"username": username, "password": password})


async def session(client: httpx.AsyncClient, username: str = "demo.titular") -> dict[str, Any]:
    response = await log_in(client, username)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def refresh(client: httpx.AsyncClient, refresh_token: str) -> httpx.Response:
    return await client.post("/v1/sessions/refresh", json={"refresh_token": refresh_token})


async def change_password(
    client: httpx.AsyncClient, tokens: dict[str, Any], current: str, new: str
) -> httpx.Response:
    return await client.put(
        "/v1/me/password",
        json={"current_password": current, "new_password": new},
        headers=bearer(tokens),
    )


def assert_throttled(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 900
    return retry_after


# --- the throttle -------------------------------------------------------------------


async def test_five_failures_lock_the_username_for_15_minutes_with_retry_after(
    identity: Identity, client: httpx.AsyncClient
) -> None:
    for _ in range(5):
        assert (await log_in(client, "demo.titular", "wrong-password")).status_code == 401
    # Locked: even the right password, even from another address, is not checked.
    assert_throttled(await log_in(client, "demo.titular"))
    async with identity.client_from("198.51.100.7") as elsewhere:
        assert_throttled(await log_in(elsewhere, "demo.titular"))
        # Another username from the same address is not affected.
        assert (await log_in(client, "demo.other")).status_code == 200
        identity.clock.advance(timedelta(minutes=15, seconds=1))
        assert (await log_in(elsewhere, "demo.titular")).status_code == 200


async def test_unknown_usernames_are_locked_the_same_way(client: httpx.AsyncClient) -> None:
    """The throttle must not tell which usernames exist."""
    known = [(await log_in(client, "demo.other", "wrong-password")) for _ in range(5)]
    unknown = [(await log_in(client, "nobody.at.all", "wrong-password")) for _ in range(5)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401] * 5
    assert known[0].json() == unknown[0].json()
    locked_known = await log_in(client, "demo.other", "wrong-password")
    locked_unknown = await log_in(client, "nobody.at.all", "wrong-password")
    assert_throttled(locked_known)
    assert_throttled(locked_unknown)
    assert locked_known.json()["detail"] == locked_unknown.json()["detail"]


async def test_twenty_failures_from_one_address_lock_that_address(identity: Identity) -> None:
    async with (
        identity.client_from("203.0.113.9") as guesser,
        identity.client_from("203.0.113.10") as neighbour,
    ):
        # Four guesses each for five usernames: no username reaches its own limit.
        for name in ("a.one", "b.two", "c.three", "d.four", "demo.titular"):
            for _ in range(4):
                assert (await log_in(guesser, name, "wrong-password")).status_code == 401
        assert_throttled(await log_in(guesser, "demo.other"))
        assert (await log_in(neighbour, "demo.titular")).status_code == 200


async def test_the_openapi_documents_429_with_retry_after(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path, method in (("/v1/sessions", "post"), ("/v1/me/password", "put")):
        throttled = paths[path][method]["responses"]["429"]
        assert "application/problem+json" in throttled["content"]
        assert throttled["headers"]["Retry-After"]["required"] is True
    assert "204" in paths["/v1/me/sessions"]["delete"]["responses"]


# --- password change ----------------------------------------------------------------


async def test_password_change_needs_the_current_password(client: httpx.AsyncClient) -> None:
    tokens = await session(client)
    wrong = await change_password(client, tokens, "not-my-password", NEW_PASSWORD)
    assert wrong.status_code == 403
    assert wrong.json()["detail"] == "The current password is wrong."
    assert (await log_in(client, "demo.titular")).status_code == 200  # unchanged


async def test_password_change_applies_the_policy(client: httpx.AsyncClient) -> None:
    tokens = await session(client)
    short = await change_password(client, tokens, PASSWORD, "Short-1!")
    assert short.status_code == 422
    assert short.headers["content-type"] == "application/problem+json"
    assert [e["message"] for e in short.json()["errors"]] == [TOO_SHORT]
    common = await change_password(client, tokens, PASSWORD, "password1234")
    assert common.status_code == 422
    assert COMMON in [e["message"] for e in common.json()["errors"]]
    assert (await log_in(client, "demo.titular")).status_code == 200  # unchanged


async def test_password_change_ends_the_other_sessions_and_starts_a_new_one(
    identity: Identity, client: httpx.AsyncClient
) -> None:
    other_device = await session(client)
    this_device = await session(client)
    changed = await change_password(client, this_device, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 200, changed.text
    assert (await refresh(client, other_device["refresh_token"])).status_code == 401
    assert (await refresh(client, this_device["refresh_token"])).status_code == 401
    # The answer is a new session that works.
    renewed = await refresh(client, changed.json()["refresh_token"])
    assert renewed.status_code == 200
    assert (await client.get("/v1/me", headers=bearer(renewed.json()))).status_code == 200
    assert (await log_in(client, "demo.titular")).status_code == 401
    assert (await log_in(client, "demo.titular", NEW_PASSWORD)).status_code == 200
    account = await identity.context.account_by_username("demo.titular")
    assert account is not None and account.tokens_invalid_before is not None
    assert "password.changed" in await audited(identity, account)  # LF-5


async def audited(identity: Identity, account: Account) -> list[str]:
    assert account.member_id is not None
    entries = await identity.context.audit.entries(account.member_id)
    return [entry.operation.action for entry in entries]


async def test_password_change_is_throttled_like_a_login(client: httpx.AsyncClient) -> None:
    tokens = await session(client)
    for _ in range(5):
        wrong = await change_password(client, tokens, "wrong-password", NEW_PASSWORD)
        assert wrong.status_code == 403
    assert_throttled(await change_password(client, tokens, PASSWORD, NEW_PASSWORD))
    assert_throttled(await log_in(client, "demo.titular"))


# --- logout, logout everywhere, lifetime ---------------------------------------------


async def test_logout_ends_only_that_session(identity: Identity, client: httpx.AsyncClient) -> None:
    kept, ended = await session(client), await session(client)
    response = await client.post(
        "/v1/sessions/revoke", json={"refresh_token": ended["refresh_token"]}
    )
    assert response.status_code == 204
    assert (await refresh(client, ended["refresh_token"])).status_code == 401
    account = await identity.context.account_by_username("demo.titular")
    assert account is not None
    assert "session.revoked" in await audited(identity, account)  # LF-5
    assert (await refresh(client, kept["refresh_token"])).status_code == 200


async def test_logout_everywhere_ends_every_session_and_announces_the_cut_off(
    identity: Identity, client: httpx.AsyncClient, platform: Endpoints, run_id: str
) -> None:
    first, second = await session(client), await session(client)
    rotated = (await refresh(client, second["refresh_token"])).json()
    response = await client.delete("/v1/me/sessions", headers=bearer(first))
    assert response.status_code == 204
    for tokens in (first, rotated):
        assert (await refresh(client, tokens["refresh_token"])).status_code == 401
    # Every service refuses the access tokens of before: account.status_changed says
    # from when (the deny-list of the project library acts on it).
    account = await identity.context.account_by_username("demo.titular")
    assert account is not None

    async def cut_offs() -> list[dict[str, Any]]:
        records = await read_all(
            platform.kafka_bootstrap_servers, f"{run_id}.account.status_changed"
        )
        events = [json.loads(r.value) for r in records if r.value]
        return [e["data"] for e in events if e["data"]["account_id"] == account.account_id]

    assert "sessions.revoked_all" in await audited(identity, account)  # LF-5
    announced = await eventually(cut_offs, what="account.status_changed")
    assert announced[-1]["tokens_invalid_before"] is not None
    assert announced[-1]["status"] == "active"
    # Logging in again right away works, and so does refreshing that new session.
    again = await session(client)
    assert (await refresh(client, again["refresh_token"])).status_code == 200


async def test_a_session_ends_12_hours_after_its_login_however_often_refreshed(
    identity: Identity, client: httpx.AsyncClient
) -> None:
    token = (await session(client))["refresh_token"]
    for _ in range(3):
        identity.clock.advance(timedelta(hours=3, minutes=50))
        answer = await refresh(client, token)
        assert answer.status_code == 200
        token = answer.json()["refresh_token"]
    identity.clock.advance(timedelta(minutes=31))  # 12 h 1 min after the login
    assert (await refresh(client, token)).status_code == 401


async def test_reusing_a_refresh_token_revokes_the_family(client: httpx.AsyncClient) -> None:
    first = (await session(client))["refresh_token"]
    successor = (await refresh(client, first)).json()["refresh_token"]
    assert (await refresh(client, first)).status_code == 401  # reuse: a leak
    assert (await refresh(client, successor)).status_code == 401


async def test_refresh_refuses_sessions_started_before_the_tokens_cut_off(
    identity: Identity, client: httpx.AsyncClient
) -> None:
    """Even without its family being revoked: ``tokens_invalid_before`` suffices."""
    token = (await session(client))["refresh_token"]
    account = await identity.context.account_by_username("demo.titular")
    assert account is not None
    identity.clock.advance(timedelta(seconds=2))
    at = identity.clock()
    await change(
        identity.context.stores.accounts, account.account_id, lambda a: a.revoke_tokens(at)
    )
    assert (await refresh(client, token)).status_code == 401


async def test_lf4_a_compromised_account_must_reset_through_a_code(
    identity: Identity, client: httpx.AsyncClient
) -> None:
    token = (await session(client))["refresh_token"]
    account = await identity.context.account_by_username("demo.titular")
    assert account is not None

    def compromised(a: Account) -> None:
        a.password_reset_required = True  # what report_compromise sets, without the cut-off

    await change(identity.context.stores.accounts, account.account_id, compromised)
    assert (await refresh(client, token)).status_code == 401
    right = await log_in(client, "demo.titular")
    assert right.status_code == 403
    assert "code" in right.json()["detail"]
    # A wrong password still gets the generic 401: nothing is revealed to a guesser.
    assert (await log_in(client, "demo.titular", "wrong-password")).status_code == 401


# --- key rotation -------------------------------------------------------------------


async def test_a_rotation_keeps_the_previous_key_published_and_its_tokens_valid(
    platform: Endpoints, run_id: str
) -> None:
    settings = settings_of(platform, run_id)
    async with started(settings) as before, before.client_from("192.0.2.1") as client:
        old = await session(client)
        old_kid = jwt.get_unverified_header(old["access_token"])["kid"]
    # What `python -m identity.keys rotate` does (its own process, dev/test profile).
    rotation = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "identity.keys",
        "rotate",
        env={**os.environ, **as_env(isolated(platform, run_id, "identity"))},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(rotation.communicate(), timeout=60)
    assert rotation.returncode == 0, stderr.decode()
    assert f"{old_kid} stays published" in stdout.decode()
    async with started(settings) as after, after.client_from("192.0.2.1") as client:
        kids = [k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]]
        new = await session(client)
        new_kid = jwt.get_unverified_header(new["access_token"])["kid"]
        assert kids == [new_kid, old_kid]
        assert (await client.get("/v1/me", headers=bearer(old))).status_code == 200
        assert (await client.get("/v1/me", headers=bearer(new))).status_code == 200
    # A second rotation retires the first key: its tokens are refused from then on.
    client_db = make_mongo_client(platform.mongodb_uri, "test")
    try:
        await rotate_signing_key(client_db[settings.database_name])
    finally:
        await client_db.close()
    async with started(settings) as later, later.client_from("192.0.2.1") as client:
        kids = [k["kid"] for k in (await client.get("/.well-known/jwks.json")).json()["keys"]]
        assert kids[1] == new_kid and old_kid not in kids
        assert (await client.get("/v1/me", headers=bearer(new))).status_code == 200
        assert (await client.get("/v1/me", headers=bearer(old))).status_code == 401
