"""The demo household at a real identity-svc (demo.titular, titular of the child, teen
and adult) next to one service that trusts identity's tokens, both in process on the
real platform: what acting-for tests (AC-1..AC-6) at billing, inbox, policy … share."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from identity.bootstrap import create_app as create_identity
from identity.demo import DEMO_PASSWORD, demo_id
from identity.settings import IdentitySettings
from mylm_shared.auth import TokenVerifier

from testkit.apps import serving
from testkit.platform import Endpoints, isolated

CHILD = demo_id("member/child")
TEEN = demo_id("member/teen")
ADULT = demo_id("member/adult")
OTHER = demo_id("member/other")


@dataclass
class DemoHousehold:
    """identity-svc with the demo data; a test's subclass adds its service's client."""

    identity: httpx.AsyncClient

    async def bearer(self, username: str) -> dict[str, str]:
        response = await self.identity.post(
            "/v1/sessions", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def exchange(self, own: dict[str, str], member_id: str) -> httpx.Response:
        return await self.identity.post(f"/v1/me/dossiers/{member_id}/token", headers=own)


@asynccontextmanager
async def identity_and(
    service_app: FastAPI, platform: Endpoints, run_id: str
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """identity-svc (demo data) and ``service_app`` serving; the service verifies tokens
    with the keys identity publishes (in process there is no port to fetch the JWKS from),
    keeping its revocation list."""
    settings: dict[str, object] = {**isolated(platform, run_id, "identity"), "seed_demo_data": True}
    identity_settings = IdentitySettings(**settings)  # type: ignore[arg-type]
    async with (
        serving(create_identity(identity_settings)) as identity,
        serving(service_app) as service,
    ):
        jwks = (await identity.get("/.well-known/jwks.json")).json()
        runtime = service_app.state.runtime
        revocations = runtime.token_verifier.revocations if runtime.token_verifier else None
        runtime.token_verifier = TokenVerifier(
            identity_settings.jwt_issuer,
            identity_settings.jwt_audience,
            jwks=jwks,
            revocations=revocations,
        )
        yield identity, service
