"""LF-2 across services (issue 7 item 6): a suspended account's access tokens — its own
and those it exchanged for a dependant's dossier — are refused by billing-svc and
inbox-svc within 5 seconds, long before they expire; after a reactivation a new login
works everywhere. identity, billing, inbox and notify run as real processes; billing
and inbox verify tokens with identity's JWKS and read the revocations from Kafka."""

import time
from collections.abc import AsyncIterator

import httpx
import pytest
from identity.demo import TITULAR, demo_id
from mylm_shared.revocations import ACCOUNT_REFUSED

from testkit.polling import eventually
from testkit.slice import PASSWORD, Slice, User

pytestmark = pytest.mark.e2e

CHILD = demo_id("member/child")
REFUSAL_DEADLINE_SECONDS = 5.0


@pytest.fixture
async def jan(services: Slice, staff: User) -> AsyncIterator[User]:
    """demo.titular, logged in (``staff`` starts the services)."""
    user = await User.log_in(services, "demo.titular")
    yield user
    await user.aclose()


async def exchanged_for_child(services: Slice, jan: User) -> User:
    response = await jan.call("POST", "identity", f"/v1/me/dossiers/{CHILD}/token")
    assert response.status_code == 200, response.text
    return User(services, response.json()["access_token"])


def reads(member: str) -> list[tuple[str, str]]:
    """A member's invoices at billing-svc and documents at inbox-svc."""
    return [
        ("billing", f"/v1/members/{member}/invoices"),
        ("inbox", f"/v1/members/{member}/documents"),
    ]


async def refused_after(user: User, module: str, path: str, started: float) -> float:
    """Seconds from ``started`` until ``module`` answers 401 with the revocation."""

    async def status() -> httpx.Response:
        return await user.call("GET", module, path)

    refused = await eventually(
        status,
        until=lambda r: r.status_code == 401,
        within=REFUSAL_DEADLINE_SECONDS,
        interval=0.05,
        what=f"{module} refusing the suspended account's token",
    )
    assert refused.json()["detail"] == ACCOUNT_REFUSED
    return time.monotonic() - started


async def test_lf2_suspended_accounts_tokens_are_refused_by_billing_and_inbox_within_5s(
    services: Slice, staff: User, jan: User
) -> None:
    acting = await exchanged_for_child(services, jan)
    users = [(jan, TITULAR), (acting, CHILD)]
    for user, member in users:
        for module, path in reads(member):
            response = await user.call("GET", module, path)
            assert response.status_code == 200, (module, response.text)

    suspended = await staff.call(
        "POST", "identity", f"/v1/accounts/{TITULAR}/suspension", json={"reason": "system-security"}
    )
    assert suspended.status_code == 200, suspended.text
    started = time.monotonic()
    latencies = {
        f"{module} ({'acting' if user is acting else 'own'})": await refused_after(
            user, module, path, started
        )
        for user, member in users
        for module, path in reads(member)
    }
    print(f"refused after (s): { {k: round(v, 2) for k, v in latencies.items()} }")
    assert max(latencies.values()) < REFUSAL_DEADLINE_SECONDS
    # Only that account: staff's token still works at both services.
    for module, path in reads(TITULAR):
        assert (await staff.call("GET", module, path)).status_code == 200

    # A suspended account cannot log in (so cannot exchange either).
    async with httpx.AsyncClient(timeout=30) as http:
        login = await http.post(
            f"{services.url('identity')}/v1/sessions",
            json={"username": "demo.titular", "password": PASSWORD},
        )
    assert login.status_code == 401

    reactivated = await staff.call("DELETE", "identity", f"/v1/accounts/{TITULAR}/suspension")
    assert reactivated.status_code == 200, reactivated.text
    again = await User.log_in(services, "demo.titular")
    try:
        for module, path in reads(TITULAR):
            response = await again.call("GET", module, path)
            assert response.status_code == 200, (module, response.text)
        for module, path in reads(TITULAR):  # the token of before stays refused
            assert (await jan.call("GET", module, path)).status_code == 401
    finally:
        await again.aclose()
        await acting.aclose()
