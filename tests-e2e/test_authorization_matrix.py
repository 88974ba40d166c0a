"""The authorization matrix (issue 15 item 8; DOMAIN AC-1..AC-6, LF-2..LF-4): every route
of every service × {own member, other member, titular acting for a child < 18, titular
for a dependant >= 18 without grant, with grant, revoked minor, suspended account,
expired token, staff, service token} → the expected status of
``testkit/authz/expectations.py``.

The routes are enumerated from the six services' FastAPI apps; a route without a row
(or a row without a route) fails ``test_every_route_has_a_rule``, so a new route cannot
ship without its rule. The apps run in this process against the real Kafka and FerretDB,
one seeded world per module (``testkit/authz/world.py``): tokens are minted by
identity-svc (logins, token exchanges with ``act``), the dependant's revocation (AC-3)
and the suspension (LF-2) are the real ones, read from the bus by every service.
"""

import dataclasses
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from identity.demo import DEMO_PASSWORD
from mylm_shared.kernel.periods import belgian_today

from testkit.authz import expectations as x
from testkit.authz.expectations import MATRIX, PRINCIPALS, Rule
from testkit.authz.routes import enumerate_routes
from testkit.authz.world import (
    IBAN,
    OTHER_IBAN,
    PNG,
    SERVICES,
    Principal,
    Target,
    World,
    build_apps,
    household,
    running,
    seed,
)
from testkit.platform import Endpoints, endpoints, remove_run

pytestmark = pytest.mark.e2e

# The rows that end the caller's sessions run last, each with a fresh token, in an
# order where no principal's account is ended before a later row needs it.
LAST_ORDER = (
    x.CHILD,
    x.GRANTED,
    x.REVOKED,
    x.SUSPENDED,
    x.EXPIRED,
    x.SERVICE,
    x.NO_GRANT,
    x.OTHER,
    x.STAFF,
    x.OWN,
)


def matrix_rows() -> list[tuple[str, str]]:
    routes = [(key, rule) for key, rule in MATRIX.items() if not rule.public]
    first = [(k, p) for k, rule in routes if not rule.ends_sessions for p in PRINCIPALS]
    last = [(k, p) for k, rule in routes if rule.ends_sessions for p in LAST_ORDER]
    return first + last


def test_every_route_has_a_rule() -> None:
    """Issue 15 item 8: the enumerated routes of the six services and the rows of the
    matrix are the same set, and every row names every principal (or is public)."""
    apps = build_apps(endpoints(), "collect")
    enumerated = {f"{name} {route}" for name in SERVICES for route in enumerate_routes(apps[name])}
    without_rule = sorted(enumerated - MATRIX.keys())
    without_route = sorted(MATRIX.keys() - enumerated)
    assert not without_rule, f"routes without an authorization rule: {without_rule}"
    assert not without_route, f"rules for routes that do not exist: {without_route}"
    incomplete = [
        k for k, rule in MATRIX.items() if not rule.public and set(rule.expect) != set(PRINCIPALS)
    ]
    assert not incomplete, f"rows missing a principal: {incomplete}"


@pytest.fixture(scope="module")
async def world(platform: Endpoints) -> AsyncIterator[World]:
    run = f"t{uuid.uuid4().hex[:10]}"
    apps = build_apps(platform, run)
    try:
        async with running(apps) as clients:
            yield await seed(apps, clients, run)
    finally:
        await remove_run(platform, run)


def body_for(rule: Rule, principal: Principal, world: World) -> dict[str, Any]:
    """A valid body (the checks that follow the caller's must see a real request)."""
    target = principal.target
    today = belgian_today().isoformat()
    family = world.principals[x.OWN].target.policy_id
    match rule.body:
        case None:
            return {}
        case "dossier_access":
            return {"json": {"titular_may_access": True}}
        case "password_change":
            return {"json": {"current_password": DEMO_PASSWORD, "new_password": "short"}}
        case "household":
            return {"json": household() if target.policy_id == family else {"persons": []}}
        case "objection":
            return {
                "json": {"by": "policyholder", "posted_on": today, "channel": "registered_letter"}
            }
        case "termination":
            notice = {"by": "policyholder", "ground": "after_claim", "notified_on": today}
            return {"json": {**notice, "channel": "registered_letter"}}
        case "amendment":
            return {"json": {"kind": "reduction", "formula": "family", "occurred_on": today}}
        case "declaration":
            declaration = {
                "member_id": principal.claimant,
                "policy_id": target.policy_id,
                "cover": "accident",
                "event_date": today,
                "facts": {"country": "BE"},
            }
            return {"json": declaration, "headers": {"Idempotency-Key": str(uuid.uuid4())}}
        case "evidence":
            return {"files": {"file": ("evidence.png", PNG, "image/png")}}
        case "acceptance":
            return {"json": {"iban": IBAN}}
        case "payout_account":
            return {"json": {"iban": OTHER_IBAN}}
        case "einvoicing" | "inbox_settings":
            return {"json": {"enabled": True}}
        case "message":  # ES-1 (issue 19 item 3): an unsigned message
            return {
                "data": {"subject": "authz"},
                "files": {"content": ("message.txt", b"hello", "text/plain")},
            }
        case "signing_block":  # ES-3: not blocked (nothing changes for later rows)
            return {"json": {"blocked": False}}
    raise AssertionError(f"unknown body {rule.body}")


def path_for(path: str, rule: Rule, principal: Principal) -> str:
    target = principal.target
    values = {
        "member_id": target.member_id,
        "invoice_id": target.invoice_id,
        "policy_id": target.policy_id,
        "amendment_id": target.amendment_id,
        "claim_id": target.settled_claim_id if rule.settled_claim else target.claim_id,
        "document_id": target.inbox_document_id if rule.inbox_document else target.document_id,
        "offer_id": target.offer_id,
        "payout_id": target.payout_id,
        "message_id": target.message_id,
    }
    return path.format(**values)


@pytest.mark.parametrize(
    ("route", "principal"), matrix_rows(), ids=[f"{r} as {p}" for r, p in matrix_rows()]
)
async def test_route_answers_the_principal_as_its_rule_says(
    route: str, principal: str, world: World
) -> None:
    """Issue 15 item 8, AC-1..AC-6, LF-2: the status of ``route`` for ``principal``."""
    rule = MATRIX[route]
    service, method, path = route.split(" ", 2)
    caller = world.principals[principal]
    headers = caller.headers
    if rule.as_titular and caller.titular is not None:
        headers = caller.titular
    if (rule.ends_sessions or rule.fresh_login) and caller.fresh is not None:
        headers = await caller.fresh()
    request = body_for(rule, caller, world)
    request["headers"] = {**headers, **request.get("headers", {})}
    response = await world.clients[service].request(method, path_for(path, rule, caller), **request)
    expected = rule.expect[principal]
    allowed = expected if isinstance(expected, frozenset) else frozenset({expected})
    assert response.status_code in allowed, (
        f"{route} as {principal}: expected {sorted(allowed)} ({rule.why}), "
        f"got {response.status_code}: {response.text[:300]}"
    )
    if principal == x.OTHER and ("{" in path or rule.body == "declaration"):
        await answers_as_for_nothing(route, rule, caller, headers, world, response)


async def answers_as_for_nothing(
    route: str,
    rule: Rule,
    caller: Principal,
    headers: dict[str, str],
    world: World,
    answer: httpx.Response,
) -> None:
    """Nothing leaks (Auth; issue 15 item 3): another member's resource answers exactly
    as one that does not exist (same status, same problem detail)."""
    service, method, path = route.split(" ", 2)
    nobody = Target(**{name: str(uuid.uuid4()) for name in Target.__dataclass_fields__})
    ghost = dataclasses.replace(caller, target=nobody)
    request = body_for(rule, ghost, world)
    request["headers"] = {**headers, **request.get("headers", {})}
    unknown = await world.clients[service].request(method, path_for(path, rule, ghost), **request)
    seen = (answer.status_code, answer.json().get("detail"))
    assert (unknown.status_code, unknown.json().get("detail")) == seen, (
        f"{route}: another member's resource answers {seen}, a missing one "
        f"{unknown.status_code} {unknown.text[:200]}"
    )


def public_routes() -> list[str]:
    return [key for key, rule in MATRIX.items() if rule.public]


@pytest.mark.parametrize("route", public_routes())
async def test_a_public_route_answers_without_a_token(route: str, world: World) -> None:
    """Issue 15 item 8: the rows marked public are public: without a token, no 401/403
    (an empty body answers 422; the OAuth token route's 401 is its client
    authentication, RFC 6749 §5.2, and its 400 a missing grant)."""
    service, method, path = route.split(" ", 2)
    path = re.sub(r"\{[a-z_]+\}", "unknown", path)
    request: dict[str, Any] = {"json": {}} if method == "POST" else {}
    response = await world.clients[service].request(method, path, **request)
    refused = {403} if route == "identity POST /v1/oauth/token" else {401, 403}
    assert response.status_code not in refused, f"{route}: {response.status_code} {response.text}"
