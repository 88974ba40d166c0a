"""Dossier access (AC-1..AC-6) against the real FerretDB and Kafka: the titular's list,
the RFC 8693-style token exchange, a minor's revocation (AC-3), an adult's grant (AC-5),
and the 18th birthday (AC-6) with an injectable clock; access.changed on Kafka. The list
shows each dependant's dossier not open with the reason, AC-3 or AC-4 (issue 20 item 2)."""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from identity.bootstrap import create_app
from identity.demo import TITULAR, demo_id
from identity.domain.dossiers import start_of
from identity.domain.members import eighteenth_birthday
from identity.service.context import IdentityContext
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.aggregates import change
from mylm_shared.service import use_cases_of

from testkit.apps import serving
from testkit.kafka import read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"
CHILD = demo_id("member/child")
TEEN = demo_id("member/teen")
ADULT = demo_id("member/adult")
OTHER = demo_id("member/other")
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"


@dataclass
class MovableClock:
    """Real time until a test sets it (AC-6: the 18th birthday without waiting years)."""

    at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)


@dataclass
class Identity:
    client: httpx.AsyncClient
    context: IdentityContext
    clock: MovableClock
    kafka: str
    topic_prefix: str
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    async def bearer(self, username: str) -> dict[str, str]:
        if username not in self.headers:
            response = await self.client.post(
                "/v1/sessions", json={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.headers[username] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return self.headers[username]

    async def dossiers(self, username: str = "demo.titular") -> list[dict[str, Any]]:
        response = await self.client.get("/v1/me/dossiers", headers=await self.bearer(username))
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def exchange(self, member_id: str, username: str = "demo.titular") -> httpx.Response:
        return await self.client.post(
            f"/v1/me/dossiers/{member_id}/token", headers=await self.bearer(username)
        )

    async def acting(self, member_id: str) -> dict[str, str]:
        response = await self.exchange(member_id)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def set_access(self, username: str, may: bool) -> httpx.Response:
        return await self.client.put(
            "/v1/me/dossier-access",
            json={"titular_may_access": may},
            headers=await self.bearer(username),
        )

    async def access_events(self) -> list[dict[str, Any]]:
        records = await read_all(self.kafka, f"{self.topic_prefix}access.changed")
        return [json.loads(r.value or b"") for r in records]


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[Identity]:
    clock = MovableClock()
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    app = create_app(settings, clock=clock)
    async with serving(app) as client:
        context: IdentityContext = use_cases_of(app, IdentityUseCases).context
        yield Identity(client, context, clock, platform.kafka_bootstrap_servers, f"{run_id}.")


def dossier(member_id: str, relation: str, basis: str, name: str) -> dict[str, str | None]:
    return {
        "member_id": member_id,
        "name": name,
        "relation": relation,
        "basis": basis,
        "reason": None,
    }


def closed(member_id: str, reason: str, name: str) -> dict[str, str | None]:
    """A dependant's dossier not open (issue 20 item 2): whose, and why; nothing more."""
    return {
        "member_id": member_id,
        "name": name,
        "relation": "dependant",
        "basis": None,
        "reason": reason,
    }


SELF = dossier(TITULAR, "self", "AC-1", "Jan Peeters")
TEEN_AC2 = dossier(TEEN, "dependant", "AC-2", "Wout Peeters")
CHILD_AC2 = dossier(CHILD, "dependant", "AC-2", "Lotte Peeters")
ADULT_AC5 = dossier(ADULT, "dependant", "AC-5", "Emma Peeters")
ADULT_AC4 = closed(ADULT, "AC-4", "Emma Peeters")
TEEN_AC3 = closed(TEEN, "AC-3", "Wout Peeters")


async def test_ac1_ac2_ac4_the_titular_sees_self_child_and_teen_and_the_adult_closed(
    identity: Identity,
) -> None:
    """AC-1, AC-2; AC-4 (issue 20 item 2): Emma (20, no grant) is listed, oldest first,
    with her name and the reason only; demo.other, a stranger, is not listed at all."""
    assert await identity.dossiers() == [SELF, ADULT_AC4, TEEN_AC2, CHILD_AC2]
    assert OTHER not in {d["member_id"] for d in await identity.dossiers()}
    # AC-1 only for a member without dependants; a dependant does not see the titular.
    assert [d["member_id"] for d in await identity.dossiers("demo.teen")] == [TEEN]
    assert [d["member_id"] for d in await identity.dossiers("demo.adult")] == [ADULT]


async def test_ac2_exchange_gives_a_token_for_the_childs_dossier_acting_for_the_titular(
    identity: Identity,
) -> None:
    response = await identity.exchange(CHILD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "issued_token_type"}
    assert body["token_type"] == "Bearer"
    assert body["issued_token_type"] == ACCESS_TOKEN_TYPE
    assert 0 < body["expires_in"] <= identity.context.settings.dossier_token_seconds
    assert response.headers["cache-control"] == "no-store"

    jwks = (await identity.client.get("/.well-known/jwks.json")).json()
    claims = jwt.decode(
        body["access_token"],
        jwt.PyJWKSet.from_dict(jwks).keys[0].key,
        algorithms=["EdDSA"],
        audience="mylm",
    )
    titular_account = (await identity.context.account_of_member(TITULAR)).account_id  # type: ignore[union-attr]
    assert claims["sub"] == CHILD
    assert claims["member_id"] == CHILD
    assert claims["act"] == {"sub": titular_account, "member_id": TITULAR}
    assert claims["access_basis"] == "AC-2"
    child = await identity.context.stores.members.get(CHILD)
    assert child is not None
    birthday = start_of(eighteenth_birthday(child.birth_date))
    assert claims["access_until"] == int(birthday.timestamp())

    acting = {"Authorization": f"Bearer {body['access_token']}"}
    seen = await identity.client.get(f"/v1/members/{CHILD}", headers=acting)
    assert seen.status_code == 200
    assert seen.json()["first_name"] == "Lotte"
    # The exchanged token reaches only the child's dossier.
    for elsewhere in (TITULAR, TEEN, OTHER):
        refused = await identity.client.get(f"/v1/members/{elsewhere}", headers=acting)
        assert refused.status_code == 403, elsewhere

    # LF-5: the exchange is in the titular's trail and in the child's.
    titular_trail = await identity.context.audit.entries(TITULAR)
    child_trail = await identity.context.audit.entries(CHILD)
    exchanged = [e for e in titular_trail if e.operation.action == "dossier.token_exchanged"]
    opened = [e for e in child_trail if e.operation.action == "dossier.opened_by_titular"]
    assert [e.operation.details["dossier"] for e in exchanged] == [CHILD]
    assert [e.operation.details["titular"] for e in opened] == [TITULAR]
    assert exchanged[0].operation.details["jti"] == claims["jti"]
    assert opened[0].operation.by == titular_account


async def test_ac4_exchange_is_refused_for_the_adult_and_the_same_for_strangers(
    identity: Identity,
) -> None:
    details = set()
    for member_id in (ADULT, OTHER, "no-such-member"):
        response = await identity.exchange(member_id)
        assert response.status_code == 403, member_id
        assert response.headers["content-type"].startswith("application/problem+json")
        details.add(response.json()["detail"])
    assert len(details) == 1  # nothing tells whether the member exists

    own = await identity.exchange(TITULAR)
    assert own.status_code == 403  # AC-1: the user's own token opens their own dossier
    assert "own access token" in own.json()["detail"]
    # A dependant cannot exchange for their titular's dossier either.
    assert (await identity.exchange(TITULAR, "demo.teen")).status_code == 403


async def test_staff_and_exchanged_tokens_cannot_list_exchange_or_change_access(
    identity: Identity,
) -> None:
    staff = await identity.bearer("demo.staff")
    assert (await identity.client.get("/v1/me/dossiers", headers=staff)).status_code == 403
    assert (
        await identity.client.post(f"/v1/me/dossiers/{CHILD}/token", headers=staff)
    ).status_code == 403
    assert (
        await identity.client.put(
            "/v1/me/dossier-access", json={"titular_may_access": False}, headers=staff
        )
    ).status_code == 403

    acting = await identity.acting(TEEN)
    assert (await identity.client.get("/v1/me/dossiers", headers=acting)).status_code == 403
    for member_id in (TEEN, CHILD):
        again = await identity.client.post(f"/v1/me/dossiers/{member_id}/token", headers=acting)
        assert again.status_code == 403
    # The titular acting for the teen cannot undo the teen's own choice (AC-3).
    changed = await identity.client.put(
        "/v1/me/dossier-access", json={"titular_may_access": True}, headers=acting
    )
    assert changed.status_code == 403
    assert await identity.access_events() == []


async def test_ac3_a_minor_revokes_and_restores_the_titulars_access(identity: Identity) -> None:
    before = await identity.acting(TEEN)
    assert (await identity.client.get(f"/v1/members/{TEEN}", headers=before)).status_code == 200

    revoked = await identity.set_access("demo.teen", False)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json() == {"titular_may_access": False, "basis_now": None}
    assert await identity.dossiers() == [SELF, ADULT_AC4, TEEN_AC3, CHILD_AC2]  # issue 20
    assert (await identity.exchange(TEEN)).status_code == 403  # listed, never opened
    # identity's own re-check refuses the token exchanged before the revocation at once.
    stale = await identity.client.get(f"/v1/members/{TEEN}", headers=before)
    assert stale.status_code == 401
    # Revoking twice changes (and emits) nothing.
    assert (await identity.set_access("demo.teen", False)).status_code == 200

    restored = await identity.set_access("demo.teen", True)
    assert restored.json() == {"titular_may_access": True, "basis_now": "AC-2"}
    assert await identity.dossiers() == [SELF, ADULT_AC4, TEEN_AC2, CHILD_AC2]
    assert (await identity.exchange(TEEN)).status_code == 200

    events = await eventually(identity.access_events, until=lambda e: len(e) >= 2)
    assert len(events) == 2
    assert [e["type"] for e in events] == ["be.mylm.access.changed.v1"] * 2
    assert [e["subject"] for e in events] == [TEEN, TEEN]
    assert [(e["data"]["titular_may_access"], e["data"]["titular_member_id"]) for e in events] == [
        (False, TITULAR),
        (True, TITULAR),
    ]
    actions = [e.operation.action for e in await identity.context.audit.entries(TEEN)]
    assert actions.count("dossier.titular_access_changed") == 2  # LF-5


async def test_ac5_an_adult_grants_and_withdraws_the_titulars_access(identity: Identity) -> None:
    granted = await identity.set_access("demo.adult", True)
    assert granted.status_code == 200, granted.text
    assert granted.json() == {"titular_may_access": True, "basis_now": "AC-5"}
    assert await identity.dossiers() == [SELF, ADULT_AC5, TEEN_AC2, CHILD_AC2]

    response = await identity.exchange(ADULT)
    assert response.status_code == 200
    claims = jwt.decode(response.json()["access_token"], options={"verify_signature": False})
    assert claims["access_basis"] == "AC-5"
    assert "access_until" not in claims  # AC-5 does not end on a birthday
    acting = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert (await identity.client.get(f"/v1/members/{ADULT}", headers=acting)).status_code == 200

    withdrawn = await identity.set_access("demo.adult", False)
    assert withdrawn.json() == {"titular_may_access": False, "basis_now": None}
    assert await identity.dossiers() == [SELF, ADULT_AC4, TEEN_AC2, CHILD_AC2]
    assert (await identity.exchange(ADULT)).status_code == 403
    assert (await identity.client.get(f"/v1/members/{ADULT}", headers=acting)).status_code == 401

    events = await eventually(identity.access_events, until=lambda e: len(e) >= 2)
    assert [(e["subject"], e["data"]["titular_may_access"]) for e in events] == [
        (ADULT, True),
        (ADULT, False),
    ]


async def test_access_cannot_be_set_by_a_member_without_titular(identity: Identity) -> None:
    for username in ("demo.titular", "demo.other"):
        response = await identity.set_access(username, True)
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")
    invalid = await identity.client.put(
        "/v1/me/dossier-access",
        json={"titular_may_access": "maybe"},
        headers=await identity.bearer("demo.teen"),
    )
    assert invalid.status_code == 422


async def test_ac6_on_the_18th_birthday_access_ends_with_no_job_running(
    identity: Identity,
) -> None:
    # Exchanged now (real time): the token says when its basis ends.
    early = await identity.acting(CHILD)
    child = await identity.context.stores.members.get(CHILD)
    assert child is not None
    midnight = start_of(eighteenth_birthday(child.birth_date))  # Brussels midnight, in UTC

    identity.clock.at = midnight - timedelta(seconds=1)  # the evening before
    assert CHILD_AC2 in await identity.dossiers()
    assert (await identity.client.get(f"/v1/members/{CHILD}", headers=early)).status_code == 200
    last = await identity.exchange(CHILD)
    assert last.status_code == 200
    assert last.json()["expires_in"] == 1  # never past the birthday

    identity.clock.at = midnight
    # (The teen is long of age by then, and the adult never granted anything.)
    assert await identity.dossiers() == [
        SELF,
        ADULT_AC4,
        closed(TEEN, "AC-4", "Wout Peeters"),
        closed(CHILD, "AC-4", "Lotte Peeters"),
    ]
    assert (await identity.exchange(CHILD)).status_code == 403
    refused = await identity.client.get(f"/v1/members/{CHILD}", headers=early)
    assert refused.status_code == 401
    assert "AC-6" in refused.json()["detail"]
    assert await identity.access_events() == []  # nothing had to run or be emitted


async def test_lf2_a_suspended_account_cannot_exchange_and_its_acting_tokens_stop(
    identity: Identity,
) -> None:
    acting = await identity.acting(CHILD)
    account = await identity.context.account_of_member(TITULAR)
    assert account is not None
    at = identity.clock()
    await change(
        identity.context.stores.accounts,
        account.account_id,
        lambda a: a.suspend("system-security", at),
    )
    # 403 from the exchange itself, or 401 if the account's own token is already refused.
    assert (await identity.exchange(CHILD)).status_code in (401, 403)
    assert (await identity.client.get(f"/v1/members/{CHILD}", headers=acting)).status_code == 401
