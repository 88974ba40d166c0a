"""The member directory batch (issue 7 item 1) against the real FerretDB and Kafka:
`PUT /v1/members:batch` applies the valid rows and returns the invalid ones with their
index and reasons (RG-1 INSZ, MT-1, language, e-mail, household); changes go out as
`member.registered` / `member.updated` through the outbox, a re-sent batch emits
nothing, and each applied change is in the member's audit trail (LF-5)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from identity.adapters.store import MEMBERS
from identity.bootstrap import create_app
from identity.settings import IdentitySettings
from mylm_shared.events import CloudEvent
from pymongo.asynchronous.database import AsyncDatabase

from testkit.apps import serving
from testkit.kafka import read_all
from testkit.people import national_number
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"


@dataclass
class Identity:
    client: httpx.AsyncClient
    db: AsyncDatabase[dict[str, Any]]
    kafka: str
    run_id: str

    async def bearer(self, username: str) -> dict[str, str]:
        body = {"username": username, "password": PASSWORD}
        response = await self.client.post("/v1/sessions", json=body)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def push(self, rows: list[Any], as_user: str = "demo.staff") -> httpx.Response:
        headers = await self.bearer(as_user)
        return await self.client.put("/v1/members:batch", json={"members": rows}, headers=headers)

    async def events(self, topic: str) -> list[CloudEvent]:
        records = await read_all(self.kafka, f"{self.run_id}.{topic}")
        return [CloudEvent.model_validate_json(r.value or b"") for r in records]

    async def events_about(self, topic: str, member_ids: set[str]) -> list[CloudEvent]:
        return [e for e in await self.events(topic) if e.subject in member_ids]


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[Identity]:
    settings = IdentitySettings(**isolated(platform, run_id, "identity"), seed_demo_data=True)  # type: ignore[arg-type]
    app = create_app(settings)
    async with serving(app) as client:
        yield Identity(client, app.state.runtime.db, platform.kafka_bootstrap_servers, run_id)


def row(number: str, **fields: Any) -> dict[str, Any]:
    insz = national_number()
    return {
        "member_number": number,
        "national_register_number": insz,
        "first_name": "An",
        "last_name": "Claes",
        "birth_date": f"19{insz[0:2]}-{insz[2:4]}-{insz[4:6]}",
        "email": f"{number.lower()}@example.org",
        "mobile": "+32470123456",
        "language": "nl",
        "mutuality": "LM Plus",
        "titular_member_number": None,
        **fields,
    }


def numbered(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def test_valid_rows_are_applied_and_invalid_ones_come_back_with_index_and_reasons(
    identity: Identity,
) -> None:
    """RG-1 (INSZ check digits and its birth date), MT-1, language, e-mail; a dependant
    points to a titular of the same batch (household)."""
    titular, dependant = row(numbered("T")), row(numbered("D"))
    dependant["titular_member_number"] = titular["member_number"]
    bad_insz = row(numbered("X"))
    bad_insz["national_register_number"] = bad_insz["national_register_number"][:-2] + "00"
    rows = [
        dependant,  # before its titular in the batch: applied after it all the same
        bad_insz,
        row(numbered("X"), mutuality="Other Fund", language="en"),
        row(numbered("X"), email="nobody-at-example.org"),
        titular,
        row(numbered("X"), titular_member_number="NO-SUCH-MEMBER"),
    ]
    response = await identity.push(rows)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [a["index"] for a in body["applied"]] == [0, 4]
    rejected = {r["index"]: {e["field"] for e in r["errors"]} for r in body["rejected"]}
    assert rejected == {
        1: {"national_register_number"},
        2: {"mutuality", "language"},
        3: {"email"},
        5: {"titular_member_number"},
    }
    ids = {a["index"]: a["member_id"] for a in body["applied"]}
    staff = await identity.bearer("demo.staff")
    shown = (await identity.client.get(f"/v1/members/{ids[0]}", headers=staff)).json()
    assert shown["titular_member_id"] == ids[4]
    assert shown["member_number"] == dependant["member_number"]
    registered = await eventually(
        lambda: identity.events_about("member.registered", set(ids.values())),
        until=lambda events: len(events) == 2,
        what="both members announced",
    )
    assert {e.data["titular_member_id"] for e in registered} == {None, ids[4]}


async def test_resending_the_same_batch_changes_and_emits_nothing(identity: Identity) -> None:
    titular = row(numbered("T"))
    rows = [titular, row(numbered("D"), titular_member_number=titular["member_number"])]
    first = (await identity.push(rows)).json()
    ids = {a["member_id"] for a in first["applied"]}
    await eventually(
        lambda: identity.events_about("member.registered", ids),
        until=lambda events: len(events) == 2,
    )
    versions = await identity.db[MEMBERS].count_documents({"aggregate_id": {"$in": list(ids)}})

    again = await identity.push(rows)
    assert again.status_code == 200
    assert again.json() == first
    # Nothing stored, hence nothing to publish (events leave only with a new version) …
    assert await identity.db[MEMBERS].count_documents({"aggregate_id": {"$in": list(ids)}}) == (
        versions
    )
    # … and on the bus: a later change of another member arrives alone.
    fence = row(numbered("F"))
    fence_id = (await identity.push([fence])).json()["applied"][0]["member_id"]
    await eventually(
        lambda: identity.events_about("member.registered", {fence_id}), what="the fence"
    )
    assert len(await identity.events_about("member.registered", ids)) == 2
    assert await identity.events_about("member.updated", ids) == []


async def test_a_change_of_email_language_and_household_emits_one_member_updated(
    identity: Identity,
) -> None:
    """LF-5: the update is in the member's audit trail, by the staff account."""
    titular, member = row(numbered("T")), row(numbered("M"))
    first = (await identity.push([titular, member])).json()
    titular_id, member_id = (a["member_id"] for a in first["applied"])
    changed = {
        **member,
        "email": "moved@example.org",
        "language": "fr",
        "titular_member_number": titular["member_number"],
    }
    response = await identity.push([changed])
    assert response.json()["applied"] == [{"index": 0, "member_id": member_id}]
    await identity.push([changed])  # the same again: no second event

    updates = await eventually(
        lambda: identity.events_about("member.updated", {member_id}), what="member.updated"
    )
    fence = (await identity.push([row(numbered("F"))])).json()["applied"][0]["member_id"]
    await eventually(lambda: identity.events_about("member.registered", {fence}))
    updates = await identity.events_about("member.updated", {member_id})
    assert len(updates) == 1
    data = updates[0].data
    assert set(data["changed"]) == {"email", "language", "titular_member_id"}
    assert (data["email"], data["language"], data["titular_member_id"]) == (
        "moved@example.org",
        "fr",
        titular_id,
    )
    assert data["first_name"] == "An"  # the whole current entry

    staff = await identity.bearer("demo.staff")
    trail = await identity.db["audit_trail"].find({"trail": member_id}).to_list()
    assert [e["action"] for e in sorted(trail, key=lambda e: e["seq"])] == [
        "member.registered",
        "member.updated",
    ]
    verified = await identity.client.get(f"/v1/audit/{member_id}/verify", headers=staff)
    assert verified.json()["valid"] is True


async def test_more_than_1000_rows_are_refused_whole(identity: Identity) -> None:
    rows = [row(f"BIG-{i}") for i in range(1001)]
    response = await identity.push(rows)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert await identity.db[MEMBERS].count_documents({"member_number": "BIG-0"}) == 0


async def test_members_may_not_push_the_directory(identity: Identity) -> None:
    response = await identity.push([row(numbered("M"))], as_user="demo.titular")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    no_token = await identity.client.put("/v1/members:batch", json={"members": []})
    assert no_token.status_code == 401


async def test_a_postal_address_is_checked_stored_shown_and_announced(
    identity: Identity,
) -> None:
    """Issue 18 item 3 (EI-2, EI-3: paper invoices): the batch row's optional ``address``
    (a Belgian postal code is 4 digits, 1000–9999, else the row comes back naming the
    address), shown in the directory entry and carried on ``member.registered``;
    ``POST /v1/members`` answers a bad one with a 422 problem; the member sees their own
    (the demo titular lives in Asse)."""
    asse = {"street": "Kerkstraat", "number": "12", "postal_code": "1730", "municipality": "Asse"}
    good = row(numbered("A"), address={**asse, "box": "3"})
    bad = row(numbered("A"), address={**asse, "postal_code": "0999"})
    response = await identity.push([good, bad])
    assert response.status_code == 200, response.text
    body = response.json()
    member_id = body["applied"][0]["member_id"]
    assert [e["field"] for e in body["rejected"][0]["errors"]] == ["address"]
    assert "1000–9999" in body["rejected"][0]["errors"][0]["message"]
    staff = await identity.bearer("demo.staff")
    shown = (await identity.client.get(f"/v1/members/{member_id}", headers=staff)).json()
    assert shown["address"] == {**asse, "box": "3", "country": "BE"}
    [registered] = await eventually(
        lambda: identity.events_about("member.registered", {member_id}),
        until=lambda events: len(events) == 1,
        what="the member announced",
    )
    assert registered.data["address"] == {**asse, "box": "3", "country": "BE"}

    other = row(numbered("B"))
    new = {k: other[k] for k in ("member_number", "first_name", "last_name", "birth_date")}
    new |= {
        "national_number": other["national_register_number"],
        "language": "nl",
        "mutuality": "LM Plus",
        "address": {**asse, "postal_code": "173"},
    }
    refused = await identity.client.post("/v1/members", json=new, headers=staff)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "1000–9999" in refused.text

    me = (await identity.client.get("/v1/me", headers=await identity.bearer("demo.titular"))).json()
    assert me["member"]["address"] == {**asse, "box": None, "country": "BE"}
