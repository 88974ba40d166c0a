"""Issue 15 items 3 and 7 through claims-svc's routes, in-process against the real
FerretDB and Kafka (policy-svc is the in-memory gateway; the HTTP gateway's ``/insured``
read is tested against policy-svc in test_policy_gateway.py):

* CL-1 / AC-1: a claim names a contract on which the claimant is policyholder or insured
  person on the event date; Marie naming Jan's contract gets byte for byte what an
  unknown contract gets, nothing is stored and nothing goes on the bus;
* AC-2: a titular acting for a dependant (exchanged token) declares on the dependant's
  contracts, and is recorded beside the dossier (``acted_by``) on the declaration, the
  evidence and the acceptance, in the stored claim and in the events;
* setting or changing the payout IBAN needs a login of less than 5 minutes ago (401
  ``urn:mylm:problem:fresh-login-required`` with RFC 9470's challenge otherwise), and
  ``claim.payout_account_changed`` (masked) goes out for the claimant's e-mail."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
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
from testkit.kafka import read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

GOODS = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BE_IBAN, NL_IBAN = "BE71 0961 2345 6769", "NL91 ABNA 0417 1643 00"
FRESH_LOGIN = "urn:mylm:problem:fresh-login-required"


@dataclass
class World:
    client: httpx.AsyncClient
    tokens: TokenMint
    policies: InMemoryPolicies
    jan: str
    child: str
    marie: str
    jans: str  # Jan's family contract, insuring the child
    maries: str
    prefix: str
    bootstrap: str

    async def declare(
        self,
        member_id: str,
        policy_id: str | None,
        headers: dict[str, str],
        event_date: date | None = None,
    ) -> httpx.Response:
        body: dict[str, Any] = {
            "member_id": member_id,
            "cover": "e_merchant_goods",
            "event_date": (event_date or belgian_today()).isoformat(),
            "facts": GOODS,
        }
        if policy_id is not None:
            body["policy_id"] = policy_id
        return await self.client.post("/v1/claims", json=body, headers=headers)

    async def events(self, topic: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.prefix}{topic}")
        return [json.loads(r.value or b"")["data"] for r in records]


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[World]:
    jan, child, marie = (str(uuid.uuid4()) for _ in range(3))
    jans = PolicyFacts(
        policy_id=str(uuid.uuid4()),
        policyholder_id=jan,
        formula="family",
        start_date=date(2025, 1, 1),
        end_date=None,
        threshold_pct=5,
        e_protection=True,
        first_premium_paid=True,
        signed=True,
    )
    maries = replace(jans, policy_id=str(uuid.uuid4()), policyholder_id=marie, formula="single")
    policies = InMemoryPolicies()
    policies.add(jans, child)
    policies.add(maries)
    tokens = TokenMint()
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = create_app(settings, policies=lambda _: policies)
    async with serving(app, tokens) as client:
        yield World(
            client,
            tokens,
            policies,
            jan,
            child,
            marie,
            jans.policy_id,
            maries.policy_id,
            f"{run_id}.",
            platform.kafka_bootstrap_servers,
        )


def without_instance(response: httpx.Response) -> tuple[int, str, dict[str, Any]]:
    return response.status_code, response.headers["content-type"], response.json()


async def test_cl1_the_policyholder_and_an_insured_person_declare_on_their_contract(
    world: World,
) -> None:
    """Issue 15 item 3: own contract as policyholder, and as insured person (PC-3)."""
    holder = await world.declare(world.jan, world.jans, world.tokens.member(world.jan))
    insured = await world.declare(world.child, world.jans, world.tokens.member(world.child))
    assert holder.status_code == 201 and insured.status_code == 201, insured.text
    assert insured.json()["member_id"] == world.child  # (LA-1 rejects it: one a year)


async def test_ac1_another_members_contract_is_answered_exactly_like_an_unknown_one(
    world: World,
) -> None:
    """Issue 15 item 3: Marie naming Jan's contract learns nothing of it (no dates, no
    states): the same status and problem body as a made-up id; nothing stored, no event."""
    marie = world.tokens.member(world.marie)
    theirs = await world.declare(world.marie, world.jans, marie)
    made_up = await world.declare(world.marie, str(uuid.uuid4()), marie)
    assert theirs.status_code == 422
    assert without_instance(theirs) == without_instance(made_up)
    assert world.jans not in theirs.text
    listed = await world.client.get(f"/v1/members/{world.marie}/claims", headers=marie)
    assert listed.json()["items"] == []
    # Her own contract answers; only then is an event there (so the absence above counts).
    own = await world.declare(world.marie, world.maries, marie)
    assert own.status_code == 201, own.text
    declared = await eventually(lambda: world.events("claim.declared"), what="claim.declared")
    assert [e["policy_id"] for e in declared] == [world.maries]


@pytest.mark.parametrize("when", ["moved_in_after", "left_before"])
async def test_pc3_a_contract_not_insuring_the_claimant_on_the_event_date_is_unknown(
    world: World, when: str
) -> None:
    """Issue 15 item 3: insured on the event date, not before it or after it."""
    today = belgian_today()
    window = (
        (today + timedelta(days=1), None) if when == "moved_in_after" else (date(2025, 1, 1), today)
    )
    world.policies.windows[(world.jans, world.child)] = window
    child = world.tokens.member(world.child)
    refused = await world.declare(world.child, world.jans, child)
    unknown = await world.declare(world.child, str(uuid.uuid4()), child)
    assert refused.status_code == 422
    assert without_instance(refused) == without_instance(unknown)


async def test_ac2_a_titular_acting_for_a_dependant_is_recorded_beside_the_dossier(
    world: World,
) -> None:
    """Issue 15 items 3 and 7: Jan acting for his child declares without a policy id (his
    family contract insures the child), uploads evidence and accepts the offer; each is
    recorded with Jan beside the child's dossier, stored and on the bus; acting for the
    child does not reach Marie's contract."""
    acting = world.tokens.acting(world.jan, world.child)
    elsewhere = await world.declare(world.child, world.maries, acting)
    assert elsewhere.status_code == 422
    declared = await world.declare(world.child, None, acting)
    assert declared.status_code == 201, declared.text
    claim = declared.json()
    assert claim["policy_id"] == world.jans and claim["member_id"] == world.child
    assert claim["history"][0]["acted_by"] == world.jan
    assert claim["history"][0]["by"] == f"account-of-{world.jan}"
    claim_id = claim["claim_id"]

    staff = world.tokens.staff()
    asked = await world.client.post(
        f"/v1/claims/{claim_id}/documents-request", json={"documents": ["invoice"]}, headers=staff
    )
    assert asked.status_code == 200, asked.text
    files = {"file": ("invoice.pdf", PDF, "application/pdf")}
    uploaded = await world.client.post(
        f"/v1/claims/{claim_id}/documents", files=files, headers=acting
    )
    assert uploaded.status_code == 201, uploaded.text
    decided = await world.client.post(
        f"/v1/claims/{claim_id}/decision", json={"outcome": "follow_engine"}, headers=staff
    )
    assert decided.status_code == 200, decided.text
    history = decided.json()["history"]
    assert [(h["status"], h["acted_by"]) for h in history] == [
        ("declared", world.jan),
        ("documents_requested", None),
        ("under_assessment", world.jan),
        ("accepted", None),
    ]
    made = await world.client.post(
        f"/v1/claims/{claim_id}/offers", json={"kind": "final", "amount": "100"}, headers=staff
    )
    offer_id = made.json()["offers"][-1]["offer_id"]
    accepted = await world.client.post(
        f"/v1/claims/{claim_id}/offers/{offer_id}/accept", json={"iban": BE_IBAN}, headers=acting
    )
    assert accepted.status_code == 200, accepted.text

    events = await eventually(
        lambda: world.events("claim.offer_accepted"), what="claim.offer_accepted"
    )
    assert [e["acted_by"] for e in events] == [world.jan]
    assert [e["acted_by"] for e in await world.events("claim.declared")] == [world.jan]
    changed = await eventually(
        lambda: world.events("claim.payout_account_changed"), what="payout account"
    )
    assert [(e["member_id"], e["acted_by"], e["iban_last4"]) for e in changed] == [
        (world.child, world.jan, "6769")
    ]


async def test_the_payout_account_is_set_and_changed_only_after_a_fresh_login(
    world: World,
) -> None:
    """Issue 15 item 7: accepting with an IBAN, and changing it for a payout not yet
    paid, need a login of less than 5 minutes ago (401 telling the client to log in
    again); each goes out masked as ``claim.payout_account_changed``."""
    jan_fresh = world.tokens.member(world.jan)
    jan_stale = world.tokens.member(world.jan, logged_in_ago=301)
    claim_id = (await world.declare(world.jan, world.jans, jan_fresh)).json()["claim_id"]
    staff = world.tokens.staff()
    await world.client.post(
        f"/v1/claims/{claim_id}/decision", json={"outcome": "follow_engine"}, headers=staff
    )
    made = await world.client.post(
        f"/v1/claims/{claim_id}/offers", json={"kind": "final", "amount": "100"}, headers=staff
    )
    offer_id = made.json()["offers"][-1]["offer_id"]
    accept = f"/v1/claims/{claim_id}/offers/{offer_id}/accept"

    stale = await world.client.post(accept, json={"iban": BE_IBAN}, headers=jan_stale)
    assert stale.status_code == 401, stale.text
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["type"] == FRESH_LOGIN and stale.json()["max_age"] == 300
    assert 'error="insufficient_user_authentication"' in stale.headers["www-authenticate"]
    fresh = await world.client.post(accept, json={"iban": BE_IBAN}, headers=jan_fresh)
    assert fresh.status_code == 200, fresh.text
    payout_id = fresh.json()["payout"]["payout_id"]

    account = f"/v1/claims/{claim_id}/payouts/{payout_id}/account"
    refused = await world.client.put(account, json={"iban": NL_IBAN}, headers=jan_stale)
    assert refused.status_code == 401 and refused.json()["type"] == FRESH_LOGIN
    marie = await world.client.put(
        account, json={"iban": NL_IBAN}, headers=world.tokens.member(world.marie)
    )
    assert marie.status_code == 404  # not hers: as if there were no such claim
    by_staff = await world.client.put(account, json={"iban": NL_IBAN}, headers=staff)
    assert by_staff.status_code == 403
    changed = await world.client.put(account, json={"iban": NL_IBAN}, headers=jan_fresh)
    assert changed.status_code == 200, changed.text
    assert changed.json()["payout"]["iban_last4"] == "4300"
    again = await world.client.put(account, json={"iban": NL_IBAN}, headers=jan_stale)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"

    async def both() -> list[dict[str, Any]]:
        found = await world.events("claim.payout_account_changed")
        return found if len(found) >= 2 else []

    events = await eventually(both, what="two payout account changes")
    assert [(e["iban_last4"], e["previous_iban_last4"]) for e in events] == [
        ("6769", None),
        ("4300", "6769"),
    ]
    assert "NL91ABNA0417164300" not in json.dumps(events)

    paid = await world.client.post(
        f"/v1/claims/{claim_id}/payouts/{payout_id}/paid",
        json={"paid_on": belgian_today().isoformat()},
        headers=staff,
    )
    assert paid.status_code == 200, paid.text
    late = await world.client.put(account, json={"iban": BE_IBAN}, headers=jan_fresh)
    assert late.status_code == 409  # paid: the money left already
