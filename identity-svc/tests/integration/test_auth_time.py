"""Issue 15 item 7 against the real FerretDB and Kafka: access tokens carry the login's
``auth_time`` (OIDC Core §2), unchanged through refresh and into a token exchanged for a
dependant's dossier (AC-2), so claims-svc can ask for a fresh login before a payout
account is set or changed; the shared verifier reads it into the principal."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from identity.bootstrap import create_app
from identity.demo import demo_id
from identity.settings import IdentitySettings
from mylm_shared.auth import Principal

from testkit.apps import serving
from testkit.platform import Endpoints, isolated

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"
CHILD = demo_id("member/child")


@dataclass
class MovableClock:
    offset: timedelta = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Identity:
    client: httpx.AsyncClient
    clock: MovableClock

    async def claims(self, token: str) -> dict[str, Any]:
        jwks = (await self.client.get("/.well-known/jwks.json")).json()
        kid = jwt.get_unverified_header(token)["kid"]
        key = next(k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id == kid)
        # Signed by identity; its times are what the test looks at, not checked here.
        times = {"verify_exp": False, "verify_iat": False}
        found: dict[str, Any] = jwt.decode(
            token, key.key, algorithms=["EdDSA"], audience="mylm", options=times
        )
        return found


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[Identity]:
    clock = MovableClock()
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    app = create_app(settings, clock=clock)
    async with serving(app) as client:
        yield Identity(client, clock)


async def test_auth_time_is_the_login_and_survives_refresh_and_exchange(
    identity: Identity,
) -> None:
    """Issue 15 item 7: a refresh 10 minutes after the login issues a new token (new
    ``iat``) with the same ``auth_time``; the exchanged token carries that login too."""
    identity.clock.offset = timedelta(minutes=-10)  # logged in 10 minutes ago
    before = int(identity.clock().timestamp())
    logged_in = await identity.client.post(
        "/v1/sessions", json={"username": "demo.titular", "password": PASSWORD}
    )
    assert logged_in.status_code == 200, logged_in.text
    first = await identity.claims(logged_in.json()["access_token"])
    assert before <= first["auth_time"] <= int(identity.clock().timestamp())

    identity.clock.offset = timedelta()
    refreshed = await identity.client.post(
        "/v1/sessions/refresh", json={"refresh_token": logged_in.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200, refreshed.text
    second = await identity.claims(refreshed.json()["access_token"])
    assert second["iat"] >= first["iat"] + 599  # a new token …
    assert second["auth_time"] == first["auth_time"]  # … of the same login

    exchanged = await identity.client.post(
        f"/v1/me/dossiers/{CHILD}/token",
        headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"},
    )
    assert exchanged.status_code == 200, exchanged.text
    acting = await identity.claims(exchanged.json()["access_token"])
    assert acting["sub"] == CHILD and acting["auth_time"] == first["auth_time"]
    principal = Principal.from_claims(acting)
    assert principal.auth_time == datetime.fromtimestamp(first["auth_time"], UTC)
    assert principal.actor is not None and principal.actor.member_id == demo_id("member/titular")
