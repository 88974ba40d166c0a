"""Issue 15 item 2: a login lockout that holds under parallel attempts, and a client
address that only a configured trusted proxy can set; against the real FerretDB (and a
real uvicorn for the proxy headers)."""

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import identity.adapters.passwords as passwords_module
import pytest
import uvicorn
from fastapi import FastAPI
from identity.adapters.passwords import verify_password
from identity.adapters.throttle import AttemptLedger, Budget, Locked
from identity.bootstrap import create_app
from identity.service.context import IdentityContext
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.mongo import make_mongo_client
from mylm_shared.runner import uvicorn_config
from mylm_shared.service import use_cases_of

from testkit.apps import until_revocations_current
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification a login makes (the hash it was checked against)."""
    calls: list[str] = []
    lock = threading.Lock()

    def counting(password_hash: str | None, password: str) -> bool:
        with lock:
            calls.append(password_hash or "")
        return verify_password(password_hash, password)

    # Argon2Passwords (the Passwords port of the use cases) calls the module's function.
    monkeypatch.setattr(passwords_module, "verify_password", counting)
    return calls


@asynccontextmanager
async def in_process(
    platform: Endpoints, run_id: str, **overrides: Any
) -> AsyncIterator[tuple[FastAPI, Callable[[str], httpx.AsyncClient]]]:
    settings = IdentitySettings(
        **isolated(platform, run_id, "identity"),  # type: ignore[arg-type]
        seed_demo_data=True,
        **overrides,
    )
    app = create_app(settings)

    def client_from(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://service")

    async with app.router.lifespan_context(app):
        await until_revocations_current(app)
        yield app, client_from


def log_in(username: str, password: str) -> dict[str, str]:
    return {"username": username, "password": password}


async def test_issue15_item2_sixty_parallel_wrong_guesses_verify_at_most_five(
    platform: Endpoints, run_id: str, verifications: list[str]
) -> None:
    """Issue 15 item 2: an attempt is reserved before the password is verified, so 60
    parallel wrong guesses for one username get at most the 5 allowed verified; the
    rest are refused unverified with 429 + Retry-After, and so is the right password."""
    async with in_process(platform, run_id) as (app, client_from):
        clients = [client_from(f"198.51.100.{n + 1}") for n in range(60)]  # 60 addresses
        try:
            answers = await asyncio.gather(
                *(
                    c.post("/v1/sessions", json=log_in("demo.titular", f"wrong-{n}"))
                    for n, c in enumerate(clients)
                )
            )
        finally:
            for c in clients:
                await c.aclose()
        statuses = sorted(a.status_code for a in answers)
        assert len(verifications) <= 5
        assert statuses.count(401) == len(verifications)
        assert statuses.count(429) == 60 - len(verifications) >= 55
        for answer in answers:
            if answer.status_code == 429:
                assert answer.headers["content-type"] == "application/problem+json"
                assert 1 <= int(answer.headers["Retry-After"]) <= 900
        async with client_from("203.0.113.50") as owner:
            right = await owner.post("/v1/sessions", json=log_in("demo.titular", PASSWORD))
        assert right.status_code == 429
        assert len(verifications) <= 5
        context: IdentityContext = use_cases_of(app, IdentityUseCases).context
        assert context.throttle is not None
        assert await context.throttle.failures("demo.titular") == len(verifications)


async def test_issue15_item2_parallel_guesses_from_one_address_stop_at_its_budget(
    platform: Endpoints, run_id: str, verifications: list[str]
) -> None:
    """Issue 15 item 2: 60 parallel guesses from one address on 60 usernames: at most
    the address's 20 are verified, the rest 429; a right password gives its
    reservation back (it is not a failure)."""
    async with (
        in_process(platform, run_id) as (_, client_from),
        client_from("203.0.113.9") as guesser,
    ):
        ok = await guesser.post("/v1/sessions", json=log_in("demo.other", PASSWORD))
        assert ok.status_code == 200
        verifications.clear()
        answers = await asyncio.gather(
            *(guesser.post("/v1/sessions", json=log_in(f"user.{n}", "wrong")) for n in range(60))
        )
        statuses = [a.status_code for a in answers]
        assert len(verifications) == statuses.count(401) == 20  # the right one not counted
        assert statuses.count(429) == 40


@asynccontextmanager
async def uvicorn_serving(settings: IdentitySettings) -> AsyncIterator[str]:
    """identity-svc under a real uvicorn configured as ``mylm_shared.runner`` does."""
    app = create_app(settings)
    server = uvicorn.Server(uvicorn_config(app, settings))
    task = asyncio.create_task(server.serve())
    try:
        await eventually(
            lambda: asyncio.sleep(0, server.started), what="uvicorn started", within=60
        )
        port = server.servers[0].sockets[0].getsockname()[1]
        await until_revocations_current(app)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def failures_from_forwarded_addresses(base_url: str) -> list[int]:
    """Four wrong logins on four usernames, each claiming another X-Forwarded-For."""
    async with httpx.AsyncClient(base_url=base_url) as client:
        return [
            (
                await client.post(
                    "/v1/sessions",
                    json=log_in(f"someone.{n}", "wrong"),
                    headers={"X-Forwarded-For": f"192.0.2.{n + 1}"},
                )
            ).status_code
            for n in range(4)
        ]


async def test_issue15_item2_x_forwarded_for_is_ignored_without_a_trusted_proxy(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 item 2: with no FORWARDED_ALLOW_IPS (the default) the address counted is
    the socket's, whatever X-Forwarded-For claims, even from loopback: the address
    (limited to 3 here) is locked after 3 failures."""
    settings = IdentitySettings(
        **isolated(platform, run_id, "identity"),  # type: ignore[arg-type]
        port=0,
        login_failures_per_address=3,
    )
    assert settings.forwarded_allow_ips is None
    async with uvicorn_serving(settings) as base_url:
        assert await failures_from_forwarded_addresses(base_url) == [401, 401, 401, 429]


async def test_issue15_item2_x_forwarded_for_counts_behind_a_configured_proxy(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 item 2: with loopback configured as the trusted proxy, each forwarded
    address is counted on its own (none reaches its limit of 3)."""
    settings = IdentitySettings(
        **isolated(platform, run_id, "identity"),  # type: ignore[arg-type]
        port=0,
        login_failures_per_address=3,
        forwarded_allow_ips="127.0.0.1",
    )
    async with uvicorn_serving(settings) as base_url:
        assert await failures_from_forwarded_addresses(base_url) == [401, 401, 401, 401]


async def test_issue15_item2_budgets_slide_across_time_buckets(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 items 1, 2: a budget is a sliding window (each attempt counts for exactly
    one window), also across the store's time buckets; 20 parallel reservations take
    exactly the free slots (insert-only, FerretDB)."""
    window = timedelta(seconds=100)
    start = datetime.fromtimestamp(1_800_000_090, UTC)  # 90 s into a 100 s bucket
    now = [start]
    mongo = make_mongo_client(platform.mongodb_uri, "test")
    try:
        ledger = AttemptLedger(mongo[f"{run_id}_identity"], clock=lambda: now[0])
        budget = Budget(3, window)
        results = await asyncio.gather(
            *(ledger.reserve("k", budget) for _ in range(20)), return_exceptions=True
        )
        assert sum(isinstance(r, str) for r in results) == 3
        assert sum(isinstance(r, Locked) for r in results) == 17
        now[0] = start + timedelta(seconds=20)  # the next bucket: still within the window
        with pytest.raises(Locked) as locked:
            await ledger.reserve("k", budget)
        assert locked.value.retry_after == 80
        now[0] = start + timedelta(seconds=101)
        assert await ledger.used("k", budget) == 0
        slot = await ledger.reserve("k", budget)
        await ledger.reserve("k", budget)
        await ledger.release(await ledger.reserve_all([("k", budget)]))
        assert await ledger.used("k", budget) == 2
        assert slot.endswith("@1")
    finally:
        await mongo.close()
