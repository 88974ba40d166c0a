"""The local gateway's configuration agrees with services.toml, the Kubernetes Ingress and
the services' own routes and limits (issue 20 item 1). Fast: nothing is started (``nginx
-t`` checks the configuration); tests-e2e/test_gateway.py runs the real thing.
"""

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from mylm_shared.bodies import route_input, served_routes
from mylm_shared.settings import ServiceSettings
from portal.app import create_app as create_portal
from portal.settings import PortalSettings
from portal.upstream import Upstreams

from infra.gateway import config
from infra.gateway.config import RATE_LIMITS, UPLOAD_ROUTES, Layout, Route, render
from infra.gateway.process import GatewayProcess, nginx_binary
from infra.k8s import generate
from infra.k8s.generate import gateway_routes, workloads
from infra.manifest import load
from testkit.fakes.portal import FakeBilling, FakeIdentity, InMemorySessions
from testkit.fakes.portal_claims import FakeClaims
from testkit.fakes.portal_inbox import FakeInbox
from testkit.fakes.portal_notify import FakeNotify
from testkit.fakes.portal_policy import FakePolicy
from testkit.services import create_app

MANIFEST = load()


def portal_app() -> FastAPI:
    """The member portal's app on the fakes of its ports (its routes are what counts)."""
    identity = FakeIdentity()
    services = Upstreams(
        identity=identity,
        billing=FakeBilling(identity),
        inbox=FakeInbox(identity),
        notify=FakeNotify(identity),
        policy=FakePolicy(identity),
        claims=FakeClaims(identity),
    )
    return create_portal(PortalSettings(), services=services, store=InMemorySessions())


@pytest.fixture(scope="module")
def apps() -> dict[str, FastAPI]:
    return {s.name: create_app(s, profile="test") for s in MANIFEST.services}


def _layout(tmp: Path) -> Layout:
    return Layout(
        upstreams={s.name: s.port for s in MANIFEST.services},
        runtime_dir=tmp / "run",
        log_dir=tmp / "logs",
        certificate=tmp / "tls" / "gateway.pem",
        key=tmp / "tls" / "gateway-key.pem",
    )


def test_the_gateway_routes_are_the_ingress_routes_are_the_manifests_services(
    tmp_path: Path,
) -> None:
    """Issue 20 item 1 / issue 21: one list (``gateway_routes()``): each service of
    services.toml at ``/api/<name>``, served by the gateway and the Ingress alike, with the
    same rewrite (the route's prefix taken off, the rest passed on)."""
    routes = gateway_routes()
    assert routes == {s.name: f"/api/{s.name}" for s in MANIFEST.services}
    ingress = generate.ingress(workloads())
    ingress_paths = [p["path"] for p in ingress["spec"]["rules"][0]["http"]["paths"]]
    assert ingress_paths == [f"{route}(/|$)(.*)" for route in routes.values()]
    text = render(_layout(tmp_path))
    prefixes = re.findall(r"^ {8}location (/api/[a-z]+)/ \{$", text, re.M)
    exact = re.findall(r"^ {8}location = (/api/[a-z]+) \{$", text, re.M)
    assert prefixes == exact == [*routes.values()] * 2  # the HTTP and the HTTPS listener
    for name, route in routes.items():
        upstream = re.search(rf"upstream svc_{name} \{{\s+server 127\.0\.0\.1:(\d+);", text)
        assert upstream is not None and int(upstream[1]) == MANIFEST[name].port
        # `proxy_pass http://svc/` in `location /api/<svc>/`: /api/<svc>/x → /x (= `/$2`)
        block = text[text.index(f"location {route}/ {{") :]
        assert re.search(rf"proxy_pass http://svc_{name}/;", block[: block.index("location ", 1)])


def test_the_upload_routes_are_exactly_the_routes_taking_files(apps: dict[str, FastAPI]) -> None:
    """Issue 20 item 1 / issue 15 item 5: the gateway lets the upload limit through where
    a service takes a file, and the JSON limit everywhere else, like the services."""
    defaults = ServiceSettings()
    found = set()
    for name, app in apps.items():
        for served in served_routes(app):
            limit = route_input(
                served.route,
                json_limit=defaults.max_json_body_bytes,
                upload_limit=defaults.max_upload_body_bytes,
            ).limit
            if limit == defaults.max_upload_body_bytes:
                found |= {Route(name, method, served.path) for method in served.methods}
    assert found == set(UPLOAD_ROUTES)
    at_the_gateway = (config.JSON_BODY_BYTES, config.UPLOAD_BODY_BYTES)
    assert at_the_gateway == (defaults.max_json_body_bytes, defaults.max_upload_body_bytes)


def test_the_rate_limited_routes_are_identitys_login_registration_code_and_reset_routes(
    apps: dict[str, FastAPI],
) -> None:
    """Issue 20 item 1: every rate-limited route is served by identity (a renamed route
    would otherwise leave the edge unguarded), and each kind of route has a budget."""
    served = {(method, s.path) for s in served_routes(apps["identity"]) for method in s.methods}
    routes = [r for limit in RATE_LIMITS for r in limit.routes]
    limited = {(r.method, r.path) for r in routes if r.service == "identity"}
    assert limited <= served, limited - served
    # issue 20 item 2: besides identity's, the portal's forms that log in, register,
    # confirm a code or ask for a reset (it calls identity from its own address)
    portal = {(r.method, r.path) for r in routes if r.service != "identity"}
    assert portal == {
        ("POST", "/login"),
        ("POST", "/register"),
        ("POST", "/csam/signup"),
        ("POST", "/register/confirm"),
        ("POST", "/reset/confirm"),
        ("POST", "/reset"),
    }
    assert {r.service for r in routes} == {"identity", "portal"}
    portal_forms = {(m, r.path) for r in served_routes(portal_app()) for m in r.methods}
    assert portal <= portal_forms, portal - portal_forms
    paths = {path for _, path in limited}
    assert "/v1/sessions" in paths and "/v1/registrations" in paths
    assert "/v1/password-resets" in paths
    assert {p for p in paths if p.endswith("/confirm")} == {
        "/v1/registrations/{registration_id}/confirm",
        "/v1/password-resets/{reset_id}/confirm",
    }


def test_a_route_pattern_matches_its_paths_only() -> None:
    route = Route("claims", "POST", "/v1/claims/{claim_id}/documents")
    pattern = re.compile(route.pattern("/api/claims"))
    assert pattern.match("/api/claims/v1/claims/c-1/documents")
    assert not pattern.match("/api/claims/v1/claims/c-1/x/documents")
    assert not pattern.match("/api/claims/v1/claims//documents")
    assert not pattern.match("/api/claimsx/v1/claims/c-1/documents")


def test_nginx_accepts_the_generated_configuration(tmp_path: Path) -> None:
    """The configuration ``make run`` and the tests start is valid for the installed
    nginx (Debian's, installed by infra/local/install.sh)."""
    assert nginx_binary() is not None, "nginx missing: make platform-install installs it"
    gateway = GatewayProcess(_layout(tmp_path))
    command = gateway.prepare()  # writes the certificate and runs `nginx -t`
    assert command[-1] == str(gateway.config_path)
    assert subprocess.run([*command, "-t", "-q"], check=False).returncode == 0


def test_everything_but_the_apis_goes_to_the_portal_with_its_login_limited(
    tmp_path: Path,
) -> None:
    """Issue 20 item 2: `/` is the member portal's (its own CSP, not the APIs' one); the
    portal's log-in form shares the login budget per client address."""
    text = render(_layout(tmp_path))
    assert re.search(r"upstream portal \{\s+server 127\.0\.0\.1:8010;", text)
    blocks = re.findall(r"^ {8}location / \{\n(.*?)^ {8}\}", text, re.M | re.S)
    assert len(blocks) == 2  # HTTP and HTTPS
    for block in blocks:
        assert "proxy_pass http://portal;" in block
        assert "proxy_set_header X-Forwarded-For $remote_addr;" in block
        assert "Content-Security-Policy" not in block
        # the portal's upload forms (claims, messages) pass what the services accept
        assert f"client_max_body_size {config.UPLOAD_BODY_BYTES};" in block
    # the Ingress agrees (issue 21): `/` → the portal, at the port the gateway uses
    ingress = generate.portal_ingress(generate.portal_workload())
    (path,) = ingress["spec"]["rules"][0]["http"]["paths"]
    assert path["path"] == "/"
    assert path["backend"]["service"]["name"] == generate.PORTAL.directory
    assert generate.PORTAL.port == config.PORTAL_PORT
    assert '"~^POST /login$" $binary_remote_addr;' in text
    # an unknown /api/… path stays the APIs' 404 problem, never the portal's page
    assert len(re.findall(r"^ {8}location /api/ \{\n {12}return 404;", text, re.M)) == 2
    none = render(replace(_layout(tmp_path), portal_port=None))
    assert "upstream portal" not in none
    assert re.search(r"^ {8}location / \{\n {12}return 404;", none, re.M)
