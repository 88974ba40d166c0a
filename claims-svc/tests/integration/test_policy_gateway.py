"""The HTTP policy gateway against policy-svc itself (both in-process on the real FerretDB
and Kafka), with a client credentials token (scope ``policy:read``): a contract's facts,
its state on a date, a member's contracts, and a declaration decided on them (PC-4: the
first premium is unpaid, so the claim is declared with a rejection)."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from claims.adapters.policy_http import HttpPolicies
from claims.bootstrap import create_app as claims_app
from claims.settings import ClaimsSettings
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from mylm_shared.kernel.periods import belgian_today
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app as policy_app
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.fakes.claims import FakeServiceTokens
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

START = date(2026, 1, 1)


def minted(tokens: TokenMint) -> FakeServiceTokens:
    """claims-svc's service token, signed by the test's key as identity-svc would."""
    return FakeServiceTokens(lambda: tokens.service()["Authorization"].removeprefix("Bearer "))


@dataclass
class Contract:
    gateway: HttpPolicies
    tokens: TokenMint
    holder: str
    policy_id: str


@pytest.fixture
async def contract(platform: Endpoints, run_id: str) -> AsyncIterator[Contract]:
    tokens = TokenMint()
    holder = str(uuid.uuid4())
    app = policy_app(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
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
            return bool(await members.count_documents({"_id": holder}) == 1)

        await eventually(known, what="policy-svc learns the member")
        proposal = {
            "policyholder_member_id": holder,
            "formula": "single",
            "start_date": START.isoformat(),
            "threshold_pct": 5,
            "e_protection": True,
        }
        proposed = await client.post("/v1/policies", json=proposal, headers=tokens.staff())
        assert proposed.status_code == 201, proposed.text
        policy_id = proposed.json()["policy_id"]
        accepted = await client.post(
            f"/v1/policies/{policy_id}/accept", headers=tokens.member(holder)
        )
        assert accepted.status_code == 200, accepted.text
        gateway = HttpPolicies("http://service", minted(tokens), client)
        yield Contract(gateway, tokens, holder, policy_id)


async def test_pc4_the_gateway_reads_an_issued_contract_awaiting_its_first_premium(
    contract: Contract,
) -> None:
    facts = await contract.gateway.policy(contract.policy_id)
    assert facts is not None
    assert (facts.policyholder_id, facts.formula, facts.start_date) == (
        contract.holder,
        "single",
        START,
    )
    assert facts.signed and facts.e_protection and not facts.first_premium_paid
    assert facts.end_date is None
    state = await contract.gateway.state_on(contract.policy_id, date(2026, 3, 2))
    assert state is not None and state.status == "awaiting_first_premium"
    assert state.covers == () and state.insured == ()
    mine = await contract.gateway.policies_of(contract.holder)
    assert [p.policy_id for p in mine] == [contract.policy_id]
    assert await contract.gateway.policy(str(uuid.uuid4())) is None


async def test_pc4_a_claim_on_the_unpaid_contract_is_declared_with_a_rejection(
    platform: Endpoints, run_id: str, contract: Contract
) -> None:
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = claims_app(settings, policies=lambda _: contract.gateway)
    async with serving(app, contract.tokens) as client:
        body = {
            "member_id": contract.holder,
            "cover": "e_merchant_goods",
            "event_date": belgian_today().isoformat(),  # declared in time (LA-14)
            "facts": {"principal_stake": "800.00", "price": "800.00", "defect": "broken"},
        }
        response = await client.post(
            "/v1/claims", json=body, headers=contract.tokens.member(contract.holder)
        )
        assert response.status_code == 201, response.text
        claim = response.json()
        assert claim["policy_id"] == contract.policy_id  # found from the claimant
        assert claim["decision"]["outcome"] == "rejected"
        assert [f["rule"] for f in claim["decision"]["findings"]] == ["PC-4"]


async def test_a_policy_svc_outage_answers_503_and_stores_nothing(
    platform: Endpoints, run_id: str
) -> None:
    tokens = TokenMint()
    down = HttpPolicies("http://127.0.0.1:9", minted(tokens))
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = claims_app(settings, policies=lambda _: down)
    member = str(uuid.uuid4())
    async with serving(app, tokens) as client:
        body = {
            "member_id": member,
            "cover": "e_merchant_service",
            "event_date": "2026-03-02",
            "facts": {"principal_stake": "800.00", "defect": "not_performed"},
        }
        response = await client.post("/v1/claims", json=body, headers=tokens.member(member))
        assert response.status_code == 503, response.text
        listed = await client.get(f"/v1/members/{member}/claims", headers=tokens.member(member))
        assert listed.json()["items"] == []
    await down.aclose()


async def test_another_members_contract_through_policy_svc_is_answered_like_an_unknown_one(
    platform: Endpoints, run_id: str, contract: Contract
) -> None:
    """Issue 15 item 3 (CL-1, AC-1) against policy-svc itself: the gateway reads who the
    contract insures on a date (``/insured``, PC-2), and a stranger naming the contract
    gets exactly the answer of an unknown one; the policyholder is answered."""
    day = date(2026, 3, 2)
    assert await contract.gateway.insured_on(contract.policy_id, day) == (contract.holder,)
    assert await contract.gateway.insured_on(str(uuid.uuid4()), day) is None
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = claims_app(settings, policies=lambda _: contract.gateway)
    stranger = str(uuid.uuid4())
    async with serving(app, contract.tokens) as client:

        async def declare(member_id: str, policy_id: str) -> httpx.Response:
            body = {
                "member_id": member_id,
                "policy_id": policy_id,
                "cover": "e_merchant_goods",
                "event_date": belgian_today().isoformat(),
                "facts": {"principal_stake": "800.00", "price": "800.00", "defect": "broken"},
            }
            headers = contract.tokens.member(member_id)
            return await client.post("/v1/claims", json=body, headers=headers)

        theirs = await declare(stranger, contract.policy_id)
        unknown = await declare(stranger, str(uuid.uuid4()))
        assert theirs.status_code == 422, theirs.text
        assert theirs.json() == unknown.json()
        own = await declare(contract.holder, contract.policy_id)
        assert own.status_code == 201, own.text
