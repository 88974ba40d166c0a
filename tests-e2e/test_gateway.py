"""The gateway (issue 20 item 1) as a member's client meets it: the real nginx in front of
the real services (every service of services.toml, one isolated run), on the real platform.

One slice for the module (starting six services per test would dominate the run); each
test speaks from its own loopback address (Linux routes 127/8 to lo), so the per-client
limits of one test never touch another's.
"""

import asyncio
import json
import ssl
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.gateway.config import JSON_BODY_BYTES, PROXY_ADDRESS, RATE_LIMITS, UPLOAD_BODY_BYTES
from infra.gateway.process import GatewayProcess
from infra.k8s.generate import gateway_routes
from testkit.kafka import read_all
from testkit.people import new_member
from testkit.platform import Endpoints, remove_run
from testkit.polling import eventually
from testkit.slice import PASSWORD, Slice

pytestmark = pytest.mark.e2e

ADDRESS_BUDGET = 3  # identity's LOGIN_FAILURES_PER_ADDRESS in this slice
LOGIN = next(limit for limit in RATE_LIMITS if limit.zone == "login")
GATEWAY_413 = "The request body is larger than this route accepts."


@pytest.fixture(scope="module")
def gated(platform: Endpoints) -> Iterator[Slice]:
    run = f"t{uuid.uuid4().hex[:10]}"
    running = Slice(run, platform)
    try:
        running.start(identity={"LOGIN_FAILURES_PER_ADDRESS": str(ADDRESS_BUDGET)})
        running.start_gateway()
        yield running
    finally:
        running.stop()
        asyncio.run(remove_run(platform, run))


@pytest.fixture
def gateway(gated: Slice) -> GatewayProcess:
    assert gated.gateway is not None
    return gated.gateway


def client(base_url: str, source: str, **kwargs: Any) -> httpx.AsyncClient:
    """A client whose connections come from ``source`` (a loopback address of its own)."""
    ca = kwargs.pop("ca", None)
    verify = ssl.create_default_context(cafile=str(ca)) if ca else True
    transport = httpx.AsyncHTTPTransport(local_address=source, verify=verify)
    return httpx.AsyncClient(base_url=base_url, transport=transport, timeout=30, **kwargs)


async def access_log(gateway: GatewayProcess, request_id: str) -> dict[str, Any]:
    """The access log's line of one request (nginx writes it once the request is done)."""

    async def entries() -> list[dict[str, Any]]:
        text = await asyncio.to_thread(Path(gateway.layout.access_log).read_text, "utf-8")
        lines = text.splitlines()
        return [e for e in map(json.loads, lines) if e["request_id"] == request_id]

    found = await eventually(entries, within=10, what=f"access log line of {request_id}")
    return found[0]


async def test_a_request_through_the_gateway_reaches_identity_and_carries_a_request_id(
    gated: Slice, gateway: GatewayProcess
) -> None:
    """Issue 20 item 1: /api/identity/v1/… is identity's /v1/…; the answer carries the
    request id (the client's own when given), and the access log records it."""
    async with client(gateway.url, "127.0.0.11") as http:
        login = await http.post(
            "/api/identity/v1/sessions", json={"username": "demo.staff", "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        generated = login.headers["X-Request-ID"]
        assert len(generated) == 32 and int(generated, 16) >= 0
        token = login.json()["access_token"]
        me = await http.get(
            "/api/identity/v1/me",
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "portal-req-0001"},
        )
        assert me.status_code == 200, me.text
        assert me.headers["X-Request-ID"] == "portal-req-0001"
        # the route without a trailing path is the service's root, as at the Ingress
        for name, route in gateway_routes().items():
            health = await http.get(f"{route}/healthz")
            assert health.status_code == 200, name
        assert (await http.get("/api/identityx/healthz")).status_code == 404
    entry = await access_log(gateway, "portal-req-0001")
    assert entry["client"] == "127.0.0.11"
    assert entry["status"] == "200"
    assert entry["upstream"] == f"127.0.0.1:{gated.services['identity'].port}"


async def test_the_request_id_becomes_the_trace_of_what_the_service_publishes(
    gated: Slice, gateway: GatewayProcess
) -> None:
    """Issue 20 item 1: without a traceparent of its own, a request's trace id is the
    gateway's request id, and the event the service publishes carries it on (the
    services' logs and the gateway's access log join on it)."""
    async with client(gateway.url, "127.0.0.12") as http:
        login = await http.post(
            "/api/identity/v1/sessions", json={"username": "demo.staff", "password": PASSWORD}
        )
        token = login.json()["access_token"]
        email = f"gw-{uuid.uuid4().hex[:8]}@{gated.email_domain}"
        created = await http.post(
            "/api/identity/v1/members",
            json=new_member(email),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.status_code == 201, created.text
    request_id = created.headers["X-Request-ID"]
    member_id = created.json()["member_id"]

    async def traced() -> list[str]:
        records = await read_all(
            gated.endpoints.kafka_bootstrap_servers, gated.topic("member.registered")
        )
        return [
            dict(r.headers).get("traceparent", b"").decode()
            for r in records
            if member_id.encode() in (r.value or b"")
        ]

    parents = await eventually(traced, within=30, what="member.registered published")
    assert parents[0].split("-")[1] == request_id


async def test_security_headers_on_every_answer_and_hsts_on_https(
    gateway: GatewayProcess,
) -> None:
    """Issue 20 item 1 / LF-6: nosniff, no referrer, a CSP for JSON APIs refusing frames;
    the HTTPS listener serves the generated certificate (verified against its CA) and
    adds HSTS, the plain listener does not."""
    async with client(gateway.url, "127.0.0.13") as http:
        plain = await http.get("/api/billing/healthz")
        missing = await http.get("/nowhere")
    async with client(gateway.https_url, "127.0.0.13", ca=gateway.ca) as https:
        secure = await https.get("/api/billing/healthz")
        index = await https.get("/api/")
    for answer in (plain, missing, secure, index):
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        csp = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "X-Request-ID" in answer.headers
        assert "nginx/" not in answer.headers.get("Server", "")
    assert plain.status_code == secure.status_code == 200
    assert "Strict-Transport-Security" not in plain.headers
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    # an unverified certificate is refused: the listener really is TLS with our certificate
    async with client(gateway.https_url, "127.0.0.13") as untrusting:
        with pytest.raises(httpx.ConnectError):
            await untrusting.get("/api/")


async def test_every_services_openapi_document_is_one_page_away(gateway: GatewayProcess) -> None:
    """Issue 20 item 1: /api/ links each service's OpenAPI document, served through the
    gateway and naming the route its operations are served under."""
    async with client(gateway.url, "127.0.0.14") as http:
        index = await http.get("/api/")
        assert index.status_code == 200
        assert index.headers["Content-Type"].startswith("text/html")
        for name, route in gateway_routes().items():
            assert f'href="{route}/openapi.json"' in index.text, name
            document = await http.get(f"{route}/openapi.json")
            assert document.status_code == 200, name
            spec = document.json()
            assert spec["servers"] == [{"url": route}], name
            assert any(path.startswith("/v1/") for path in spec["paths"]), name
        metrics = await http.get("/api/billing/metrics")
        assert metrics.status_code == 404  # scraped at the service, not public


async def test_bodies_over_the_services_limits_end_at_the_edge(
    gated: Slice, gateway: GatewayProcess
) -> None:
    """Issue 20 item 1 / issue 15 item 5: the JSON limit on every route, the upload limit
    on the routes taking files; beyond them 413 problem+json from the gateway, the service
    never contacted."""
    async with client(gateway.url, "127.0.0.15") as http:
        big_json = await http.post(
            "/api/billing/v1/invoices",
            content=b"[" + b" " * JSON_BODY_BYTES + b"]",
            headers={"Content-Type": "application/json", "X-Request-ID": "too-large-json-1"},
        )
        assert big_json.status_code == 413
        assert big_json.headers["Content-Type"] == "application/problem+json"
        assert big_json.json()["detail"] == GATEWAY_413
        assert (await access_log(gateway, "too-large-json-1"))["upstream"] == ""
        # a file of a size a JSON route refuses passes to an upload route: the service
        # answers (401: no token; it authenticates before it reads the file)
        files = {"file": ("photo.png", b"\x89PNG" + b"0" * (JSON_BODY_BYTES * 2), "image/png")}
        upload = await http.post("/api/claims/v1/claims/c-1/documents", files=files)
        assert upload.status_code == 401, upload.text
        files = {"file": ("photo.png", b"0" * UPLOAD_BODY_BYTES, "image/png")}
        too_big = await http.post(
            "/api/claims/v1/claims/c-1/documents",
            files=files,
            headers={"X-Request-ID": "too-large-file-1"},
        )
        assert too_big.status_code == 413
        assert too_big.json()["detail"] == GATEWAY_413
        assert (await access_log(gateway, "too-large-file-1"))["upstream"] == ""


async def test_logins_from_one_client_are_rate_limited_at_the_gateway(
    gateway: GatewayProcess,
) -> None:
    """Issue 20 item 1: per client address, the login route admits its burst and then
    answers 429 problem+json with Retry-After, before identity is asked; another
    client is not affected."""
    answers: list[httpx.Response] = []
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with client(gateway.url, "127.0.0.16") as http:
        for _ in range(LOGIN.burst + 6):
            answers.append(await http.post("/api/identity/v1/sessions", json={}))
    elapsed = loop.time() - started
    statuses = [a.status_code for a in answers]
    assert set(statuses) == {422, 429}, statuses  # 422: identity refused the empty body
    admitted = statuses.index(429)
    refilled = int(elapsed * LOGIN.per_minute / 60)
    assert LOGIN.burst + 1 <= admitted <= LOGIN.burst + 1 + refilled, statuses
    throttled = answers[admitted]
    assert throttled.headers["Content-Type"] == "application/problem+json"
    assert throttled.json()["status"] == 429
    assert throttled.headers["Retry-After"] == str(LOGIN.retry_after)
    assert throttled.headers["X-Content-Type-Options"] == "nosniff"
    async with client(gateway.url, "127.0.0.17") as other:
        assert (await other.post("/api/identity/v1/sessions", json={})).status_code == 422


async def _fail_login(http: httpx.AsyncClient, url: str, spoofed: str) -> httpx.Response:
    return await http.post(
        url,
        json={"username": f"nobody-{uuid.uuid4().hex[:8]}", "password": "wrong-Passw0rd!"},
        headers={"X-Forwarded-For": spoofed},
    )


async def test_only_the_gateway_may_say_who_the_client_is(
    gated: Slice, gateway: GatewayProcess
) -> None:
    """Issue 20 item 1 / issue 15 item 2: identity counts failed logins per client
    address. Called directly, a spoofed X-Forwarded-For changes nothing: the failures
    count against the socket's address. Through the gateway the address counted is the
    one the gateway saw, whatever the client claims."""
    direct = gated.url("identity")
    assert PROXY_ADDRESS == "127.0.0.2"
    async with client(direct, "127.0.0.18") as http:
        for n in range(ADDRESS_BUDGET):
            answer = await _fail_login(http, "/v1/sessions", f"203.0.113.{n + 1}")
            assert answer.status_code == 401, answer.text
        locked = await _fail_login(http, "/v1/sessions", "203.0.113.99")
        assert locked.status_code == 429, locked.text  # counted under 127.0.0.18
        assert "Too many failed attempts" in locked.json()["detail"]  # identity's budget

    async with client(gateway.url, "127.0.0.19") as http:
        for n in range(ADDRESS_BUDGET):
            answer = await _fail_login(http, "/api/identity/v1/sessions", f"198.51.100.{n + 1}")
            assert answer.status_code == 401, answer.text
        locked = await _fail_login(http, "/api/identity/v1/sessions", "198.51.100.99")
        assert locked.status_code == 429, locked.text
        assert "Too many failed attempts" in locked.json()["detail"]
    # counted under the address the gateway saw (not its own, not the claimed ones) ...
    async with client(direct, "127.0.0.19") as http:
        assert (await _fail_login(http, "/v1/sessions", "10.0.0.1")).status_code == 429
    # ... and no other address lost its budget
    async with client(direct, "127.0.0.20") as http:
        assert (await _fail_login(http, "/v1/sessions", "127.0.0.19")).status_code == 401
