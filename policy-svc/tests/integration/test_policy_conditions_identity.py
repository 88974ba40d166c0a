"""With identity-svc's real demo data (in process, real platform): its household events
seed the titular's family contract (PC-3: the 12-, 16- and 20-year-old dependants living
in), the special conditions name them, and a titular reads a dependant's conditions only
with the token exchanged for that dossier (AC-1, AC-2)."""

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from identity.demo import TITULAR
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app as create_policy
from policy.settings import PolicySettings
from pypdf import PdfReader

from testkit.household import ADULT, CHILD, TEEN, DemoHousehold, identity_and
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

START = "2027-01-01"


@dataclass
class Household(DemoHousehold):
    policy: httpx.AsyncClient
    db: Any

    async def propose(self, member_id: str) -> str:
        staff = await self.bearer("demo.staff")
        body = {
            "policyholder_member_id": member_id,
            "formula": "family",
            "start_date": START,
            "threshold_pct": 5,
            "e_protection": True,
        }
        response = await self.policy.post("/v1/policies", json=body, headers=staff)
        assert response.status_code == 201, response.text
        policy_id: str = response.json()["policy_id"]
        return policy_id


@pytest.fixture
async def household(platform: Endpoints, run_id: str) -> AsyncIterator[Household]:
    app = create_policy(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    async with identity_and(app, platform, run_id) as (identity, policy):
        db = app.state.runtime.db

        async def household_known() -> bool:
            known = {TITULAR, CHILD, TEEN, ADULT}
            count: int = await db[MEMBERS].count_documents({"_id": {"$in": list(known)}})
            return count == len(known)

        await eventually(household_known, what="policy-svc learns identity's demo household")
        yield Household(identity, policy, db)


def pdf_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


async def test_pc3_identitys_household_is_seeded_and_named_in_the_conditions(
    household: Household,
) -> None:
    policy_id = await household.propose(TITULAR)
    own = await household.bearer("demo.titular")
    accepted = await household.policy.post(f"/v1/policies/{policy_id}/accept", headers=own)
    assert accepted.status_code == 200, accepted.text

    insured = await household.policy.get(
        f"/v1/policies/{policy_id}/insured", params={"date": START}, headers=own
    )
    persons = {
        p["person_id"]: (p["insured"], p["rule"], p["reason"]) for p in insured.json()["persons"]
    }
    living_in = (True, "PC-3", "child living with the policyholder")
    assert persons == {
        TITULAR: (True, "PC-3", "policyholder"),
        ADULT: living_in,  # 20 on the start date: insured because living in
        TEEN: living_in,
        CHILD: living_in,
    }
    text = pdf_text(await household.policy.get(f"/v1/policies/{policy_id}/conditions", headers=own))
    for name in ("Jan Peeters", "Emma Peeters", "Wout Peeters", "Lotte Peeters"):
        assert name in text
    assert "Verzekerde personen op 1 januari 2027" in text


async def test_ac2_a_titular_reads_a_dependants_conditions_with_the_exchanged_token_only(
    household: Household,
) -> None:
    policy_id = await household.propose(CHILD)
    own = await household.bearer("demo.titular")
    url = f"/v1/policies/{policy_id}/conditions"
    assert (await household.policy.get(url, headers=own)).status_code == 404
    exchanged = await household.exchange(own, CHILD)
    assert exchanged.status_code == 200, exchanged.text
    acting = {"Authorization": f"Bearer {exchanged.json()['access_token']}"}
    assert "Voorstel van bijzondere voorwaarden" in pdf_text(
        await household.policy.get(url, headers=acting)
    )
