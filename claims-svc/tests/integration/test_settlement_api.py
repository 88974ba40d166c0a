"""Offers, acceptance, payouts and the worklist with claims-svc in-process against the real
FerretDB and Kafka (policy-svc is the in-memory gateway): an offer within LA-11's ceiling,
the member's acceptance twice giving one payout and one ``claim.offer_accepted`` (LA-6's
30 days), staff recording it paid → ``claim.paid`` and ``claim.closed`` (CL-1), and the
worklist ordered by the nearest deadline (PA-8, LA-6, LA-8)."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from claims.bootstrap import create_app
from claims.domain.dates import add_years
from claims.service.policies import PolicyFacts
from claims.settings import ClaimsSettings
from mylm_shared.kernel.periods import belgian_today

from testkit.apps import serving
from testkit.fakes.claims import InMemoryPolicies
from testkit.kafka import read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

GOODS = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}
IBAN = "BE71 0961 2345 6769"


@dataclass
class Api:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    policy_id: str
    prefix: str
    bootstrap: str

    async def declare(self, cover: str, facts: dict[str, Any]) -> dict[str, Any]:
        body = {
            "member_id": self.holder,
            "policy_id": self.policy_id,
            "cover": cover,
            "event_date": belgian_today().isoformat(),
            "facts": facts,
        }
        response = await self.client.post(
            "/v1/claims", json=body, headers=self.tokens.member(self.holder)
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def staff(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return await self.client.post(path, json=body or {}, headers=self.tokens.staff())

    async def events(self, topic: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.prefix}{topic}")
        return [json.loads(r.value or b"")["data"] for r in records]


@pytest.fixture
async def api(platform: Endpoints, run_id: str) -> AsyncIterator[Api]:
    holder = str(uuid.uuid4())
    policy = PolicyFacts(
        policy_id=str(uuid.uuid4()),
        policyholder_id=holder,
        formula="single",
        start_date=date(2025, 1, 1),
        end_date=None,
        threshold_pct=5,
        e_protection=True,
        first_premium_paid=True,
        signed=True,
    )
    policies = InMemoryPolicies()
    policies.add(policy)
    tokens = TokenMint()
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = create_app(settings, policies=lambda _: policies)
    async with serving(app, tokens) as client:
        yield Api(
            client, tokens, holder, policy.policy_id, f"{run_id}.", platform.kafka_bootstrap_servers
        )


async def test_la11_la6_offer_accept_twice_one_payout_then_paid_closes_the_claim(api: Api) -> None:
    claim = await api.declare("e_merchant_goods", GOODS)
    claim_id = claim["claim_id"]
    early = await api.staff(f"/v1/claims/{claim_id}/offers", {"kind": "final", "amount": "400.00"})
    assert early.status_code == 409  # CL-1: not accepted yet
    decided = await api.staff(f"/v1/claims/{claim_id}/decision", {"outcome": "follow_engine"})
    assert decided.status_code == 200, decided.text

    too_much = await api.staff(
        f"/v1/claims/{claim_id}/offers", {"kind": "final", "amount": "5000.01"}
    )
    assert too_much.status_code == 422 and too_much.json()["rule"] == "LA-11"
    made = await api.staff(f"/v1/claims/{claim_id}/offers", {"kind": "final", "amount": "800.00"})
    assert made.status_code == 201, made.text
    offer = made.json()["offers"][-1]
    assert made.json()["deadlines"] == []  # the offer ends LA-8's 3-month timer

    accept = f"/v1/claims/{claim_id}/offers/{offer['offer_id']}/accept"
    member = api.tokens.member(api.holder)
    bad = await api.client.post(accept, json={"iban": "BE71 0961 2345 6760"}, headers=member)
    assert bad.status_code == 422 and "IBAN" in bad.text
    by_staff = await api.client.post(accept, json={"iban": IBAN}, headers=api.tokens.staff())
    assert by_staff.status_code == 403
    first = await api.client.post(accept, json={"iban": IBAN}, headers=member)
    again = await api.client.post(accept, json={"iban": IBAN.replace(" ", "")}, headers=member)
    assert first.status_code == 200 and again.status_code == 200, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    payout = first.json()["payout"]
    assert again.json()["payout"] == payout
    assert payout["iban_last4"] == "6769" and payout["status"] == "instructed"
    assert payout["pay_by"] == (belgian_today() + timedelta(days=30)).isoformat()  # LA-6
    assert first.json()["claim"]["deadlines"][0]["kind"] == "payment"
    other = await api.client.post(accept, json={"iban": "NL91 ABNA 0417 1643 00"}, headers=member)
    assert other.status_code == 409

    accepted = await eventually(
        lambda: api.events("claim.offer_accepted"), what="claim.offer_accepted"
    )
    paid = await api.staff(
        f"/v1/claims/{claim_id}/payouts/{payout['payout_id']}/paid",
        {"paid_on": belgian_today().isoformat()},
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "closed" and paid.json()["closed_reason"] == "paid"
    paid_events = await eventually(lambda: api.events("claim.paid"), what="claim.paid")
    closed = await eventually(lambda: api.events("claim.closed"), what="claim.closed")
    offers_made = await api.events("claim.offer_made")
    # Read after the later topics arrived: a second acceptance event would be there too.
    assert [e["offer_id"] for e in await api.events("claim.offer_accepted")] == [offer["offer_id"]]
    assert accepted[0]["pay_by"] == payout["pay_by"]
    assert [(e["payout_id"], e["iban_last4"], e["amount"]) for e in paid_events] == [
        (payout["payout_id"], "6769", "800.00")
    ]
    assert [(e["claim_id"], e["reason"]) for e in closed] == [(claim_id, "paid")]
    assert [e["amount"] for e in offers_made] == ["800.00"]


async def test_pa8_la6_la8_worklist_by_nearest_deadline(api: Api) -> None:
    theft = await api.declare("identity_theft", {"principal_stake": "800.00"})  # LA-6 5 m
    accident = await api.declare("accident", {"country": "BE", "disability_pct": "10"})  # 4 m
    goods = await api.declare("e_merchant_goods", GOODS)  # LA-8: 3 months
    response = await api.client.get("/v1/worklist", headers=api.tokens.staff())
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(i["claim_id"], i["next_deadline"]["rule"], i["overdue"]) for i in items] == [
        (goods["claim_id"], "LA-8", False),
        (accident["claim_id"], "PA-8", False),
        (theft["claim_id"], "LA-6", False),
    ]
    assert items[0]["claim_number"] == goods["claim_number"]
    assert items[0]["next_deadline"]["kind"] == "lar_refund"
    page = await api.client.get("/v1/worklist?limit=1&offset=1", headers=api.tokens.staff())
    assert [i["claim_id"] for i in page.json()["items"]] == [accident["claim_id"]]
    member = await api.client.get("/v1/worklist", headers=api.tokens.member(api.holder))
    assert member.status_code == 403
    # A withdrawn claim leaves the worklist.
    gone = await api.client.post(
        f"/v1/claims/{goods['claim_id']}/withdraw", headers=api.tokens.member(api.holder)
    )
    assert gone.status_code == 200 and gone.json()["closed_reason"] == "withdrawn"
    after = await api.client.get("/v1/worklist", headers=api.tokens.staff())
    assert goods["claim_id"] not in [i["claim_id"] for i in after.json()["items"]]


async def test_pa8_medical_assessment_over_50_pct_makes_a_provisional_offer_due(api: Api) -> None:
    """PA-8: not consolidated, the doctor expects more than 50 % → a provisional offer is
    due 2 years after the accident; it shows among the deadlines and is stored."""
    accident = await api.declare("accident", {"country": "BE", "disability_pct": "60"})
    path = f"/v1/claims/{accident['claim_id']}/medical-assessment"
    today = belgian_today()
    body = {"assessed_on": today.isoformat(), "expected_pct": "60"}
    member = await api.client.post(path, json=body, headers=api.tokens.member(api.holder))
    assert member.status_code == 403
    bad = await api.staff(path, {"assessed_on": today.isoformat(), "expected_pct": "160"})
    assert bad.status_code == 422
    assessed = await api.staff(path, body)
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["medical_assessment"]["expected_pct"] == "60"
    due = {d["kind"]: d for d in assessed.json()["deadlines"]}
    assert due["provisional_offer"]["rule"] == "PA-8"
    assert due["provisional_offer"]["due_on"] == add_years(today, 2).isoformat()  # 29 Feb → 28 Feb
    stored = await api.client.get(f"/v1/claims/{accident['claim_id']}", headers=api.tokens.staff())
    assert "provisional_offer" in [d["kind"] for d in stored.json()["deadlines"]]

    goods = await api.declare("e_merchant_goods", GOODS)
    refused = await api.staff(f"/v1/claims/{goods['claim_id']}/medical-assessment", body)
    assert refused.status_code == 422 and refused.json()["rule"] == "PA-8"
