"""The claim routes with claims-svc in-process against the real FerretDB and Kafka (policy-svc
is the in-memory gateway here; the cross-service test comes with the e2e suite): a
declaration with the engine's decision (CL-1, PC-4), ``claim.declared`` once per
Idempotency-Key, evidence upload and download, documents requests, staff decisions
following or overriding the engine, and members seeing only their own claims (AC-1)."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date
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

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
GOODS = {"principal_stake": "800.00", "price": "800.00", "defect": "broken"}


@dataclass
class Claims:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    policy_id: str
    unpaid_policy_id: str
    prefix: str
    bootstrap: str

    async def declare(
        self, headers: dict[str, str] | None = None, **overrides: Any
    ) -> httpx.Response:
        body = {
            "member_id": self.holder,
            "policy_id": self.policy_id,
            "cover": "e_merchant_goods",
            "event_date": belgian_today().isoformat(),
            "facts": GOODS,
            **overrides,
        }
        return await self.client.post(
            "/v1/claims", json=body, headers=headers or self.tokens.member(self.holder)
        )

    async def events(self, topic: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.prefix}{topic}")
        return [json.loads(r.value or b"")["data"] for r in records]


@pytest.fixture
async def claims(platform: Endpoints, run_id: str) -> AsyncIterator[Claims]:
    holder = str(uuid.uuid4())
    paid = PolicyFacts(
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
    unpaid = replace(paid, policy_id=str(uuid.uuid4()), first_premium_paid=False)
    policies = InMemoryPolicies()
    policies.add(paid)
    policies.add(unpaid)
    tokens = TokenMint()
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    app = create_app(settings, policies=lambda _: policies)
    async with serving(app, tokens) as client:
        yield Claims(
            client,
            tokens,
            holder,
            paid.policy_id,
            unpaid.policy_id,
            f"{run_id}.",
            platform.kafka_bootstrap_servers,
        )


async def test_cl1_declare_answers_the_decision_and_claim_declared_goes_out_once_per_key(
    claims: Claims,
) -> None:
    key = {"Idempotency-Key": "declare-1", **claims.tokens.member(claims.holder)}
    first = await claims.declare(headers=key)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "declared"
    assert body["claim_number"].startswith(f"CL-{belgian_today().year}-")
    assert body["decision"]["outcome"] == "covered"
    assert {"PC-4", "LA-1", "LA-8"} <= set(body["decision"]["rules"])
    assert body["decision"]["reason"]["nl"] and body["decision"]["reason"]["fr"]
    assert [d["rule"] for d in body["deadlines"]] == ["LA-8"]
    assert [h["status"] for h in body["history"]] == ["declared"]

    again = await claims.declare(headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["claim_id"] == body["claim_id"]
    other = await claims.declare(headers=key, event_date="2026-01-02")
    assert other.status_code == 409

    declared = await eventually(lambda: claims.events("claim.declared"), what="claim.declared")
    assert [(e["claim_id"], e["claim_number"]) for e in declared] == [
        (body["claim_id"], body["claim_number"])
    ]
    assert declared[0]["next_deadline"]["rule"] == "LA-8"

    read = await claims.client.get(
        f"/v1/claims/{body['claim_id']}", headers=claims.tokens.member(claims.holder)
    )
    assert read.status_code == 200 and read.json()["decision"] == body["decision"]


async def test_pc4_a_claim_on_an_unpaid_contract_is_declared_with_a_rejection(
    claims: Claims,
) -> None:
    response = await claims.declare(policy_id=claims.unpaid_policy_id)
    assert response.status_code == 201, response.text
    decision = response.json()["decision"]
    assert decision["outcome"] == "rejected"
    assert [f["rule"] for f in decision["findings"]] == ["PC-4"]


async def test_cl1_evidence_is_uploaded_and_downloaded_and_checked_by_content(
    claims: Claims,
) -> None:
    claim_id = (await claims.declare()).json()["claim_id"]
    member = claims.tokens.member(claims.holder)
    url = f"/v1/claims/{claim_id}/documents"
    uploaded = await claims.client.post(
        url, files={"file": ("order.pdf", PDF, "application/pdf")}, headers=member
    )
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document["media_type"] == "application/pdf" and document["size"] == len(PDF)
    downloaded = await claims.client.get(document["href"], headers=member)
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded.headers["content-type"] == "application/pdf"

    # A file named and typed as a PDF that is not one is refused by its content.
    fake = await claims.client.post(
        url, files={"file": ("order.pdf", b"<html>hi</html>", "application/pdf")}, headers=member
    )
    assert fake.status_code == 415
    too_big = PNG + b"0" * (10 * 1024 * 1024)
    refused = await claims.client.post(
        url, files={"file": ("photo.png", too_big, "image/png")}, headers=member
    )
    assert refused.status_code == 413
    listed = await claims.client.get(f"/v1/claims/{claim_id}", headers=member)
    assert [d["document_id"] for d in listed.json()["documents"]] == [document["document_id"]]

    # A photo of a few megabytes is stored whole in claims' database.
    photo = PNG + bytes(range(256)) * (3 * 4096)
    kept = await claims.client.post(
        url, files={"file": ("photo.png", photo, "image/png")}, headers=member
    )
    assert kept.status_code == 201, kept.text
    back = await claims.client.get(kept.json()["href"], headers=member)
    assert back.content == photo and back.headers["content-type"] == "image/png"


async def test_ac1_a_member_never_sees_another_members_claims(claims: Claims) -> None:
    claim_id = (await claims.declare()).json()["claim_id"]
    stranger = claims.tokens.member(str(uuid.uuid4()))
    assert (await claims.client.get(f"/v1/claims/{claim_id}", headers=stranger)).status_code == 404
    listed = await claims.client.get(f"/v1/members/{claims.holder}/claims", headers=stranger)
    assert listed.status_code == 403
    on_behalf = await claims.declare(headers=stranger)
    assert on_behalf.status_code == 403
    upload = await claims.client.post(
        f"/v1/claims/{claim_id}/documents",
        files={"file": ("a.pdf", PDF, "application/pdf")},
        headers=stranger,
    )
    assert upload.status_code == 404
    unknown = await claims.client.get(f"/v1/claims/{uuid.uuid4()}", headers=claims.tokens.staff())
    assert unknown.status_code == 404
    mine = await claims.client.get(
        f"/v1/members/{claims.holder}/claims", headers=claims.tokens.member(claims.holder)
    )
    assert [c["claim_id"] for c in mine.json()["items"]] == [claim_id]


async def test_cl1_documents_requested_then_staff_override_needs_a_reason(claims: Claims) -> None:
    claim_id = (await claims.declare()).json()["claim_id"]
    staff, member = claims.tokens.staff(), claims.tokens.member(claims.holder)
    request = {"documents": ["order confirmation"], "respond_by": "2099-01-31"}
    by_member = await claims.client.post(
        f"/v1/claims/{claim_id}/documents-request", json=request, headers=member
    )
    assert by_member.status_code == 403
    asked = await claims.client.post(
        f"/v1/claims/{claim_id}/documents-request", json=request, headers=staff
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["status"] == "documents_requested"
    requested = await eventually(
        lambda: claims.events("claim.documents_requested"), what="claim.documents_requested"
    )
    assert requested[0]["documents"] == ["order confirmation"]
    sent = await claims.client.post(
        f"/v1/claims/{claim_id}/documents",
        files={"file": ("order.pdf", PDF, "application/pdf")},
        headers=member,
    )
    assert sent.status_code == 201

    decision = f"/v1/claims/{claim_id}/decision"
    no_reason = await claims.client.post(decision, json={"outcome": "rejected"}, headers=staff)
    assert no_reason.status_code == 422
    decided = await claims.client.post(
        decision,
        json={"outcome": "rejected", "reason": "The goods were second-hand."},
        headers=staff,
    )
    assert decided.status_code == 200, decided.text
    answer = decided.json()
    assert answer["status"] == "rejected" and answer["staff_decision"]["overridden"] is True
    assert [h["status"] for h in answer["history"]] == [
        "declared",
        "documents_requested",
        "under_assessment",
        "rejected",
    ]
    rejected = await eventually(lambda: claims.events("claim.rejected"), what="claim.rejected")
    assert [(e["claim_id"], e["overridden"]) for e in rejected] == [(claim_id, True)]
    twice = await claims.client.post(decision, json={"outcome": "follow_engine"}, headers=staff)
    assert twice.status_code == 409


async def test_cl1_staff_following_the_engine_accept_the_claim(claims: Claims) -> None:
    claim_id = (await claims.declare()).json()["claim_id"]
    decided = await claims.client.post(
        f"/v1/claims/{claim_id}/decision",
        json={"outcome": "follow_engine"},
        headers=claims.tokens.staff(),
    )
    assert decided.status_code == 200, decided.text
    accepted = await eventually(lambda: claims.events("claim.accepted"), what="claim.accepted")
    assert [(e["claim_id"], e["outcome"], e["overridden"]) for e in accepted] == [
        (claim_id, "covered", False)
    ]
    assert accepted[0]["ceiling"] == "5000.00"


async def test_cl1_claims_declared_at_once_get_distinct_numbers(claims: Claims) -> None:
    answers = await asyncio.gather(*(claims.declare() for _ in range(20)))
    assert [a.status_code for a in answers] == [201] * 20
    numbers = {a.json()["claim_number"] for a in answers}
    assert len(numbers) == 20
    listed = await claims.client.get(
        f"/v1/members/{claims.holder}/claims",
        params={"limit": 5},
        headers=claims.tokens.member(claims.holder),
    )
    page = listed.json()
    assert len(page["items"]) == 5 and page["limit"] == 5
