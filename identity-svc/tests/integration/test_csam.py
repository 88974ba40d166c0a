"""CSAM login (RG-5) and the login methods (RG-6) end to end, against the local platform's
real OpenID provider (oidc-provider on 127.0.0.1:8009, infra/local/oidc) and the real
FerretDB and Kafka.

A "browser" (httpx following redirects, keeping cookies) drives the whole flow: identity
-svc's /v1/csam/login, the provider's authorization endpoint and its login form (parsed
and posted), the redirect back to identity-svc's callback. identity-svc runs in this
process on the redirect URI registered at the provider (http://127.0.0.1:8001/…): the
browser sends that origin to the app in-process, the provider's over the network.
"""

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from identity.adapters.oidc import LoginRejected, OidcClient
from identity.bootstrap import create_app
from identity.demo import DEMO_PASSWORD, TITULAR, demo_id
from identity.service.accounts import account_id_for
from identity.service.context import IdentityContext
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.aggregates import change
from mylm_shared.events import CloudEvent
from mylm_shared.service import use_cases_of

from testkit.apps import until_revocations_current
from testkit.kafka import read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PROVIDER = "http://127.0.0.1:8009"
IDENTITY = "http://127.0.0.1:8001"  # the redirect URI's origin registered at the provider
NEWCOMER = demo_id("member/newcomer")  # CSAM's demo.newcomer: a member without an account
TERMS = "2024-01"


@dataclasses.dataclass
class Identity:
    app: FastAPI
    context: IdentityContext
    platform: Endpoints
    run_id: str

    def browser(self) -> httpx.AsyncClient:
        """A new browser (no cookies): identity-svc in-process, the provider for real."""
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            mounts={PROVIDER: httpx.AsyncHTTPTransport()},
            base_url=IDENTITY,
            follow_redirects=True,
            timeout=30,
        )


async def _identity(platform: Endpoints, run_id: str, **settings: Any) -> AsyncIterator[Identity]:
    config = IdentitySettings(  # type: ignore[arg-type]
        **isolated(platform, run_id, "identity"), seed_demo_data=True, **settings
    )
    app = create_app(config)
    async with app.router.lifespan_context(app):
        await until_revocations_current(app)  # tokens are answered 503 until then
        context = use_cases_of(app, IdentityUseCases).context
        yield Identity(app, context, platform, run_id)


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[Identity]:
    async for found in _identity(platform, run_id):
        yield found


class _Forms(HTMLParser):
    """The forms of a page: action and named inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"action": values.get("action") or "", "inputs": {}})
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1]["inputs"][values["name"]] = values.get("value") or ""


def login_form(page: httpx.Response) -> tuple[str, dict[str, str]]:
    """The provider's login form: where it posts, and its fields."""
    parser = _Forms()
    parser.feed(page.text)
    for form in parser.forms:
        if "password" in form["inputs"]:
            return urljoin(str(page.url), form["action"]), dict(form["inputs"])
    raise AssertionError(f"no login form at {page.url}:\n{page.text[:500]}")


async def at_provider_login(
    browser: httpx.AsyncClient, return_to: str | None = None
) -> httpx.Response:
    """/v1/csam/login, then every redirect up to the provider's login page."""
    params = {"return_to": return_to} if return_to else {}
    page = await browser.get("/v1/csam/login", params=params)
    assert page.status_code == 200, page.text
    assert page.url.host == "127.0.0.1" and page.url.port == 8009, page.url
    return page


async def log_in_at_provider(
    browser: httpx.AsyncClient, page: httpx.Response, login: str, *, follow: bool = True
) -> httpx.Response:
    """Fill in and post the provider's login form; with ``follow``, every redirect after it
    (back to identity-svc's callback); without, only the provider's own redirects."""
    action, fields = login_form(page)
    fields.update(login=login, password=DEMO_PASSWORD)
    if follow:
        return await browser.post(action, data=fields)
    answer = await browser.post(action, data=fields, follow_redirects=False)
    while answer.is_redirect and answer.next_request is not None:
        if answer.next_request.url.port != 8009:
            return answer  # the redirect to identity-svc's callback, not followed
        answer = await browser.send(answer.next_request, follow_redirects=False)
    raise AssertionError(f"the provider did not redirect back: {answer.status_code} {answer.text}")


async def csam_login(
    identity: Identity, login: str, return_to: str | None = None
) -> httpx.Response:
    """The whole browser flow; the callback's answer."""
    async with identity.browser() as browser:
        page = await at_provider_login(browser, return_to)
        return await log_in_at_provider(browser, page, login)


def assert_problem(response: httpx.Response, status: int, reason: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["reason"] == reason, response.json()


async def test_rg5_csam_login_opens_a_session_for_the_members_account(identity: Identity) -> None:
    """demo.titular at CSAM (national register number 85073003328) → his account's tokens;
    the authorization request uses the code flow with PKCE (S256), state and nonce."""
    async with identity.browser() as browser:
        start = await browser.get(
            "/v1/csam/login", params={"return_to": "/dossiers"}, follow_redirects=False
        )
        assert start.status_code == 302
        location = urlsplit(start.headers["location"])
        query = {name: values[0] for name, values in parse_qs(location.query).items()}
        assert f"{location.scheme}://{location.netloc}" == PROVIDER
        assert query["response_type"] == "code"
        assert query["client_id"] == "identity-svc"
        assert query["redirect_uri"] == f"{IDENTITY}/v1/csam/callback"
        assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
        assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
        assert "egovNRN" in query["scope"].split()
        cookie = start.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie

        page = await browser.get(start.headers["location"])
        answer = await log_in_at_provider(browser, page, "demo.titular")

        assert answer.status_code == 200, answer.text
        assert str(answer.url).startswith(f"{IDENTITY}/v1/csam/callback?")
        body = answer.json()
        assert body["status"] == "logged-in"
        assert body["account_id"] == account_id_for(TITULAR)
        assert body["member_id"] == TITULAR
        assert body["return_to"] == "/dossiers"
        assert answer.headers["cache-control"] == "no-store"

        me = await browser.get(
            "/v1/me", headers={"authorization": f"Bearer {body['access_token']}"}
        )
        assert me.status_code == 200, me.text
        assert me.json()["member_id"] == TITULAR
        refreshed = await browser.post(
            "/v1/sessions/refresh", json={"refresh_token": body["refresh_token"]}
        )
        assert refreshed.status_code == 200, refreshed.text

    trail = await identity.context.audit.entries(TITULAR)
    sessions = [e.operation for e in trail if e.operation.action == "session.created"]
    assert sessions and sessions[-1].details["method"] == "csam"  # LF-5


async def test_rg5_first_csam_login_without_an_account_opens_one_after_the_terms(
    identity: Identity,
) -> None:
    """demo.newcomer is a member without an account: a pending sign-up; accepting the
    terms (RG-4) opens a CSAM-only account (account.created, method csam) with tokens."""
    answer = await csam_login(identity, "demo.newcomer")
    assert answer.status_code == 200, answer.text
    pending = answer.json()
    assert pending["status"] == "signup-required"
    assert pending["terms_version"] == TERMS
    assert 0 < pending["expires_in"] <= 900
    assert await identity.context.account_of_member(NEWCOMER) is None

    async with identity.browser() as client:
        path = f"/v1/csam/signups/{pending['signup_id']}"
        refused = await client.post(path, json={"accept_terms": False, "terms_version": TERMS})
        assert_problem(refused, 422, "terms")
        old = await client.post(path, json={"accept_terms": True, "terms_version": "2019-01"})
        assert_problem(old, 422, "terms")
        unknown = await client.post(
            "/v1/csam/signups/not-a-signup", json={"accept_terms": True, "terms_version": TERMS}
        )
        assert_problem(unknown, 404, "unknown")

        opened = await client.post(path, json={"accept_terms": True, "terms_version": TERMS})
        assert opened.status_code == 201, opened.text
        tokens = opened.json()
        assert tokens["member_id"] == NEWCOMER and tokens["access_token"]
        me = await client.get(
            "/v1/me", headers={"authorization": f"Bearer {tokens['access_token']}"}
        )
        assert me.status_code == 200 and me.json()["member_id"] == NEWCOMER

        again = await client.post(path, json={"accept_terms": True, "terms_version": TERMS})
        assert_problem(again, 410, "used")

    account = await identity.context.account_of_member(NEWCOMER)
    assert account is not None and account.account_id == tokens["account_id"]
    assert account.username is None and account.password_hash is None  # CSAM only
    assert account.terms_version == TERMS and account.terms_accepted_at is not None

    async def created() -> list[CloudEvent]:
        topic = f"{identity.run_id}.account.created"
        records = await read_all(identity.platform.kafka_bootstrap_servers, topic)
        events = [CloudEvent.model_validate_json(r.value or b"") for r in records]
        return [e for e in events if e.data.get("member_id") == NEWCOMER]

    events = await eventually(created, what="account.created of the newcomer")
    assert len(events) == 1
    assert events[0].data["method"] == "csam"
    assert events[0].data["terms_version"] == TERMS
    actions = [e.operation.action for e in await identity.context.audit.entries(NEWCOMER)]
    assert {"csam.signup-started", "account.created", "session.created"} <= set(actions)

    # the next CSAM login finds the account
    next_time = await csam_login(identity, "demo.newcomer")
    assert next_time.status_code == 200, next_time.text
    assert next_time.json()["status"] == "logged-in"
    assert next_time.json()["account_id"] == account.account_id


async def test_rg5_callback_refuses_a_tampered_state_another_browser_and_a_replay(
    identity: Identity,
) -> None:
    async with identity.browser() as browser:
        page = await at_provider_login(browser)
        back = await log_in_at_provider(browser, page, "demo.titular", follow=False)
        callback = back.headers["location"]
        parts = urlsplit(callback)
        assert f"{parts.scheme}://{parts.netloc}" == IDENTITY
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        assert query["iss"] == PROVIDER  # RFC 9207

        tampered = dict(query, state=query["state"][:-4] + "AAAA")
        assert_problem(
            await browser.get("/v1/csam/callback", params=tampered), 400, "state-unknown"
        )

        async with identity.browser() as other:  # the code and state, without the cookie
            stolen = await other.get(callback)
            assert_problem(stolen, 400, "browser-mismatch")

        genuine = await browser.get(callback)
        assert genuine.status_code == 200, genuine.text
        assert genuine.json()["status"] == "logged-in"

        replayed = await browser.get(callback)
        assert_problem(replayed, 400, "state-used")


async def test_rg5_a_national_number_unknown_to_my_lm_is_refused(identity: Identity) -> None:
    answer = await csam_login(identity, "demo.unknown")
    assert_problem(answer, 403, "not-a-member")
    assert "national register number" in answer.json()["detail"]


async def test_lf2_csam_login_of_a_suspended_account_is_refused(identity: Identity) -> None:
    account_id = account_id_for(TITULAR)
    now = datetime.now(UTC)
    await change(
        identity.context.stores.accounts, account_id, lambda a: a.suspend("system-security", now)
    )
    answer = await csam_login(identity, "demo.titular")
    assert_problem(answer, 403, "account-suspended")
    assert answer.json()["account_reason"] == "system-security"  # LF-3


async def test_return_to_outside_the_allowed_origins_is_refused(identity: Identity) -> None:
    async with identity.browser() as browser:
        for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
            answer = await browser.get("/v1/csam/login", params={"return_to": bad})
            assert_problem(answer, 422, "return-to")
        allowed = await browser.get(
            "/v1/csam/login",
            params={"return_to": f"{IDENTITY}/after"},
            follow_redirects=False,
        )
        assert allowed.status_code == 302


async def test_rg6_login_methods_are_the_mutualitys_list(identity: Identity) -> None:
    async with identity.browser() as browser:
        listed = await browser.get("/v1/login-methods")
    assert listed.status_code == 200
    assert [m["method"] for m in listed.json()["items"]] == ["password", "csam"]


async def test_rg6_a_method_the_mutuality_does_not_offer_is_refused(
    platform: Endpoints, run_id: str
) -> None:
    async for password_only in _identity(platform, run_id, login_methods=("password",)):
        async with password_only.browser() as browser:
            listed = await browser.get("/v1/login-methods")
            assert [m["method"] for m in listed.json()["items"]] == ["password"]
            assert_problem(await browser.get("/v1/csam/login"), 403, "method-disabled")
            signup = await browser.post(
                "/v1/csam/signups/x", json={"accept_terms": True, "terms_version": TERMS}
            )
            assert_problem(signup, 403, "method-disabled")
    async for csam_only in _identity(platform, run_id, login_methods=("csam",)):
        async with csam_only.browser() as browser:
            credentials = {"username": "demo.titular", "password": DEMO_PASSWORD}
            assert_problem(
                await browser.post("/v1/sessions", json=credentials), 403, "method-disabled"
            )
            answer = await log_in_at_provider(
                browser, await at_provider_login(browser), "demo.titular"
            )
            assert answer.status_code == 200 and answer.json()["status"] == "logged-in"


async def _code_from_provider(client: OidcClient, nonce: str, verifier: str) -> str:
    """A real authorization code for demo.titular (the redirect back is not followed)."""
    url = await client.authorization_url(state="s" * 43, nonce=nonce, code_verifier=verifier)
    async with httpx.AsyncClient(follow_redirects=True, timeout=30) as browser:
        page = await browser.get(url)
        back = await log_in_at_provider(browser, page, "demo.titular", follow=False)
    query = parse_qs(urlsplit(back.headers["location"]).query)
    assert query["state"] == ["s" * 43]
    return query["code"][0]


def _client(client_id: str = "identity-svc") -> OidcClient:
    return OidcClient(
        issuer=PROVIDER,
        client_id=client_id,
        client_secret="identity-svc-dev-secret",
        redirect_uri=f"{IDENTITY}/v1/csam/callback",
        scope="openid profile egovNRN",
    )


async def test_rg5_the_code_needs_its_pkce_verifier_and_works_once(platform: Endpoints) -> None:
    """The provider enforces PKCE and single-use codes; identity-svc reports both."""
    client = _client()
    verifier = "v" * 64
    code = await _code_from_provider(client, "n" * 43, verifier)
    with pytest.raises(LoginRejected, match="invalid_grant"):
        await client.exchange(code, "w" * 64)  # another verifier
    code = await _code_from_provider(client, "n" * 43, verifier)
    assert "id_token" in await client.exchange(code, verifier)
    with pytest.raises(LoginRejected, match="invalid_grant"):
        await client.exchange(code, verifier)  # a code is good once


async def test_rg5_the_id_token_is_checked_against_the_providers_jwks(
    platform: Endpoints,
) -> None:
    """A real ID token of the provider: valid as issued; refused with another nonce, for
    another audience, once expired, or with its signature altered."""
    client, nonce, verifier = _client(), "n" * 43, "v" * 64
    tokens = await client.exchange(await _code_from_provider(client, nonce, verifier), verifier)
    id_token, access_token, now = tokens["id_token"], tokens["access_token"], datetime.now(UTC)

    claims = await client.verify_id_token(id_token, nonce=nonce, access_token=access_token, now=now)
    assert claims["egovNRN"] == "85073003328" and claims["iss"] == PROVIDER

    header, payload, signature = id_token.split(".")
    first = "B" if signature[0] == "A" else "A"  # another first byte of the signature
    altered = f"{header}.{payload}.{first}{signature[1:]}"
    cases = {
        "another nonce": (client, id_token, "m" * 43, now),
        "another audience": (_client("someone-else"), id_token, nonce, now),
        "expired": (client, id_token, nonce, now + timedelta(hours=2)),
        "altered signature": (client, altered, nonce, now),
    }
    for what, (verifier_client, token, expected_nonce, at) in cases.items():
        with pytest.raises(LoginRejected):
            await verifier_client.verify_id_token(
                token, nonce=expected_nonce, access_token=access_token, now=at
            )
            pytest.fail(f"accepted with {what}")
