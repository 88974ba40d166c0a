"""``POST /v1/cover-check`` with claims-svc in-process against the real FerretDB and Kafka:
the engine's decisions with their rules (LA-4, LA-8, PC-4, PA-7/CL-2), the refusals of
facts it cannot take (CL-1, LA-10), staff only, nothing stored."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from claims.bootstrap import create_app
from claims.settings import ClaimsSettings

from testkit.apps import serving
from testkit.platform import Endpoints, isolated
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

POLICY: dict[str, Any] = {
    "formula": "single",
    "start_date": "2026-01-01",
    "end_date": None,
    "first_premium_paid": True,
    "threshold_pct": 5,
    "e_protection": True,
    "prior_claims": [],
}
GOODS = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}


@dataclass
class CoverCheck:
    client: httpx.AsyncClient
    tokens: TokenMint
    app: Any

    async def check(
        self,
        cover: str,
        facts: dict[str, Any],
        *,
        event_date: str = "2026-03-02",
        declared_on: str = "2026-03-03",
        headers: dict[str, str] | None = None,
        **policy: Any,
    ) -> httpx.Response:
        claim = {"cover": cover, "event_date": event_date, "declared_on": declared_on}
        body = {"policy": {**POLICY, **policy}, "claim": {**claim, "facts": facts}}
        return await self.client.post(
            "/v1/cover-check",
            json=body,
            headers=self.tokens.staff() if headers is None else headers,
        )


@pytest.fixture
async def cover_check(platform: Endpoints, run_id: str) -> AsyncIterator[CoverCheck]:
    tokens = TokenMint()
    app = create_app(ClaimsSettings(**isolated(platform, run_id, "claims")))  # type: ignore[arg-type]
    async with serving(app, tokens) as client:
        yield CoverCheck(client, tokens, app)


async def test_la8_la11_e_merchant_goods_covered_up_to_5000(cover_check: CoverCheck) -> None:
    response = await cover_check.check("e_merchant_goods", GOODS)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["outcome"] == "covered"
    assert answer["ceiling"] == "5000.00"
    assert answer["deductible"] is None
    assert answer["late_declaration"] is False
    assert {"PC-4", "LA-1", "LA-4", "LA-8", "LA-11"} <= set(answer["rules"])
    assert answer["reason"]["nl"].startswith("Gedekt")
    assert answer["reason"]["fr"].startswith("Couvert")
    assert answer["findings"] == []


@pytest.mark.parametrize(
    ("stake", "outcome"),
    [
        pytest.param("150.00", "rejected", id="LA-4-stake-150.00-refused"),
        pytest.param("150.01", "covered", id="LA-4-stake-150.01-covered"),
    ],
)
async def test_la4_a_stake_not_above_150_is_refused(
    cover_check: CoverCheck, stake: str, outcome: str
) -> None:
    facts = {"principal_stake": stake, "defect": "badly_performed"}
    answer = (await cover_check.check("e_merchant_service", facts)).json()
    assert answer["outcome"] == outcome
    refused = [f["rule"] for f in answer["findings"] if f["effect"] == "reject"]
    assert refused == (["LA-4"] if outcome == "rejected" else [])
    if outcome == "rejected":
        assert answer["ceiling"] is None
        assert "(LA-4)" in answer["reason"]["nl"] and "(LA-4)" in answer["reason"]["fr"]


async def test_pc4_unpaid_first_premium_is_rejected(cover_check: CoverCheck) -> None:
    response = await cover_check.check("e_merchant_goods", GOODS, first_premium_paid=False)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["outcome"] == "rejected"
    assert [f["rule"] for f in answer["findings"]] == ["PC-4"]
    assert "premie" in answer["reason"]["nl"] and "prime" in answer["reason"]["fr"]
    assert answer["ceiling"] is None


@pytest.mark.parametrize(
    ("declared_on", "late"),
    [
        pytest.param("2026-03-10", False, id="PA-7-day-8-in-time"),
        pytest.param("2026-03-11", True, id="PA-7-day-9-late-CL-2"),
    ],
)
async def test_pa7_cl2_a_late_declaration_is_flagged_not_refused(
    cover_check: CoverCheck, declared_on: str, late: bool
) -> None:
    facts = {"country": "BE", "disability_pct": "10"}
    answer = (await cover_check.check("accident", facts, declared_on=declared_on)).json()
    assert answer["late_declaration"] is late
    assert answer["outcome"] == "covered"
    flagged = [f["rule"] for f in answer["findings"] if f["effect"] == "flag"]
    assert flagged == (["PA-7", "CL-2"] if late else [])


async def test_cl1_an_unknown_fact_is_a_422_naming_it(cover_check: CoverCheck) -> None:
    response = await cover_check.check("e_merchant_goods", {**GOODS, "colour": "red"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["location"][-1], e["type"]) for e in errors] == [("colour", "extra_forbidden")]


async def test_cl1_facts_of_another_cover_are_a_422(cover_check: CoverCheck) -> None:
    response = await cover_check.check("accident", GOODS)
    assert response.status_code == 422
    named = {e["location"][-1] for e in response.json()["errors"]}
    assert {"principal_stake", "price", "defect", "country"} <= named


@pytest.mark.parametrize(
    ("cover", "facts", "declared_on", "rule"),
    [
        pytest.param(
            "e_merchant_goods",
            GOODS,
            "2026-03-01",  # the event is on 2026-03-02
            "CL-1",
            id="CL-1-declared-before-the-event",
        ),
        pytest.param(
            "identity_theft",
            {"principal_stake": "800.00", "exclusions": ["animals_or_plants"]},
            "2026-03-03",
            "LA-10",
            id="LA-10-exclusion-of-another-cover",
        ),
    ],
)
async def test_claims_the_engine_cannot_judge_are_a_422_naming_the_rule(
    cover_check: CoverCheck, cover: str, facts: dict[str, Any], declared_on: str, rule: str
) -> None:
    response = await cover_check.check(cover, facts, declared_on=declared_on)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["rule"] == rule


async def test_staff_only_and_nothing_is_stored(cover_check: CoverCheck) -> None:
    anonymous = await cover_check.check("e_merchant_goods", GOODS, headers={})
    assert anonymous.status_code == 401
    member = await cover_check.check(
        "e_merchant_goods", GOODS, headers=cover_check.tokens.member("m-1")
    )
    assert member.status_code == 403
    assert member.headers["content-type"] == "application/problem+json"
    assert (await cover_check.check("e_merchant_goods", GOODS)).status_code == 200
    db = cover_check.app.state.runtime.db
    for stored in ("claims", "claim_files", "sequence_blocks"):  # no claim, file or number
        assert await db[stored].count_documents({}) == 0


async def test_la11_identity_theft_through_three_stages_shows_three_stage_amounts(
    cover_check: CoverCheck,
) -> None:
    """LA-11 (issue 16, by hand): an identity-theft dispute through expertise, first
    instance and appeal has each stage's amount, plus the Group II indemnity."""
    facts = {"principal_stake": "3000.00", "stages": ["expertise", "first_instance", "appeal"]}
    response = await cover_check.check("identity_theft", facts)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["outcome"] == "covered"
    assert [(x["item"], x["amount"], x["rule"]) for x in answer["limits"]] == [
        ("defence_expertise", "2500.00", "LA-11"),
        ("defence_first_instance", "5750.00", "LA-11"),
        ("defence_appeal", "5750.00", "LA-11"),
        ("indemnity_identity_theft", "5000.00", "LA-11"),
    ]
    assert answer["ceiling"] == "19000.00"


ABROAD = {
    "country": "MA",
    "trip_departed_on": "2026-02-20",
    "hospitalised_days": 6,
    "requests": [
        {"service": "repatriation", "amount": "18500.00"},
        {"service": "dental_abroad", "amount": "90.00"},
    ],
}


async def test_as3_repatriation_without_cap_gives_a_null_ceiling(cover_check: CoverCheck) -> None:
    """AS-3 (issue 16): repatriation by ambulance plane has no cap: its limit and the
    claim's ceiling are null (no cap), dental care keeps its 125; the return date is
    unknown and that is no refusal (PA-3)."""
    response = await cover_check.check("assistance", ABROAD, event_date="2026-03-02")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["outcome"] == "covered", answer["reason"]["nl"]
    assert answer["ceiling"] is None
    assert answer["deductible"] == "50.00"
    assert [(x["item"], x["amount"]) for x in answer["limits"]] == [
        ("repatriation", None),
        ("dental_abroad", "125.00"),
    ]


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        pytest.param("accepted", "rejected", id="AS-2-granted-before-used-up"),
        pytest.param("withdrawn", "covered", id="AS-2-withdrawn-uses-nothing"),
    ],
)
async def test_as2_prior_claims_carry_what_was_granted(
    cover_check: CoverCheck, status: str, outcome: str
) -> None:
    """AS-2 (issue 16 item 3): the cover-check's ``prior_claims`` carry the services
    granted; a withdrawn claim uses nothing."""
    prior = {
        "cover": "assistance",
        "event_date": "2026-03-02",
        "status": status,
        "granted": [{"service": "home_help", "quantity": "20"}],
    }
    facts = {
        "country": "BE",
        "hospitalised_days": 3,
        "requests": [{"service": "home_help", "quantity": "4"}],
    }
    response = await cover_check.check("assistance", facts, prior_claims=[prior])
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == outcome
