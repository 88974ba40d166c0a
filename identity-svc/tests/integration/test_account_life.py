"""Account life (issue 7 item 6; LF-1..LF-5) on identity-svc against the real FerretDB
and Kafka: staff suspend, reactivate and end accounts, the user reads the reason and
reports compromised credentials, everything is in the member's audit trail and on
``account.status_changed``. (Refusal by billing-svc and inbox-svc: tests-e2e.)"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from identity.bootstrap import create_app
from identity.demo import TITULAR, demo_id
from identity.domain.accounts import SUSPENSION_REASONS
from identity.service.context import IdentityContext
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.events import ACCOUNT_STATUS_CHANGED, CloudEvent
from mylm_shared.revocations import ACCOUNT_REFUSED
from mylm_shared.service import use_cases_of

from testkit.apps import until_revocations_current
from testkit.kafka import read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"
OTHER = demo_id("member/other")
LETTER = "Brief van 20 november: ik zeg My LM op (art. 6.1)."


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[FastAPI]:
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await until_revocations_current(app)  # tokens are answered 503 until then
        yield app


@pytest.fixture
async def client(identity: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=identity, client=("192.0.2.44", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://identity") as http:
        yield http


def context_of(app: FastAPI) -> IdentityContext:
    context: IdentityContext = use_cases_of(app, IdentityUseCases).context
    return context


async def session(client: httpx.AsyncClient, username: str) -> dict[str, Any]:
    response = await client.post("/v1/sessions", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def suspend(
    client: httpx.AsyncClient, staff: dict[str, Any], member_id: str, reason: str
) -> httpx.Response:
    return await client.post(
        f"/v1/accounts/{member_id}/suspension", json={"reason": reason}, headers=bearer(staff)
    )


async def refused_within(client: httpx.AsyncClient, tokens: dict[str, Any], seconds: float) -> None:
    """identity's own revocation list refuses the token (LF-2..LF-4)."""

    async def me() -> int:
        return (await client.get("/v1/me", headers=bearer(tokens))).status_code

    await eventually(me, until=lambda status: status == 401, within=seconds, what="refused")
    refused = await client.get("/v1/me", headers=bearer(tokens))
    assert refused.json()["detail"] == ACCOUNT_REFUSED  # by the revocation list


async def actions(app: FastAPI, member_id: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    entries = await context_of(app).audit.entries(member_id)
    return [(e.operation.action, e.operation.by, e.operation.details) for e in entries]


async def test_lf2_suspension_refuses_login_refresh_and_the_old_tokens(
    identity: FastAPI, client: httpx.AsyncClient, platform: Endpoints, run_id: str
) -> None:
    staff = await session(client, "demo.staff")
    jan = await session(client, "demo.titular")
    assert (await client.get("/v1/me", headers=bearer(jan))).status_code == 200

    response = await suspend(client, staff, TITULAR, "fraud-indication")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["reason"]) == ("suspended", "fraud-indication")

    await refused_within(client, jan, 5)  # identity's own revocation list
    login = await client.post(
        "/v1/sessions", json={"username": "demo.titular", "password": PASSWORD}
    )
    assert login.status_code == 401
    again = await client.post("/v1/sessions/refresh", json={"refresh_token": jan["refresh_token"]})
    assert again.status_code == 401

    # On the bus for every service: the status, the reason, the instant tokens end.
    records = await eventually(
        lambda: read_all(platform.kafka_bootstrap_servers, f"{run_id}.account.status_changed"),
        what="account.status_changed published",
    )
    events = [CloudEvent.model_validate_json(r.value or b"") for r in records]
    suspended = [ACCOUNT_STATUS_CHANGED.parse(e) for e in events]
    assert [(s.member_id, s.status, s.reason) for s in suspended] == [
        (TITULAR, "suspended", "fraud-indication")
    ]
    assert suspended[0].tokens_invalid_before is not None
    metrics = (await client.get("/metrics")).text
    assert 'mylm_revocations_known{kind="accounts"} 1.0' in metrics
    assert "mylm_revocations_ready 1.0" in metrics

    # LF-5: in the member's trail, by the staff account.
    staff_account = (await client.get("/v1/me", headers=bearer(staff))).json()["account_id"]
    assert ("account.suspended", staff_account, {"reason": "fraud-indication"}) in (
        await actions(identity, TITULAR)
    )


async def test_lf2_reactivation_lets_a_new_login_work_in_the_same_second(
    identity: FastAPI, client: httpx.AsyncClient
) -> None:
    """The new token's ``iat`` (milliseconds) is after the suspension's instant: it works
    at once, while the token of before stays refused."""
    staff = await session(client, "demo.staff")
    jan = await session(client, "demo.titular")
    assert (await suspend(client, staff, TITULAR, "maintenance")).status_code == 200
    await refused_within(client, jan, 5)
    reactivated = await client.delete(f"/v1/accounts/{TITULAR}/suspension", headers=bearer(staff))
    assert reactivated.status_code == 200, reactivated.text
    assert (reactivated.json()["status"], reactivated.json()["reason"]) == ("active", None)

    fresh = await session(client, "demo.titular")
    assert (await client.get("/v1/me", headers=bearer(fresh))).status_code == 200
    assert (await client.get("/v1/me", headers=bearer(jan))).status_code == 401
    old_refresh = await client.post(
        "/v1/sessions/refresh", json={"refresh_token": jan["refresh_token"]}
    )
    assert old_refresh.status_code == 401  # the sessions of before do not come back
    assert [a for a, _, _ in await actions(identity, TITULAR) if a.startswith("account.")] == [
        "account.suspended",
        "account.reactivated",
    ]


async def test_lf1_lf3_termination_records_the_letter_and_the_user_reads_it(
    identity: FastAPI, client: httpx.AsyncClient
) -> None:
    staff = await session(client, "demo.staff")
    marie = await session(client, "demo.other")
    ended = await client.post(
        f"/v1/accounts/{OTHER}/termination", json={"reason": LETTER}, headers=bearer(staff)
    )
    assert ended.status_code == 200, ended.text
    await refused_within(client, marie, 5)

    # LF-3 with the token refused everywhere else …
    status = await client.get("/v1/me/status", headers=bearer(marie))
    assert status.status_code == 200, status.text
    assert (status.json()["status"], status.json()["reason"]) == ("ended", LETTER)
    # … and with the password once no token is left (login itself is refused).
    login = await client.post("/v1/sessions", json={"username": "demo.other", "password": PASSWORD})
    assert login.status_code == 401
    by_password = await client.post(
        "/v1/me/status", json={"username": "demo.other", "password": PASSWORD}
    )
    assert by_password.status_code == 200, by_password.text
    assert by_password.json()["reason"] == LETTER
    wrong = await client.post(
        "/v1/me/status", json={"username": "demo.other", "password": "not-the-password"}
    )
    unknown = await client.post(
        "/v1/me/status", json={"username": "nobody.here", "password": "not-the-password"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]

    assert ("account.ended", {"reason": LETTER}) in [
        (a, d) for a, _, d in await actions(identity, OTHER)
    ]
    # An ended account is neither suspended nor reactivated, nor ended twice.
    for response in (
        await suspend(client, staff, OTHER, "maintenance"),
        await client.delete(f"/v1/accounts/{OTHER}/suspension", headers=bearer(staff)),
        await client.post(
            f"/v1/accounts/{OTHER}/termination", json={"reason": LETTER}, headers=bearer(staff)
        ),
    ):
        assert response.status_code == 409, response.text
        assert response.headers["content-type"] == "application/problem+json"


async def test_lf4_report_compromise_ends_every_session_and_forces_a_reset(
    identity: FastAPI, client: httpx.AsyncClient
) -> None:
    first, second = await session(client, "demo.titular"), await session(client, "demo.titular")
    reported = await client.post("/v1/me/compromised", headers=bearer(first))
    assert reported.status_code == 200, reported.text
    assert reported.json()["password_reset_required"] is True
    assert reported.json()["status"] == "active"

    for tokens in (first, second):
        await refused_within(client, tokens, 5)
        spent = await client.post(
            "/v1/sessions/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert spent.status_code == 401
    login = await client.post(
        "/v1/sessions", json={"username": "demo.titular", "password": PASSWORD}
    )
    assert login.status_code == 403  # the right password, but a reset through a code first
    status = await client.get("/v1/me/status", headers=bearer(first))
    assert status.json()["password_reset_required"] is True  # LF-3: partly refused, why
    assert "account.compromise_reported" in [a for a, _, _ in await actions(identity, TITULAR)]
    account = await context_of(identity).account_of_member(TITULAR)
    assert account is not None and account.password_reset_required


async def test_staff_only_unknown_member_and_lf2_reasons(client: httpx.AsyncClient) -> None:
    staff = await session(client, "demo.staff")
    member = await session(client, "demo.other")
    as_member = await suspend(client, member, TITULAR, "maintenance")
    assert as_member.status_code == 403
    for path in (f"/v1/accounts/{TITULAR}/suspension", f"/v1/accounts/{TITULAR}/termination"):
        assert (await client.post(path, json={"reason": "x"})).status_code == 401
    as_member_delete = await client.delete(
        f"/v1/accounts/{TITULAR}/suspension", headers=bearer(member)
    )
    assert as_member_delete.status_code == 403

    unknown = await suspend(client, staff, "no-such-member", "maintenance")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    child_without_account = await suspend(client, staff, demo_id("member/child"), "maintenance")
    assert child_without_account.status_code == 404

    bad = await suspend(client, staff, TITULAR, "looks-suspicious")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    message = bad.json()["errors"][0]["message"]
    assert all(reason in message for reason in SUSPENSION_REASONS)
    # Nothing changed.
    assert (await client.get("/v1/me/status", headers=bearer(member))).json()["status"] == "active"
    not_suspended = await client.delete(f"/v1/accounts/{TITULAR}/suspension", headers=bearer(staff))
    assert not_suspended.status_code == 409


async def test_the_openapi_documents_every_answer(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    suspension = paths["/v1/accounts/{member_id}/suspension"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(suspension["post"]["responses"])
    assert {"200", "401", "403", "404", "409"} <= set(suspension["delete"]["responses"])
    assert set(paths["/v1/me/status"]) == {"get", "post"}
    assert "429" in paths["/v1/me/status"]["post"]["responses"]
    assert {"200", "401", "403"} <= set(paths["/v1/me/compromised"]["post"]["responses"])
