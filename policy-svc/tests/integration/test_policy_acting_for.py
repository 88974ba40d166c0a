"""AC-1, AC-2 at policy-svc: a titular accepts and reads a dependant's policy only with the
token exchanged at identity-svc for that dossier. identity-svc (demo data) and policy-svc
run for real, on the real platform; policy-svc learns the members from member.registered."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from identity.demo import TITULAR
from policy.bootstrap import create_app as create_policy
from policy.settings import PolicySettings

from testkit.household import CHILD, DemoHousehold, identity_and
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@dataclass
class Household(DemoHousehold):
    policy: httpx.AsyncClient


@pytest.fixture
async def household(platform: Endpoints, run_id: str) -> AsyncIterator[Household]:
    app = create_policy(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    async with identity_and(app, platform, run_id) as (identity, policy):
        yield Household(identity, policy)


async def test_ac2_the_titular_accepts_the_childs_policy_only_with_the_exchanged_token(
    household: Household,
) -> None:
    staff = await household.bearer("demo.staff")
    body = {
        "policyholder_member_id": CHILD,
        "formula": "family",
        "start_date": "2027-01-01",
        "threshold_pct": 10,
        "e_protection": False,
    }

    async def propose() -> httpx.Response:
        return await household.policy.post("/v1/policies", json=body, headers=staff)

    proposed = await eventually(
        propose, until=lambda r: r.status_code == 201, what="policy-svc knows the child"
    )
    policy_id = proposed.json()["policy_id"]
    own = await household.bearer("demo.titular")
    accept_url = f"/v1/policies/{policy_id}/accept"
    assert (await household.policy.post(accept_url, headers=own)).status_code == 404

    exchanged = await household.identity.post(f"/v1/me/dossiers/{CHILD}/token", headers=own)
    assert exchanged.status_code == 200, exchanged.text
    acting = {"Authorization": f"Bearer {exchanged.json()['access_token']}"}
    accepted = await household.policy.post(accept_url, headers=acting)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "awaiting_first_premium"

    listed = await household.policy.get(f"/v1/members/{CHILD}/policies", headers=acting)
    assert [p["policy_id"] for p in listed.json()["items"]] == [policy_id]
    titular = await household.policy.get(f"/v1/members/{TITULAR}/policies", headers=acting)
    assert titular.status_code == 403
