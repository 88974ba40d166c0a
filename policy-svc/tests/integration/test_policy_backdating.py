"""Issue 15 item 4 (no backdating by members) against the real FerretDB and Kafka: the
dates that start or end rights — a household's ``since`` (PC-3), an objection's
``posted_on`` (PC-5), a termination's ``notified_on`` (PC-11) and ``departure_on``
(PC-6), a declaration's ``known_on`` (PC-7) — are the server's date (Europe/Brussels)
for a member: yesterday is 422 problem+json and nothing is stored; today (or omitted)
is accepted, and a coming day where the rule lets it be announced. Staff may record an
earlier real date only with a reason, kept in the contract's history (who, why, the
date given, the day received)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from mylm_shared.problems import PROBLEM_JSON
from mylm_shared.service import use_cases_of
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app
from policy.service.handlers import PolicyService
from policy.service.use_cases import PolicyUseCases
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)
PARTNER = {
    "person_id": "partner-1",
    "name": "Bo Claes",
    "birth_date": "1982-04-02",
    "relation": "partner",
    "lives_with_policyholder": True,
}


@dataclass
class World:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    service: PolicyService

    @property
    def today(self) -> date:
        return self.service.today()

    def member(self) -> dict[str, str]:
        return self.tokens.member(self.holder)

    async def contract(self) -> str:
        """A family contract of the holder, started a year ago, proposed and accepted."""
        body = {
            "policyholder_member_id": self.holder,
            "formula": "family",
            "start_date": (self.today - timedelta(days=365)).isoformat(),
            "threshold_pct": 10,
            "e_protection": False,
        }
        proposed = await self.client.post("/v1/policies", json=body, headers=self.tokens.staff())
        assert proposed.status_code == 201, proposed.text
        policy_id: str = proposed.json()["policy_id"]
        accepted = await self.client.post(f"/v1/policies/{policy_id}/accept", headers=self.member())
        assert accepted.status_code == 200, accepted.text
        return policy_id

    async def policy(self, policy_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/policies/{policy_id}", headers=self.member())
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    async def insured_on(self, policy_id: str, day: date) -> list[str]:
        response = await self.client.get(
            f"/v1/policies/{policy_id}/insured",
            params={"date": day.isoformat()},
            headers=self.member(),
        )
        assert response.status_code == 200, response.text
        return [p["person_id"] for p in response.json()["persons"] if p["insured"]]


def refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["field"] == field


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[World]:
    tokens = TokenMint()
    app = create_app(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    holder = str(uuid.uuid4())
    async with serving(app, tokens) as client:
        payload = MemberRegisteredV1(
            member_id=holder,
            email=None,
            language="nl",
            mutuality="LM Plus",
            first_name="An",
            last_name="Claes",
            birth_date=date(1980, 5, 17),
        )
        event = new_event(MEMBER_REGISTERED, payload, source="/tests", subject=holder)
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.member.registered", event)
        members = app.state.runtime.db[MEMBERS]

        async def known() -> bool:
            return await members.count_documents({"_id": holder}) == 1

        await eventually(known, what="policy-svc learns the member")
        yield World(client, tokens, holder, use_cases_of(app, PolicyUseCases).policies)


async def test_household_since_is_today_for_a_member_earlier_only_by_staff_with_a_reason(
    world: World,
) -> None:
    """Issue 15 item 4, PC-3: a member cannot insure the partner retroactively."""
    policy_id = await world.contract()
    today, url = world.today, f"/v1/policies/{policy_id}/household"
    yesterday = {"persons": [PARTNER], "since": (today - DAY).isoformat()}

    backdated = await world.client.put(url, json=yesterday, headers=world.member())
    refused(backdated, "since")
    assert backdated.json()["rule"] == "PC-3"
    with_reason = {**yesterday, "reason": "we married last week"}  # staff's field only
    refused(await world.client.put(url, json=with_reason, headers=world.member()), "since")
    assert await world.insured_on(policy_id, today) == [world.holder]  # nothing stored

    # Omitted: today. Declared today, the partner is insured from today, not before.
    declared = await world.client.put(url, json={"persons": [PARTNER]}, headers=world.member())
    assert declared.status_code == 200, declared.text
    assert declared.json()["date"] == today.isoformat()
    assert await world.insured_on(policy_id, today) == [world.holder, "partner-1"]
    assert await world.insured_on(policy_id, today - DAY) == [world.holder]
    # A coming day may be announced ahead (PC-3 facts from then on).
    moved_out = {**PARTNER, "lives_with_policyholder": False}
    ahead = {"persons": [moved_out], "since": (today + 10 * DAY).isoformat()}
    assert (await world.client.put(url, json=ahead, headers=world.member())).status_code == 200
    assert await world.insured_on(policy_id, today + 10 * DAY) == [world.holder]

    # Staff: an earlier date without a reason is refused; with one, kept in the history.
    refused(await world.client.put(url, json=yesterday, headers=world.tokens.staff()), "since")
    week_ago = {
        "persons": [PARTNER],
        "since": (today - 7 * DAY).isoformat(),
        "reason": "marriage certificate of last week, received by post",
    }
    recorded = await world.client.put(url, json=week_ago, headers=world.tokens.staff())
    assert recorded.status_code == 200, recorded.text
    assert await world.insured_on(policy_id, today - 7 * DAY) == [world.holder, "partner-1"]
    [entry] = (await world.policy(policy_id))["history"]
    assert entry["field"] == "since"
    assert entry["date_given"] == (today - 7 * DAY).isoformat()
    assert entry["received_on"] == today.isoformat()
    assert entry["reason"] == "marriage certificate of last week, received by post"
    assert entry["actor"]  # the staff account


async def test_objection_posted_on_is_today_for_a_member(world: World) -> None:
    """Issue 15 item 4, PC-5: yesterday (or tomorrow) is refused for a member; today
    is accepted; staff record yesterday's registered letter with the reason."""
    today = world.today
    policy_id = await world.contract()
    url = f"/v1/policies/{policy_id}/objections"
    body = {"by": "policyholder", "channel": "registered_letter"}
    for day in (today - DAY, today + DAY):
        on_day = {**body, "posted_on": day.isoformat()}
        refused(await world.client.post(url, json=on_day, headers=world.member()), "posted_on")
    assert (await world.policy(policy_id))["ending"] is None  # nothing stored
    accepted = await world.client.post(
        url, json={**body, "posted_on": today.isoformat()}, headers=world.member()
    )
    assert accepted.status_code == 201, accepted.text
    assert (await world.policy(policy_id))["ending"]["notified_on"] == today.isoformat()

    other = await world.contract()
    staff_url = f"/v1/policies/{other}/objections"
    letter = {**body, "posted_on": (today - DAY).isoformat()}
    no_reason = await world.client.post(staff_url, json=letter, headers=world.tokens.staff())
    refused(no_reason, "posted_on")
    with_reason = {**letter, "reason": "registered letter posted yesterday (receipt RR123)"}
    recorded = await world.client.post(staff_url, json=with_reason, headers=world.tokens.staff())
    assert recorded.status_code == 201, recorded.text
    policy = await world.policy(other)
    assert policy["ending"]["notified_on"] == (today - DAY).isoformat()
    assert [(h["field"], h["date_given"]) for h in policy["history"]] == [
        ("posted_on", (today - DAY).isoformat())
    ]


async def test_termination_dates_are_today_or_announced_ahead_for_a_member(world: World) -> None:
    """Issue 15 item 4, PC-6, PC-11: a member's ``notified_on`` is today; an emigration's
    ``departure_on`` today or a coming day, never a past one (no retroactive end)."""
    today = world.today
    policy_id = await world.contract()
    url = f"/v1/policies/{policy_id}/terminations"
    emigration = {"by": "policyholder", "ground": "emigration", "channel": "registered_letter"}
    past_notice = {**emigration, "notified_on": (today - DAY).isoformat()}
    past_notice["departure_on"] = (today + DAY).isoformat()
    refused(await world.client.post(url, json=past_notice, headers=world.member()), "notified_on")
    left_last_month = {**emigration, "departure_on": (today - 30 * DAY).isoformat()}
    refused(
        await world.client.post(url, json=left_last_month, headers=world.member()), "departure_on"
    )
    assert (await world.policy(policy_id))["ending"] is None
    leaving = {**emigration, "departure_on": (today + 20 * DAY).isoformat()}
    announced = await world.client.post(url, json=leaving, headers=world.member())
    assert announced.status_code == 201, announced.text
    assert announced.json() == {"effective_on": (today + 20 * DAY).isoformat(), "rule": "PC-6"}
    assert (await world.policy(policy_id))["ending"]["notified_on"] == today.isoformat()

    # Staff record the real departure a month ago (the member told us late), with why.
    other = await world.contract()
    staff_url = f"/v1/policies/{other}/terminations"
    refused(
        await world.client.post(staff_url, json=left_last_month, headers=world.tokens.staff()),
        "departure_on",
    )
    with_reason = {**left_last_month, "reason": "municipal deregistration certificate"}
    recorded = await world.client.post(staff_url, json=with_reason, headers=world.tokens.staff())
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["effective_on"] == (today - 30 * DAY).isoformat()
    history = (await world.policy(other))["history"]
    assert [(h["field"], h["reason"]) for h in history] == [
        ("departure_on", "municipal deregistration certificate")
    ]


async def test_a_members_declaration_is_known_on_the_day_received(world: World) -> None:
    """Issue 15 item 4, PC-7: a reduction's lower premium applies from ``known_on``, so
    a member cannot date it back; staff may, with the reason."""
    today = world.today
    policy_id = await world.contract()
    url = f"/v1/policies/{policy_id}/amendments"
    body = {"kind": "reduction", "formula": "single", "occurred_on": (today - 60 * DAY).isoformat()}
    backdated = {**body, "known_on": (today - 40 * DAY).isoformat()}
    refused(await world.client.post(url, json=backdated, headers=world.member()), "known_on")
    declared = await world.client.post(url, json=body, headers=world.member())
    assert declared.status_code == 201, declared.text
    assert declared.json()["known_on"] == today.isoformat()
    refused(await world.client.post(url, json=backdated, headers=world.tokens.staff()), "known_on")
    with_reason = {**backdated, "reason": "request letter received then, filed late"}
    recorded = await world.client.post(url, json=with_reason, headers=world.tokens.staff())
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["known_on"] == (today - 40 * DAY).isoformat()
