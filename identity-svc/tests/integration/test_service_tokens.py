"""Service tokens: the OAuth 2.0 client credentials grant (RFC 6749 §4.4) at
``POST /v1/oauth/token``, in process against the real FerretDB and Kafka: a configured
client gets a token every service's verifier accepts; §5.2 errors; failures throttled."""

import base64
from collections.abc import AsyncIterator
from urllib.parse import quote_plus

import httpx
import jwt
import pytest
from fastapi import FastAPI
from identity.adapters.passwords import hash_password
from identity.bootstrap import create_app
from identity.settings import IdentitySettings, ServiceClient
from mylm_shared.auth import TokenVerifier
from mylm_shared.service_tokens import ClientCredentials

from testkit.apps import until_revocations_current
from testkit.platform import Endpoints, isolated

pytestmark = pytest.mark.integration

CLIENT = "claims-test"
SECRET = "a-random-secret:with&odd chars"
FORM = {"grant_type": "client_credentials"}


@pytest.fixture
async def app(platform: Endpoints, run_id: str) -> AsyncIterator[FastAPI]:
    settings = IdentitySettings(
        **isolated(platform, run_id, "identity"),  # type: ignore[arg-type]
        service_clients={
            CLIENT: ServiceClient(
                secret_hash=hash_password(SECRET), scopes=("policy:read", "billing:read")
            )
        },
        login_failures_per_address=3,
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await until_revocations_current(application)  # tokens are answered 503 until then
        yield application


def client_from(app: FastAPI, address: str = "192.0.2.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://identity")


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_from(app) as client:
        yield client


def basic(client_id: str, secret: str) -> dict[str, str]:
    """RFC 6749 §2.3.1: form-urlencoded id and secret, then base64."""
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {"Authorization": f"Basic {base64.b64encode(raw).decode()}"}


async def test_a_configured_client_gets_a_service_token_any_service_accepts(
    http: httpx.AsyncClient, app: FastAPI
) -> None:
    """§4.4.2/§4.4.3 with client_secret_basic; the token verifies against the JWKS like a
    user's token (sub = client id, role service, scope as asked)."""
    response = await http.post(
        "/v1/oauth/token", data={**FORM, "scope": "policy:read"}, headers=basic(CLIENT, SECRET)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert body["scope"] == "policy:read"
    assert response.headers["cache-control"] == "no-store"  # §5.1

    jwks = (await http.get("/.well-known/jwks.json")).json()
    verifier = TokenVerifier("mylm-identity", "mylm", jwks=jwks)  # as another service does
    principal = await verifier.verify(body["access_token"])
    assert principal.subject == CLIENT
    assert principal.is_service and not principal.is_staff
    assert principal.member_id is None
    assert principal.scopes == {"policy:read"}
    assert principal.service_may("policy:read")
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= 300


async def test_client_secret_post_and_the_default_scope(http: httpx.AsyncClient) -> None:
    """§2.3.1 form fields; no scope asked: every scope the client is allowed (§3.3)."""
    response = await http.post(
        "/v1/oauth/token", data={**FORM, "client_id": CLIENT, "client_secret": SECRET}
    )
    assert response.status_code == 200, response.text
    assert set(response.json()["scope"].split()) == {"policy:read", "billing:read"}


async def test_the_shared_client_gets_and_caches_a_token(app: FastAPI) -> None:
    async with client_from(app) as http:
        credentials = ClientCredentials(
            "http://identity/v1/oauth/token", CLIENT, SECRET, "policy:read", http=http
        )
        first = await credentials.bearer()
        assert await credentials.bearer() == first
        principal = await app.state.runtime.token_verifier.verify(first)
        assert principal.subject == CLIENT


@pytest.mark.parametrize(
    "headers",
    [basic(CLIENT, "wrong secret"), basic("nobody", SECRET)],
    ids=["wrong-secret", "unknown-client"],
)
async def test_a_wrong_secret_or_unknown_client_is_invalid_client(
    http: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    """§5.2: 401 invalid_client with a WWW-Authenticate challenge."""
    response = await http.post("/v1/oauth/token", data=FORM, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic ")


async def test_no_client_authentication_is_invalid_client(http: httpx.AsyncClient) -> None:
    response = await http.post("/v1/oauth/token", data=FORM)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_another_grant_is_unsupported_grant_type(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/v1/oauth/token",
        data={"grant_type": "password", "username": "demo.titular", "password": "x"},
        headers=basic(CLIENT, SECRET),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_a_scope_not_allowed_is_invalid_scope(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/v1/oauth/token",
        data={**FORM, "scope": "policy:read policy:write"},
        headers=basic(CLIENT, SECRET),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


async def test_malformed_requests_are_invalid_request(http: httpx.AsyncClient) -> None:
    """§3.2 form encoding only; §2.3 one authentication method per request."""
    as_json = await http.post("/v1/oauth/token", json=FORM, headers=basic(CLIENT, SECRET))
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    both = await http.post(
        "/v1/oauth/token",
        data={**FORM, "client_id": CLIENT, "client_secret": SECRET},
        headers=basic(CLIENT, SECRET),
    )
    assert (both.status_code, both.json()["error"]) == (400, "invalid_request")
    no_grant = await http.post("/v1/oauth/token", data={}, headers=basic(CLIENT, SECRET))
    assert (no_grant.status_code, no_grant.json()["error"]) == (400, "invalid_request")


async def test_failed_client_authentications_lock_the_address(app: FastAPI) -> None:
    """Like logins: after 3 failures (set for the test) from one address, 429 with
    Retry-After even with the right secret; another address is not locked, nor are
    password logins from the same address."""
    async with client_from(app, "192.0.2.66") as guesser:
        for _ in range(3):
            failed = await guesser.post("/v1/oauth/token", data=FORM, headers=basic(CLIENT, "x"))
            assert failed.status_code == 401
        locked = await guesser.post("/v1/oauth/token", data=FORM, headers=basic(CLIENT, SECRET))
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) > 0
        # Counted apart from password logins: the address may still try a login.
        login = await guesser.post("/v1/sessions", json={"username": "x", "password": "y"})
        assert login.status_code == 401
    async with client_from(app, "192.0.2.67") as other:
        ok = await other.post("/v1/oauth/token", data=FORM, headers=basic(CLIENT, SECRET))
        assert ok.status_code == 200


async def test_a_service_token_opens_no_users_route(http: httpx.AsyncClient) -> None:
    """It is nobody's session: the routes of a user's own account refuse it with 403
    (issue 15 item 8: a service token has no account), the export included."""
    issued = await http.post("/v1/oauth/token", data=FORM, headers=basic(CLIENT, SECRET))
    service = {"Authorization": f"Bearer {issued.json()['access_token']}"}
    for method, path in [
        ("GET", "/v1/me"),
        ("GET", "/v1/me/status"),
        ("GET", "/v1/me/export"),
        ("DELETE", "/v1/me/sessions"),
        ("POST", "/v1/me/compromised"),
    ]:
        response = await http.request(method, path, headers=service)
        assert response.status_code == 403, (path, response.status_code)
    for method, path in [("GET", "/v1/me/dossiers"), ("GET", "/v1/audit/someone/verify")]:
        response = await http.request(method, path, headers=service)
        assert response.status_code in (401, 403, 404), (path, response.status_code)
