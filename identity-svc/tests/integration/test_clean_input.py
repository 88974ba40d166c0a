"""Clean and bounded input at identity-svc against the real FerretDB (issue 15 item 5):
Schemathesis's finding (a username holding U+0000 reached FerretDB, whose PostgreSQL
backend cannot store it, and the login answered 500) is a 422 now, and bodies are
bounded before they are parsed."""

from collections.abc import AsyncIterator

import httpx
import pytest
from identity.bootstrap import create_app
from identity.settings import IdentitySettings

from testkit.apps import serving
from testkit.platform import Endpoints, isolated

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    async with serving(create_app(settings)) as client:
        yield client


def locations(response: httpx.Response) -> list[tuple[list[str], str]]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [(e["location"], e["type"]) for e in response.json()["errors"]]


@pytest.mark.parametrize("username", ["demo.titular\u0000", "\u0000", "demo\u001b[2J", "a\u0085"])
async def test_a_username_holding_a_control_character_is_a_422_not_a_500(
    identity: httpx.AsyncClient, username: str
) -> None:
    """Issue 15 item 5 (Schemathesis): the login refuses it before the store is asked;
    the real member still logs in afterwards (nothing was counted against them)."""
    response = await identity.post(
        "/v1/sessions", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 422, response.text
    assert locations(response) == [(["body", "username"], "control_character")]
    ok = await identity.post(
        "/v1/sessions", json={"username": "demo.titular", "password": PASSWORD}
    )
    assert ok.status_code == 200, ok.text


async def test_control_characters_in_every_text_of_a_request_are_named(
    identity: httpx.AsyncClient,
) -> None:
    """Issue 15 item 5: each offending field is named (a password too: never text the
    member could have typed)."""
    response = await identity.post(
        "/v1/sessions", json={"username": "jan\u0000", "password": "pw\u0007"}
    )
    assert response.status_code == 422
    assert sorted(locations(response)) == [
        (["body", "password"], "control_character"),
        (["body", "username"], "control_character"),
    ]


async def test_a_login_body_above_the_json_limit_is_a_413(identity: httpx.AsyncClient) -> None:
    """Issue 15 item 5: 256 KiB by default (MAX_JSON_BODY_BYTES), before JSON parsing."""
    big = b'{"username": "demo.titular", "password": "' + b"x" * (300 * 1024) + b'"}'
    response = await identity.post(
        "/v1/sessions", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
