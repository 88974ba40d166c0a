"""Fail closed (issue 15 item 7) on the real Kafka and FerretDB, with identity-svc in
process: while a service's revocation list is not current (here: the topics it reads
are not declared yet, so it cannot have read them), every request bearing a token is
answered 503 + Retry-After (problem+json), neither accepted nor refused; health,
readiness, the JWKS and login keep answering. Once the list has caught up, the same
token is served. EdDSA only: an ES256 token naming identity's kid is 401."""

import time
from collections.abc import AsyncIterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from identity.bootstrap import create_app
from identity.demo import DEMO_PASSWORD
from identity.settings import IdentitySettings
from mylm_shared import service as service_module
from mylm_shared.events.catalog import ALL_EVENTS
from mylm_shared.kafka import ensure_topics
from mylm_shared.problems import PROBLEM_JSON
from mylm_shared.revocations import TOPICS

from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
async def identity(
    platform: Endpoints, run_id: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[FastAPI, IdentitySettings]]:
    # Start-up waits this long for the list before serving anyway (not ready, 503s).
    monkeypatch.setattr(service_module, "REVOCATIONS_CATCH_UP_SECONDS", 0.5)
    settings = IdentitySettings(  # type: ignore[arg-type]
        **{
            **isolated(platform, run_id, "identity"),
            "topic_prefix": f"{run_id}.late.",  # nothing declared there (no auto-create)
            "create_topics": False,
        },
        seed_demo_data=True,
    )
    # Every topic of the catalogue is declared except the two the revocation list reads.
    others = {spec.topic for spec in ALL_EVENTS} - set(TOPICS)
    await ensure_topics(settings.kafka_bootstrap_servers, [settings.topic(t) for t in others], 1)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app, settings


async def test_tokens_get_503_until_the_revocation_list_is_current_then_are_served(
    identity: tuple[FastAPI, IdentitySettings],
) -> None:
    """Issue 15 item 7 (fail closed), both sides of the boundary."""
    app, settings = identity
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as client:
        assert app.state.runtime.revocations is not None
        assert not app.state.runtime.revocations.current
        # Unauthenticated routes keep working.
        assert (await client.get("/healthz")).status_code == 200
        jwks = await client.get("/.well-known/jwks.json")
        assert jwks.status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["revocations"] == "catching-up"
        login = await client.post(
            "/v1/sessions", json={"username": "demo.titular", "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200, login.text
        bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}

        # A valid token: 503 + Retry-After, problem+json.
        unavailable = await client.get("/v1/me", headers=bearer)
        assert unavailable.status_code == 503, unavailable.text
        assert unavailable.headers["retry-after"] == "2"
        assert unavailable.headers["content-type"] == PROBLEM_JSON
        assert unavailable.json()["status"] == 503
        # No token or a forged one: 401 as always (nothing to look up).
        assert (await client.get("/v1/me")).status_code == 401
        forged = {"Authorization": "Bearer " + login.json()["access_token"][:-4] + "AAAA"}
        assert (await client.get("/v1/me", headers=forged)).status_code == 401

        # The platform declares the topics: the list reads them and becomes current.
        await ensure_topics(
            settings.kafka_bootstrap_servers, [settings.topic(t) for t in TOPICS], 1
        )

        async def served() -> int:
            return (await client.get("/v1/me", headers=bearer)).status_code

        await eventually(served, until=lambda s: s == 200, within=30, what="token served")
        assert (await client.get("/readyz")).json()["checks"]["revocations"] == "ok"

        # EdDSA only: ES256 with identity's kid and valid-looking claims is 401.
        kid = jwks.json()["keys"][0]["kid"]
        now = int(time.time())
        claims = {
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "sub": "someone",
            "member_id": "someone",
            "roles": ["member", "staff"],
            "typ": "access",
            "iat": now,
            "exp": now + 300,
        }
        es256 = jwt.encode(
            claims, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256", headers={"kid": kid}
        )
        refused = await client.get("/v1/me", headers={"Authorization": f"Bearer {es256}"})
        assert refused.status_code == 401
        assert refused.headers["content-type"] == PROBLEM_JSON
