"""Issue 15 item 1: one-time codes (RG-2) that cannot be brute-forced by asking for new
codes, against the real FerretDB, Kafka and Mailpit. Codes are read where the member
reads them (Mailpit); the attacker only sees the HTTP answers."""

import asyncio
import random
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from identity.adapters.codes_store import CodeStore
from identity.bootstrap import create_app
from identity.domain.codes import CodeRequest
from identity.service.context import IdentityContext
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.service import use_cases_of

from testkit.apps import until_revocations_current
from testkit.mailpit import Mailpit
from testkit.people import new_member
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

DEMO_PASSWORD = "Demo-Passw0rd!"
PASSWORD = "Lantern-Orchard-Quiet-4817"
NEW_PASSWORD = "Harbour-Pebble-Violet-9023"
TERMS = "2024-01"


class MovableClock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class Person:
    member_id: str
    member_number: str
    email: str


@dataclass
class Env:
    app: FastAPI
    clock: MovableClock
    mailpit: Mailpit
    run_id: str
    client: httpx.AsyncClient  # the member's own address
    client_from: Callable[[str], httpx.AsyncClient]
    compared: list[CodeRequest]  # every guess actually compared with a code

    @property
    def context(self) -> IdentityContext:
        context: IdentityContext = use_cases_of(self.app, IdentityUseCases).context
        return context

    async def person(self) -> Person:
        staff = await self.client.post(
            "/v1/sessions", json={"username": "demo.staff", "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {staff.json()['access_token']}"}
        body = new_member(f"p{random.randrange(10**8):08d}@{self.run_id}.example.org")
        created = await self.client.post("/v1/members", json=body, headers=headers)
        assert created.status_code == 201, created.text
        return Person(created.json()["member_id"], body["member_number"], body["email"])

    async def code_sent_to(self, address: str, count: int) -> str:
        """The newest code of the ``count`` messages to ``address``."""
        found = await eventually(
            lambda: self.mailpit.messages_to(address),
            until=lambda messages: len(messages) >= count,
            what=f"{count} message(s) to {address}",
        )
        text = (await self.mailpit.message(found[0]["ID"]))["Text"]
        codes = re.findall(r"\b\d{6}\b", text)
        assert len(codes) == 1, text
        return str(codes[0])

    async def drained(self) -> None:
        assert self.context.codes is not None
        await self.context.code_delivery.drain()


@asynccontextmanager
async def started(platform: Endpoints, run_id: str, **overrides: Any) -> AsyncIterator[Env]:
    settings = IdentitySettings(
        **isolated(platform, run_id, "identity"),  # type: ignore[arg-type]
        seed_demo_data=True,
        **overrides,
    )
    clock = MovableClock()
    app = create_app(settings, clock=clock)
    compared: list[CodeRequest] = []
    mailpit = Mailpit(platform.mailpit_api)

    def client_from(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://service")

    async with app.router.lifespan_context(app), client_from("192.0.2.10") as client:
        await until_revocations_current(app)
        env = Env(app, clock, mailpit, run_id, client, client_from, compared)
        yield env
        await env.drained()
    await mailpit.aclose()


@pytest.fixture
def counted_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[CodeRequest]:
    """Every call of the one place a guess is compared with a code."""
    calls: list[CodeRequest] = []
    original = CodeStore._matches

    def counting(self: CodeStore, request: CodeRequest, code: str) -> bool:
        calls.append(request)
        return original(self, request, code)

    monkeypatch.setattr(CodeStore, "_matches", counting)
    return calls


async def request_reset(client: httpx.AsyncClient, identifier: str) -> httpx.Response:
    return await client.post(
        "/v1/password-resets", json={"identifier": identifier, "channel": "email"}
    )


async def confirm_reset(
    client: httpx.AsyncClient, reset_id: str, code: str, password: str = NEW_PASSWORD
) -> httpx.Response:
    return await client.post(
        f"/v1/password-resets/{reset_id}/confirm", json={"code": code, "new_password": password}
    )


async def register(env: Env, person: Person, username: str) -> None:
    started_ = await env.client.post(
        "/v1/registrations", json={"identifier": person.member_number, "channel": "email"}
    )
    assert started_.status_code == 202, started_.text
    code = await env.code_sent_to(person.email, 1)
    opened = await env.client.post(
        f"/v1/registrations/{started_.json()['registration_id']}/confirm",
        json={
            "code": code,
            "username": username,
            "password": PASSWORD,
            "accept_terms": True,
            "terms_version": TERMS,
        },
    )
    assert opened.status_code == 201, opened.text


def assert_throttled(answer: httpx.Response) -> None:
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["Retry-After"]) >= 1


async def test_issue15_item1_an_attacker_with_unlimited_new_codes_never_gets_in(
    platform: Endpoints, run_id: str, counted_comparisons: list[CodeRequest]
) -> None:
    """Issue 15 item 1 (RG-2, LF-4): an attacker asks for a new reset code again and
    again, from a new address each time, and guesses codes drawn over the whole 6-digit
    space. Across all those codes only the budget of guesses (10 per member and purpose
    per 24 h) is ever compared; every later guess is refused unevaluated (429), and the
    member, with the code actually delivered, resets the password once the window has
    passed."""
    async with started(platform, run_id) as env:
        person = await env.person()
        await register(env, person, "victim.user")
        counted_comparisons.clear()
        space = random.sample(range(10**6), 400)
        answers: list[int] = []
        for round_ in range(60):
            async with env.client_from(f"198.51.{round_ // 250}.{round_ % 250 + 1}") as attacker:
                started_ = await request_reset(attacker, person.member_number)
                assert started_.status_code == 202, started_.text  # unlimited re-requests
                reset_id = started_.json()["reset_id"]
                for _ in range(5):
                    answer = await confirm_reset(attacker, reset_id, f"{space.pop():06d}")
                    answers.append(answer.status_code)
                    assert answer.status_code != 204, "the attacker got in"
                    if answer.status_code == 429:
                        assert_throttled(answer)
                        break
                    if answer.status_code == 410:
                        break
        attacks = [r for r in counted_comparisons if r.purpose == "password-reset"]
        assert len(attacks) == 10  # exactly the budget was compared, across codes
        assert answers.count(429) >= 55  # every later round was refused unevaluated
        assert 204 not in answers

        # At most 5 codes an hour reached the member (1 registration + 4 resets), and
        # none after the budget was spent: the requests beyond it hold no live code.
        await env.drained()
        sent = len(await env.mailpit.messages_to(person.email))
        assert sent <= 5

        # The member's own attempt is refused too while the budget is spent …
        started_ = await request_reset(env.client, person.member_number)
        assert_throttled(await confirm_reset(env.client, started_.json()["reset_id"], "000000"))
        # … and once the window has passed, the delivered code resets the password.
        env.clock.offset = timedelta(hours=24, minutes=1)
        started_ = await request_reset(env.client, "victim.user")
        assert started_.status_code == 202
        code = await env.code_sent_to(person.email, sent + 1)
        done = await confirm_reset(env.client, started_.json()["reset_id"], code)
        assert done.status_code == 204, done.text
        login = await env.client.post(
            "/v1/sessions", json={"username": "victim.user", "password": NEW_PASSWORD}
        )
        assert login.status_code == 200, login.text


async def test_issue15_item1_the_member_gets_in_while_an_attacker_is_guessing(
    platform: Endpoints, run_id: str, counted_comparisons: list[CodeRequest]
) -> None:
    """Issue 15 item 1: while the budget lasts, the member's newest code (delivered by
    e-mail) works, typo and all; the member's new code ends the attacker's codes, whose
    further guesses are not even compared."""
    async with started(platform, run_id) as env:
        person = await env.person()
        await register(env, person, "busy.member")
        counted_comparisons.clear()
        pending = ""
        for round_ in range(2):
            async with env.client_from(f"203.0.113.{round_ + 1}") as attacker:
                pending = (await request_reset(attacker, person.member_number)).json()["reset_id"]
                for guess in random.sample(range(10**6), 4):
                    answer = await confirm_reset(attacker, pending, f"{guess:06d}")
                    assert answer.status_code == 422, answer.text
        assert len(counted_comparisons) == 8

        mine = (await request_reset(env.client, "busy.member")).json()["reset_id"]
        code = await env.code_sent_to(person.email, 4)  # registration + 2 attacks + mine
        async with env.client_from("203.0.113.3") as attacker:
            ended = await confirm_reset(attacker, pending, "123456")
        assert ended.status_code == 410
        assert ended.json()["reason"] == "superseded"
        assert len(counted_comparisons) == 8  # not compared

        typo = f"{(int(code) + 1) % 10**6:06d}"
        assert (await confirm_reset(env.client, mine, typo)).status_code == 422
        done = await confirm_reset(env.client, mine, code)
        assert done.status_code == 204, done.text
        assert len(counted_comparisons) == 10


async def test_issue15_item1_beyond_the_budget_even_the_right_code_is_not_compared(
    platform: Endpoints, run_id: str, counted_comparisons: list[CodeRequest]
) -> None:
    """Issue 15 item 1: the guess is reserved before the code is compared, so once the
    budget is spent a right guess is refused like any other (no oracle)."""
    async with started(platform, run_id, code_guesses_per_identifier=3) as env:
        person = await env.person()
        started_ = await env.client.post(
            "/v1/registrations", json={"identifier": person.member_number, "channel": "email"}
        )
        registration_id = started_.json()["registration_id"]
        code = await env.code_sent_to(person.email, 1)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        confirm = f"/v1/registrations/{registration_id}/confirm"
        body = {
            "username": "late.member",
            "password": PASSWORD,
            "accept_terms": True,
            "terms_version": TERMS,
        }
        for _ in range(3):
            answer = await env.client.post(confirm, json={**body, "code": wrong})
            assert answer.status_code == 422
        assert_throttled(await env.client.post(confirm, json={**body, "code": code}))
        assert len(counted_comparisons) == 3


async def test_issue15_item1_one_address_is_limited_across_identifiers(
    platform: Endpoints, run_id: str, counted_comparisons: list[CodeRequest]
) -> None:
    """Issue 15 item 1: one address guessing codes for many identifiers gets at most the
    per-address budget (30 a day) compared, whatever the per-identifier budgets."""
    async with started(platform, run_id) as env, env.client_from("198.51.100.77") as guesser:
        answers = []
        for n in range(7):
            started_ = await guesser.post(
                "/v1/registrations", json={"identifier": f"T-{run_id}-{n}", "channel": "email"}
            )
            assert started_.status_code == 202
            registration_id = started_.json()["registration_id"]
            for guess in random.sample(range(10**6), 5):
                answer = await guesser.post(
                    f"/v1/registrations/{registration_id}/confirm",
                    json={
                        "code": f"{guess:06d}",
                        "username": f"someone.{n}",
                        "password": PASSWORD,
                        "accept_terms": True,
                        "terms_version": TERMS,
                    },
                )
                answers.append(answer.status_code)
        assert len(counted_comparisons) == 30
        assert answers.count(429) == 5
        assert 201 not in answers


async def test_issue15_item1_code_routes_are_throttled_per_address(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 item 1: at most 20 code requests an hour from one address (429 +
    Retry-After, problem+json), another address is not affected."""
    async with started(platform, run_id) as env, env.client_from("198.51.100.88") as flooder:
        for n in range(20):
            answer = await request_reset(flooder, f"nobody.{n}")
            assert answer.status_code == 202, answer.text
        assert_throttled(await request_reset(flooder, "nobody.more"))
        assert (await request_reset(env.client, "nobody.more")).status_code == 202
        paths = (await env.client.get("/openapi.json")).json()["paths"]
        for path in ("/v1/password-resets", "/v1/registrations/{registration_id}/confirm"):
            documented = paths[path]["post"]["responses"]["429"]
            assert documented["headers"]["Retry-After"]["required"] is True


async def test_issue15_item1_a_request_beyond_the_cap_holds_no_live_code_and_ends_older(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 item 1 (RG-2): a new code ends the earlier ones of the same purpose and
    member; a request beyond the contact's hourly cap is answered the same but stores
    no live code (nothing was sent, nothing can match)."""
    async with started(platform, run_id) as env:
        person = await env.person()
        ids = []
        for _ in range(6):
            answer = await env.client.post(
                "/v1/registrations", json={"identifier": person.member_number, "channel": "email"}
            )
            assert answer.status_code == 202
            ids.append(answer.json()["registration_id"])
        assert env.context.codes is not None
        store = env.context.codes
        stored = [await store.get(i, "registration") for i in ids]
        assert [s.live for s in stored if s] == [True] * 5 + [False]
        await env.drained()
        assert len(await env.mailpit.messages_to(person.email)) == 5

        fifth = await env.code_sent_to(person.email, 5)  # the newest delivered
        refused = await env.client.post(
            f"/v1/registrations/{ids[4]}/confirm",
            json={
                "code": fifth,
                "username": "ended.code",
                "password": PASSWORD,
                "accept_terms": True,
                "terms_version": TERMS,
            },
        )
        assert refused.status_code == 410  # the sixth request ended it
        assert refused.json()["reason"] == "superseded"


async def test_issue15_item1_confirming_checks_the_code_before_anything_it_could_reveal(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 item 1 (RG-1, RG-3): without the right code the confirm routes say
    nothing about usernames (taken or not) or the account's username (through the
    password policy): a wrong code is just a wrong code."""
    async with started(platform, run_id) as env:
        person = await env.person()
        real = await env.client.post(
            "/v1/registrations", json={"identifier": person.member_number, "channel": "email"}
        )
        decoy = await env.client.post(
            "/v1/registrations", json={"identifier": f"T-{run_id}", "channel": "email"}
        )
        for started_ in (real, decoy):
            answer = await env.client.post(
                f"/v1/registrations/{started_.json()['registration_id']}/confirm",
                json={
                    "code": "000000",
                    "username": "Demo.Titular",  # taken
                    "password": PASSWORD,
                    "accept_terms": True,
                    "terms_version": TERMS,
                },
            )
            assert answer.status_code == 422, answer.text
            assert answer.json()["reason"] == "wrong-code"
        reset = await request_reset(env.client, "demo.titular")
        # A new password holding the username would be refused (policy), but only after
        # the code: a wrong code does not tell the account's username.
        answer = await confirm_reset(
            env.client, reset.json()["reset_id"], "000000", "demo.titular-Quiet-4817"
        )
        assert answer.status_code == 422
        assert answer.json()["reason"] == "wrong-code"
        assert "errors" not in answer.json()


async def test_issue15_decoy_masks_are_drawn_from_real_masks(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 (smaller; RG-1): the stand-in shown for an identifier that finds nobody
    is one of the masks real members are shown (their domains, their shapes), and the
    same every time it is asked."""
    async with started(platform, run_id) as env:
        people = [await env.person() for _ in range(3)]
        real = set()
        for person in people:
            answer = await env.client.post(
                "/v1/registrations", json={"identifier": person.member_number, "channel": "email"}
            )
            real.add(answer.json()["sent_to"])
        await env.drained()
        assert all(f"@{run_id}.example.org" in mask for mask in real)

        async def decoy(identifier: str) -> str:
            answer = await env.client.post(
                "/v1/registrations", json={"identifier": identifier, "channel": "email"}
            )
            assert answer.status_code == 202
            return str(answer.json()["sent_to"])

        decoys = await asyncio.gather(*(decoy(f"X-{run_id}-{n}") for n in range(8)))
        assert set(decoys) <= real  # not one generated shape
        assert await decoy(f"X-{run_id}-0") == decoys[0]
