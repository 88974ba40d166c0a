"""Issue 16 in the real flow, claims-svc in-process against the real FerretDB and Kafka
(policy-svc is the in-memory gateway): an assistance claim asking repatriation by
ambulance plane (AS-3: no cap) and urgent dental care gets an offer for the repatriation
made and accepted; the deductible (AS-3) is taken off what may be offered; once per
accident (AS-2) across the claimant's claims."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from claims.bootstrap import create_app
from claims.service.policies import PolicyFacts
from claims.settings import ClaimsSettings
from mylm_shared.kernel.periods import belgian_today

from testkit.apps import serving
from testkit.fakes.claims import InMemoryPolicies
from testkit.platform import Endpoints, isolated
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

IBAN = "BE71 0961 2345 6769"


@dataclass
class Api:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    policy_id: str

    async def declare(self, facts: dict[str, Any]) -> dict[str, Any]:
        body = {
            "member_id": self.holder,
            "policy_id": self.policy_id,
            "cover": "assistance",
            "event_date": belgian_today().isoformat(),
            "facts": facts,
        }
        response = await self.client.post(
            "/v1/claims", json=body, headers=self.tokens.member(self.holder)
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def staff(self, path: str, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.tokens.staff())


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
        e_protection=False,
        first_premium_paid=True,
        signed=True,
    )
    policies = InMemoryPolicies()
    policies.add(policy)
    tokens = TokenMint()
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = create_app(settings, policies=lambda _: policies)
    async with serving(app, tokens) as client:
        yield Api(client, tokens, holder, policy.policy_id)


def abroad(*requests: dict[str, Any]) -> dict[str, Any]:
    # Outside Europe, 19 days into a trip whose return date is not known (PA-3, AS-3).
    departed = belgian_today() - timedelta(days=18)
    return {
        "country": "TH",
        "trip_departed_on": departed.isoformat(),
        "hospitalised_days": 6,
        "requests": list(requests),
    }


async def test_as3_repatriation_and_dental_offer_for_the_repatriation_accepted(api: Api) -> None:
    """AS-3 / PA-3 (issue 16, by hand): repatriation by ambulance plane (no cap) + urgent
    dental care, return date unknown: covered, ceiling null, an offer for the
    repatriation is made and accepted."""
    claim = await api.declare(
        abroad(
            {"service": "repatriation", "amount": "18500.00"},
            {"service": "dental_abroad", "amount": "90.00"},
        )
    )
    claim_id = claim["claim_id"]
    decided = await api.staff(f"/v1/claims/{claim_id}/decision", {"outcome": "follow_engine"})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "accepted"
    made = await api.staff(f"/v1/claims/{claim_id}/offers", {"kind": "final", "amount": "18500.00"})
    assert made.status_code == 201, made.text
    offer = made.json()["offers"][-1]
    accepted = await api.client.post(
        f"/v1/claims/{claim_id}/offers/{offer['offer_id']}/accept",
        json={"iban": IBAN},
        headers=api.tokens.member(api.holder),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["payout"]["amount"] == "18500.00"


@pytest.mark.parametrize(
    ("amount", "status"),
    [
        pytest.param("75.00", 201, id="AS-3-125-less-deductible-offered"),
        pytest.param("75.01", 422, id="AS-3-above-what-is-paid-refused"),
    ],
)
async def test_as3_deductible_taken_off_the_offer(api: Api, amount: str, status: int) -> None:
    """AS-3 (issue 16): 125 EUR of dental care less the 50 EUR deductible: 75 at most."""
    claim = await api.declare(abroad({"service": "dental_abroad", "amount": "125.00"}))
    claim_id = claim["claim_id"]
    await api.staff(f"/v1/claims/{claim_id}/decision", {"outcome": "follow_engine"})
    made = await api.staff(f"/v1/claims/{claim_id}/offers", {"kind": "final", "amount": amount})
    assert made.status_code == status, made.text
    if status == 422:
        assert made.json()["rule"] == "AS-3"


async def test_as2_once_per_accident_across_the_claimants_claims(api: Api) -> None:
    """AS-2 (issue 16 item 3): 8 hours of home help granted on a first claim leave 12 on
    a second claim for the same accident."""
    home = {"country": "BE", "hospitalised_days": 3}
    first = await api.declare({**home, "requests": [{"service": "home_help", "quantity": "8"}]})
    assert first["decision"]["outcome"] == "covered", first
    second = await api.declare({**home, "requests": [{"service": "home_help", "quantity": "20"}]})
    assert second["decision"]["outcome"] == "covered_in_part"
    assert [x["quantity"] for x in second["decision"]["limits"]] == ["12"]
