"""Evidence uploads bounded and authenticated before they are read (issue 15 item 5),
against the real FerretDB and Kafka: a 50 MiB stream is cut at the upload limit with a
413, an anonymous one is refused 401 before one byte is read, and neither stores
anything; a file name the store could not hold is cleaned."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
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
from testkit.platform import Endpoints, isolated
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

MIB = 1024 * 1024
CHUNK = 64 * 1024
STREAM = 50 * MIB
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BOUNDARY = "mylmboundary"


@dataclass
class Dossier:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    claim_id: str
    upload_limit: int

    @property
    def url(self) -> str:
        return f"/v1/claims/{self.claim_id}/documents"

    async def documents(self) -> list[dict[str, Any]]:
        claim = await self.client.get(
            f"/v1/claims/{self.claim_id}", headers=self.tokens.member(self.holder)
        )
        assert claim.status_code == 200, claim.text
        documents: list[dict[str, Any]] = claim.json()["documents"]
        return documents


@pytest.fixture
async def dossier(platform: Endpoints, run_id: str) -> AsyncIterator[Dossier]:
    holder = str(uuid.uuid4())
    policies = InMemoryPolicies()
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
    policies.add(policy)
    tokens = TokenMint()
    settings = ClaimsSettings(**isolated(platform, run_id, "claims"))  # type: ignore[arg-type]
    async with serving(create_app(settings, policies=lambda _: policies), tokens) as client:
        declared = await client.post(
            "/v1/claims",
            json={
                "member_id": holder,
                "policy_id": policy.policy_id,
                "cover": "e_merchant_goods",
                "event_date": belgian_today().isoformat(),
                "facts": {"principal_stake": "800.00", "price": "800.00", "defect": "broken"},
            },
            headers=tokens.member(holder),
        )
        assert declared.status_code == 201, declared.text
        yield Dossier(
            client, tokens, holder, declared.json()["claim_id"], settings.max_upload_body_bytes
        )


@dataclass
class Stream:
    """A multipart body of ``total`` bytes, produced only as the server asks for it."""

    total: int
    yielded: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        self.yielded += len(head)
        yield head + PDF
        while self.yielded < self.total:
            self.yielded += CHUNK
            yield b"0" * CHUNK


MULTIPART = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


async def test_a_50_mib_evidence_stream_is_cut_at_the_upload_limit(dossier: Dossier) -> None:
    """Issue 15 item 5: no Content-Length; the claims app reads at most the upload limit
    (MAX_UPLOAD_BODY_BYTES, 10 MiB and the envelope) plus one chunk, answers 413
    problem+json, and the claim has no document."""
    stream = Stream(STREAM)
    response = await dossier.client.post(
        dossier.url, content=stream, headers={**dossier.tokens.member(dossier.holder), **MULTIPART}
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert dossier.upload_limit < stream.yielded <= dossier.upload_limit + 2 * CHUNK
    assert await dossier.documents() == []


@pytest.mark.parametrize("authorization", [None, "Bearer forged.token.value"])
async def test_an_anonymous_50_mib_upload_is_refused_before_one_byte_is_read(
    dossier: Dossier, authorization: str | None
) -> None:
    """Issue 15 item 5: 401 with the bearer challenge, decided from the headers: the
    body was never asked for, so nothing was spooled."""
    stream = Stream(STREAM)
    headers = {**MULTIPART, **({"authorization": authorization} if authorization else {})}
    response = await dossier.client.post(dossier.url, content=stream, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert stream.yielded == 0
    assert await dossier.documents() == []


async def test_a_file_name_the_store_cannot_hold_is_cleaned(dossier: Dossier) -> None:
    """Issue 15 item 5: control characters and separators leave an uploaded file's name
    (it is not refused: the member did not type it in our form)."""
    response = await dossier.client.post(
        dossier.url,
        files={"file": ("../bon\x1b\x7f.pdf", PDF, "application/pdf")},
        headers=dossier.tokens.member(dossier.holder),
    )
    assert response.status_code == 201, response.text
    assert response.json()["file_name"] == ".._bon.pdf"
    assert [d["file_name"] for d in await dossier.documents()] == [".._bon.pdf"]
