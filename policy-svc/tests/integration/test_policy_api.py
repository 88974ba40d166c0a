"""policy-svc against the real FerretDB and Kafka: proposals and acceptance (PC-1, PC-2,
PC-8, ``policy.issued``), insured persons on dates (PC-3), renewal objections (PC-5),
terminations with their windows (PC-9..PC-11, ``policy.terminated``), access (AC-1) and
the state on a date."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from mylm_shared.kernel.periods import belgian_today
from mylm_shared.service import use_cases_of
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app
from policy.service.handlers import PolicyService
from policy.service.use_cases import PolicyUseCases
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

ADULT_BORN = date(1980, 5, 17)
MINOR_BORN = date(2010, 2, 1)  # 16 on the proposal dates these tests run on


@dataclass
class Policies:
    client: httpx.AsyncClient
    tokens: TokenMint
    adult: str
    minor: str
    topic_prefix: str
    bootstrap: str
    service: PolicyService

    def on(self, day: str | None) -> None:
        """The server's date (None: the real one): a member's notice is dated the day
        the service receives it (issue 15 item 4), so a dated rule is tested on its day."""
        self.service.today = (lambda: date.fromisoformat(day)) if day else belgian_today

    async def propose(self, member_id: str, **overrides: Any) -> httpx.Response:
        body: dict[str, Any] = {
            "policyholder_member_id": member_id,
            "formula": "family",
            "start_date": "2027-01-01",
            "threshold_pct": 5,
            "e_protection": True,
        }
        return await self.client.post(
            "/v1/policies", json={**body, **overrides}, headers=self.tokens.staff()
        )

    async def issued(self, **overrides: Any) -> str:
        """A contract of the adult member, proposed by staff and accepted by them."""
        proposed = await self.propose(self.adult, **overrides)
        assert proposed.status_code == 201, proposed.text
        policy_id: str = proposed.json()["policy_id"]
        accepted = await self.client.post(
            f"/v1/policies/{policy_id}/accept", headers=self.tokens.member(self.adult)
        )
        assert accepted.status_code == 200, accepted.text
        return policy_id

    async def events(self, topic: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.topic_prefix}{topic}")
        return [json.loads(r.value or b"")["data"] for r in records]


def registered(member_id: str, birth_date: date) -> Any:
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=None,
        language="nl",
        mutuality="LM Plus",
        first_name="An",
        last_name="Claes",
        birth_date=birth_date,
    )
    return new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)


@pytest.fixture
async def policies(platform: Endpoints, run_id: str) -> AsyncIterator[Policies]:
    tokens = TokenMint()
    app = create_app(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    adult, minor = str(uuid.uuid4()), str(uuid.uuid4())
    async with serving(app, tokens) as client:
        topic = f"{run_id}.member.registered"
        for member_id, born in ((adult, ADULT_BORN), (minor, MINOR_BORN)):
            await publish_event(
                platform.kafka_bootstrap_servers, topic, registered(member_id, born)
            )
        members = app.state.runtime.db[MEMBERS]

        async def both_known() -> bool:
            return await members.count_documents({"_id": {"$in": [adult, minor]}}) == 2

        await eventually(both_known, what="policy-svc learns the members from member.registered")
        yield Policies(
            client,
            tokens,
            adult,
            minor,
            f"{run_id}.",
            platform.kafka_bootstrap_servers,
            use_cases_of(app, PolicyUseCases).policies,
        )


async def test_pc1_pc8_propose_then_accept_issues_the_contract_and_policy_issued_goes_out(
    policies: Policies,
) -> None:
    proposed = await policies.propose(policies.adult)
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    assert body["status"] == "proposed"
    assert body["covers"] == ["accident", "assistance", "e_protection"]  # PC-1
    # PC-8: family 5 % (156.00) + e-protection (48.00), tax 9.25 %
    assert body["premium"] == {
        "net": "204.00",
        "taxes": "18.87",
        "contributions": "0.00",
        "total": "222.87",
        "currency": "EUR",
        "period": "year",
    }
    policy_id = body["policy_id"]

    staff = await policies.client.post(
        f"/v1/policies/{policy_id}/accept", headers=policies.tokens.staff()
    )
    assert staff.status_code == 403  # only the policyholder signs
    accepted = await policies.client.post(
        f"/v1/policies/{policy_id}/accept", headers=policies.tokens.member(policies.adult)
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "awaiting_first_premium"  # PC-4: not yet active

    issued = await eventually(lambda: policies.events("policy.issued"), what="policy.issued")
    assert [(e["policy_id"], e["member_id"], e["premium"]["total"]) for e in issued] == [
        (policy_id, policies.adult, "222.87")
    ]
    due = await eventually(lambda: policies.events("premium.due"), what="premium.due")
    assert due[0]["due_date"] == "2027-01-01"

    again = await policies.client.post(
        f"/v1/policies/{policy_id}/accept", headers=policies.tokens.member(policies.adult)
    )
    assert again.status_code == 409


async def test_pc1_accept_with_the_version_shown_records_it_and_a_stale_one_is_a_409(
    policies: Policies,
) -> None:
    """Issue 20 item 2 (PC-1, PC-3): the member accepts the ``proposal_version`` they read;
    a household declared meanwhile changes it, so the old one is a 409 problem+json naming
    the current version and nothing is accepted; the current one is accepted and the
    answer keeps the version, when and which account signed. The answer also names the
    policyholder, each insured person's relation, and the cover amounts (PA-5, AS-3,
    LA-11)."""
    proposed = await policies.propose(policies.adult)
    assert proposed.status_code == 201, proposed.text
    body = proposed.json()
    policy_id, shown = body["policy_id"], body["proposal_version"]
    assert body["policyholder_name"] == "An Claes"
    assert {(a["key"], a["amount"], a["rule"]) for a in body["cover_amounts"]} == {
        ("limit_accident", "1000000.00", "PA-5"),
        ("funeral", "5000.00", "PA-5"),
        ("medical_abroad", "7500.00", "AS-3"),
        ("limit_e_protection", "5000.00", "LA-11"),
    }
    member = policies.tokens.member(policies.adult)
    household = {
        "persons": [
            {
                "person_id": "kid-1",
                "name": "Lore",
                "birth_date": "2015-03-15",
                "relation": "child",
                "lives_with_policyholder": True,
            }
        ]
    }
    declared = await policies.client.put(
        f"/v1/policies/{policy_id}/household", json=household, headers=member
    )
    assert declared.status_code == 200, declared.text

    stale = await policies.client.post(
        f"/v1/policies/{policy_id}/accept", json={"proposal_version": shown}, headers=member
    )
    assert stale.status_code == 409, stale.text
    assert stale.headers["content-type"] == "application/problem+json"
    current = await policies.client.get(f"/v1/policies/{policy_id}", headers=member)
    now = current.json()
    assert now["status"] == "proposed" and now["accepted_version"] is None
    assert stale.json()["current_version"] == now["proposal_version"] != shown
    assert [(p["name"], p["relation"], p["category"]) for p in now["insured"]] == [
        ("An Claes", "policyholder", "policyholder"),
        ("Lore", "child", "child_in"),
    ]

    accepted = await policies.client.post(
        f"/v1/policies/{policy_id}/accept",
        json={"proposal_version": now["proposal_version"]},
        headers=member,
    )
    assert accepted.status_code == 200, accepted.text
    signed = accepted.json()
    assert signed["status"] == "awaiting_first_premium"
    assert signed["accepted_version"] == now["proposal_version"]
    assert signed["accepted_by"] == f"account-of-{policies.adult}"
    assert signed["accepted_at"] is not None and signed["proposal_version"] is None
    again = await policies.client.get(f"/v1/policies/{policy_id}", headers=member)
    assert again.json()["accepted_version"] == now["proposal_version"]  # stored


async def test_pc1_threshold_not_offered_and_unknown_member_are_422(policies: Policies) -> None:
    threshold = await policies.propose(policies.adult, threshold_pct=7)
    assert threshold.status_code == 422
    assert threshold.headers["content-type"] == "application/problem+json"
    assert "5 %, 10 %" in threshold.json()["detail"]
    unknown = await policies.propose(str(uuid.uuid4()))
    assert unknown.status_code == 422
    assert unknown.json()["title"] == "Unknown member"


async def test_pc2_single_formula_refuses_a_minor_policyholder(policies: Policies) -> None:
    """PC-2: under 18 at signing is refused (issue 16: 18 or over is enough)."""
    refused = await policies.propose(policies.minor, formula="single")
    assert refused.status_code == 422
    assert refused.json()["rule"] == "PC-2"
    assert "under 18 at signing" in refused.json()["detail"]
    adult = await policies.propose(policies.adult, formula="single", threshold_pct=10)
    assert adult.status_code == 201, adult.text


async def test_pc3_a_student_child_living_elsewhere_is_insured_until_the_day_before_26(
    policies: Policies,
) -> None:
    policy_id = await policies.issued()
    household = {
        "persons": [
            {
                "person_id": "kid",
                "name": "Lore Claes",
                "birth_date": "2001-03-15",
                "relation": "child",
                "lives_with_policyholder": False,
                "married": False,
                "studying": True,
            }
        ]
    }
    headers = policies.tokens.member(policies.adult)
    put = await policies.client.put(
        f"/v1/policies/{policy_id}/household", json=household, headers=headers
    )
    assert put.status_code == 200, put.text

    async def insured(day: str) -> dict[str, Any]:
        response = await policies.client.get(
            f"/v1/policies/{policy_id}/insured", params={"date": day}, headers=headers
        )
        assert response.status_code == 200, response.text
        persons: list[dict[str, Any]] = response.json()["persons"]
        assert persons[0]["person_id"] == policies.adult and persons[0]["insured"]
        return persons[1]

    before = await insured("2027-03-14")
    assert before["insured"] and before["rule"] == "PC-3"
    after = await insured("2027-03-15")
    assert not after["insured"] and "26 or older" in after["reason"]


async def test_pc5_objection_three_months_before_expiry_and_one_day_late(
    policies: Policies,
) -> None:
    headers = policies.tokens.member(policies.adult)
    # start 2027-01-01: expiry 2028-01-01, last posting day 2027-10-01
    for posted_on, ends_on in (("2027-10-01", "2028-01-01"), ("2027-10-02", "2029-01-01")):
        policies.on(None)
        policy_id = await policies.issued()
        policies.on(posted_on)  # the member objects on that day
        body = {"by": "policyholder", "posted_on": posted_on, "channel": "registered_letter"}
        response = await policies.client.post(
            f"/v1/policies/{policy_id}/objections", json=body, headers=headers
        )
        assert response.status_code == 201, response.text
        assert response.json() == {"contract_ends_on": ends_on}


async def test_pc9_pc11_termination_after_a_claim_inside_and_outside_its_window(
    policies: Policies,
) -> None:
    policy_id = await policies.issued()
    headers = policies.tokens.member(policies.adult)
    notice = {
        "by": "policyholder",
        "ground": "after_claim",
        "channel": "registered_letter",
        "claim_settled_on": "2027-03-10",
    }
    url = f"/v1/policies/{policy_id}/terminations"
    policies.on("2027-04-11")  # the member's notice is dated the day it is received
    late = await policies.client.post(
        url, json={**notice, "notified_on": "2027-04-11"}, headers=headers
    )
    assert late.status_code == 422
    problem = late.json()
    assert problem["rule"] == "PC-9"
    assert problem["window"] == {"opens_on": "2027-03-10", "closes_on": "2027-04-10"}

    policies.on("2027-04-10")
    inside = await policies.client.post(
        url, json={**notice, "notified_on": "2027-04-10"}, headers=headers
    )
    assert inside.status_code == 201, inside.text
    # PC-11: 3 months from the day after the notice
    assert inside.json() == {"effective_on": "2027-07-11", "rule": "PC-9"}

    ended = await eventually(lambda: policies.events("policy.terminated"), what="terminated")
    assert [(e["reason"], e["effective_on"]) for e in ended] == [("after_claim", "2027-07-11")]

    async def state(day: str) -> dict[str, Any]:
        response = await policies.client.get(
            f"/v1/policies/{policy_id}/state", params={"date": day}, headers=headers
        )
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    running = await state("2027-07-10")
    # PC-4: the contract runs, but no cover before the first premium is paid.
    assert (running["status"], running["covers"], running["insured"]) == (
        "awaiting_first_premium",
        [],
        [],
    )
    assert await state("2027-07-11") == {
        "date": "2027-07-11",
        "status": "terminated",
        "covers": [],
        "insured": [],
    }


async def test_ac1_another_member_gets_403_on_the_list_and_404_on_the_policy(
    policies: Policies,
) -> None:
    proposed = await policies.propose(policies.adult)
    policy_id = proposed.json()["policy_id"]
    stranger = policies.tokens.member(policies.minor)
    listed = await policies.client.get(f"/v1/members/{policies.adult}/policies", headers=stranger)
    assert listed.status_code == 403
    one = await policies.client.get(f"/v1/policies/{policy_id}", headers=stranger)
    assert one.status_code == 404
    state = await policies.client.get(f"/v1/policies/{policy_id}/state", headers=stranger)
    assert state.status_code == 404

    own = await policies.client.get(
        f"/v1/members/{policies.adult}/policies", headers=policies.tokens.member(policies.adult)
    )
    assert [p["policy_id"] for p in own.json()["items"]] == [policy_id]
    proposal_state = await policies.client.get(
        f"/v1/policies/{policy_id}/state",
        params={"date": "2027-02-01"},
        headers=policies.tokens.staff(),
    )
    assert proposal_state.json()["status"] == "proposed"
