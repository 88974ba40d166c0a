"""PC-7 amendments against the real FerretDB and Kafka: a declared aggravation (single ->
family), staff's proposal, a reminder sent once, the policyholder's acceptance with
``policy.amended`` on the real topic and the policy's new formula retroactively; a late
proposal refused; access (AC-1): another member sees none of it."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from mylm_shared.kernel.periods import belgian_today
from mylm_shared.service import use_cases_of
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app
from policy.domain.dates import add_months
from policy.service.amendments import AmendmentService
from policy.service.use_cases import PolicyUseCases
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

PARTNER = {
    "person_id": "partner-1",
    "name": "Bo Claes",
    "birth_date": "1982-04-02",
    "relation": "partner",
    "lives_with_policyholder": True,
}


@dataclass
class Platform:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    stranger: str
    service: AmendmentService
    topic_prefix: str
    bootstrap: str

    async def events(self, topic: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.topic_prefix}{topic}")
        return [json.loads(r.value or b"")["data"] for r in records]

    async def single_policy(self) -> str:
        body = {
            "policyholder_member_id": self.holder,
            "formula": "single",
            "start_date": "2026-01-01",
            "threshold_pct": 10,
            "e_protection": False,
        }
        proposed = await self.client.post("/v1/policies", json=body, headers=self.tokens.staff())
        assert proposed.status_code == 201, proposed.text
        policy_id: str = proposed.json()["policy_id"]
        accepted = await self.client.post(
            f"/v1/policies/{policy_id}/accept", headers=self.tokens.member(self.holder)
        )
        assert accepted.status_code == 200, accepted.text
        return policy_id


def registered(member_id: str) -> Any:
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=None,
        language="nl",
        mutuality="LM Plus",
        first_name="An",
        last_name="Claes",
        birth_date=date(1980, 5, 17),
    )
    return new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)


@pytest.fixture
async def platform_(platform: Endpoints, run_id: str) -> AsyncIterator[Platform]:
    tokens = TokenMint()
    app = create_app(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    holder, stranger = str(uuid.uuid4()), str(uuid.uuid4())
    async with serving(app, tokens) as client:
        for member_id in (holder, stranger):
            await publish_event(
                platform.kafka_bootstrap_servers,
                f"{run_id}.member.registered",
                registered(member_id),
            )
        members = app.state.runtime.db[MEMBERS]

        async def both_known() -> bool:
            known: int = await members.count_documents({"_id": {"$in": [holder, stranger]}})
            return known == 2

        await eventually(both_known, what="policy-svc learns the members")
        service = use_cases_of(app, PolicyUseCases).amendments
        yield Platform(
            client,
            tokens,
            holder,
            stranger,
            service,
            f"{run_id}.",
            platform.kafka_bootstrap_servers,
        )


async def test_pc7_aggravation_declared_proposed_reminded_once_accepted_policy_amended(
    platform_: Platform,
) -> None:
    p = platform_
    policy_id = await p.single_policy()
    holder = p.tokens.member(p.holder)
    # Issue 15 item 4: the partner living with the holder since the start is recorded by
    # staff with the reason (a member may not give an earlier date).
    put = await p.client.put(
        f"/v1/policies/{policy_id}/household",
        json={"persons": [PARTNER], "since": "2026-01-01", "reason": "domicile certificate"},
        headers=p.tokens.staff(),
    )
    assert put.status_code == 200, put.text
    today = belgian_today()
    occurred = today - timedelta(days=10)

    declared = await p.client.post(
        f"/v1/policies/{policy_id}/amendments",
        json={"kind": "aggravation", "formula": "family", "occurred_on": occurred.isoformat()},
        headers=holder,
    )
    assert declared.status_code == 201, declared.text
    amendment = declared.json()
    amendment_id = amendment["amendment_id"]
    assert amendment["known_on"] == today.isoformat()
    assert amendment["deadlines"]["propose_by"] == add_months(today, 1).isoformat()
    assert amendment["next_step"] == {
        "step": "propose",
        "by": "insurer",
        "deadline": add_months(today, 1).isoformat(),
        "overdue": False,
    }

    # AC-1: another member sees nothing of it, and members have no worklist.
    stranger = p.tokens.member(p.stranger)
    for url in (f"/v1/policies/{policy_id}/amendments", f"/v1/amendments/{amendment_id}"):
        assert (await p.client.get(url, headers=stranger)).status_code == 404
    stray = await p.client.post(f"/v1/amendments/{amendment_id}/accept", headers=stranger)
    assert stray.status_code == 404
    assert (await p.client.get("/v1/amendments", headers=holder)).status_code == 403
    member_proposal = await p.client.post(
        f"/v1/amendments/{amendment_id}/proposal",
        json={"proposed_on": today.isoformat()},
        headers=holder,
    )
    assert member_proposal.status_code == 403

    proposed = await p.client.post(
        f"/v1/amendments/{amendment_id}/proposal",
        json={"proposed_on": today.isoformat()},
        headers=p.tokens.staff(),
    )
    assert proposed.status_code == 200, proposed.text
    accept_by = add_months(today, 1)
    assert proposed.json()["proposal"]["premium"]["total"] == "144.21"  # family 10 %: 132 + tax
    assert proposed.json()["deadlines"]["accept_by"] == accept_by.isoformat()

    worklist = await p.client.get(
        "/v1/amendments", params={"open": "true"}, headers=p.tokens.staff()
    )
    assert worklist.status_code == 200, worklist.text
    [item] = [i for i in worklist.json()["items"] if i["amendment_id"] == amendment_id]
    assert item["next_step"]["step"] == "accept_proposal"

    # A reminder 7 days before the deadline, exactly once however often the task runs.
    reminder_day = accept_by - timedelta(days=7)
    assert await p.service.send_reminders(reminder_day) == 1
    assert await p.service.send_reminders(reminder_day) == 0
    reminded = await eventually(lambda: p.events("amendment.reminded"), what="amendment.reminded")
    assert [(e["amendment_id"], e["step"], e["deadline"], e["member_id"]) for e in reminded] == [
        (amendment_id, "accept_proposal", accept_by.isoformat(), p.holder)
    ]

    accepted = await p.client.post(f"/v1/amendments/{amendment_id}/accept", headers=holder)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["next_step"] is None

    amended = await eventually(lambda: p.events("policy.amended"), what="policy.amended")
    assert [
        (e["policy_id"], e["amendment_id"], e["formula"], e["effective_on"]) for e in amended
    ] == [(policy_id, amendment_id, "family", occurred.isoformat())]
    assert amended[0]["premium"]["total"] == "144.21"

    again = await p.events("amendment.reminded")  # published before policy.amended
    assert len(again) == 1
    policy = (await p.client.get(f"/v1/policies/{policy_id}", headers=holder)).json()
    assert (policy["formula"], policy["premium"]["total"]) == ("family", "144.21")

    async def partner_insured(day: date) -> bool:
        response = await p.client.get(
            f"/v1/policies/{policy_id}/insured", params={"date": day.isoformat()}, headers=holder
        )
        assert response.status_code == 200, response.text
        persons = {x["person_id"]: x for x in response.json()["persons"]}
        return bool(persons["partner-1"]["insured"])

    # Retroactive to the aggravation: the partner is insured from the day it occurred.
    assert not await partner_insured(occurred - timedelta(days=1))
    assert await partner_insured(occurred)

    listed = await p.client.get(f"/v1/policies/{policy_id}/amendments", headers=holder)
    assert [a["status"] for a in listed.json()["items"]] == ["accepted"]


async def test_pc7_a_proposal_after_the_month_is_422_and_the_aggravation_lapses(
    platform_: Platform,
) -> None:
    p = platform_
    policy_id = await p.single_policy()
    today = belgian_today()
    known = add_months(today, -2)
    declared = await p.client.post(
        f"/v1/policies/{policy_id}/amendments",
        json={
            "kind": "aggravation",
            "formula": "family",
            "occurred_on": known.isoformat(),
            "known_on": known.isoformat(),
            "reason": "the holder's letter received then (issue 15 item 4)",
        },
        headers=p.tokens.staff(),
    )
    assert declared.status_code == 201, declared.text
    assert declared.json()["next_step"]["overdue"] is True
    amendment_id = declared.json()["amendment_id"]
    late = await p.client.post(
        f"/v1/amendments/{amendment_id}/proposal",
        json={"proposed_on": today.isoformat()},
        headers=p.tokens.staff(),
    )
    assert late.status_code == 422
    assert late.headers["content-type"] == "application/problem+json"
    assert late.json()["rule"] == "PC-7"
    assert "can no longer invoke the aggravation" in late.json()["detail"]

    invalid = await p.client.post(
        f"/v1/policies/{policy_id}/amendments",
        json={"kind": "aggravation", "formula": "couple", "occurred_on": today.isoformat()},
        headers=p.tokens.staff(),
    )
    assert invalid.status_code == 422
    wrong_state = await p.client.post(
        f"/v1/amendments/{amendment_id}/accept", headers=p.tokens.member(p.holder)
    )
    assert wrong_state.status_code == 409
    backdated = await p.client.post(
        f"/v1/amendments/{amendment_id}/accept",
        json={"answered_on": today.isoformat()},
        headers=p.tokens.member(p.holder),
    )
    assert backdated.status_code == 403  # only staff record an answer given by post
    closed = await p.client.get(
        "/v1/amendments", params={"open": "false"}, headers=p.tokens.staff()
    )
    assert closed.status_code == 422
