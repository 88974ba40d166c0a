"""The HTTP policy gateway's answers to what policy-svc and the token endpoint do: a
refused token is asked for again once, outages become ``Unavailable`` (503 upstream),
404 is "no such policy", and policy-svc's PolicyOut maps to the facts PC-4 needs."""

from datetime import date

import httpx
import pytest
from claims.adapters.policy_http import HttpPolicies
from mylm_shared.failures import Unavailable

from testkit.fakes.claims import FakeServiceTokens

POLICY = {
    "policy_id": "p1",
    "policyholder_member_id": "m1",
    "formula": "family",
    "start_date": "2026-01-01",
    "threshold_pct": 5,
    "e_protection": True,
    "signed_on": "2025-12-20",
    "ending": {"effective_on": "2027-01-01"},
    "premium_terms": [{"term_number": 1, "paid_on": "2025-12-28"}],
}


def gateway(handler: httpx.MockTransport, tokens: FakeServiceTokens | None = None) -> HttpPolicies:
    client = httpx.AsyncClient(transport=handler)
    return HttpPolicies("http://policy", tokens or FakeServiceTokens(), client)


async def test_pc4_policy_out_maps_to_the_contract_facts() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer token-0"
        return httpx.Response(200, json=POLICY)

    facts = await gateway(httpx.MockTransport(answer)).policy("p1")
    assert facts is not None
    assert facts.first_premium_paid and facts.signed
    assert (facts.start_date, facts.end_date) == (date(2026, 1, 1), date(2027, 1, 1))


async def test_a_refused_token_is_forgotten_and_asked_for_once_more() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        if request.headers["authorization"] == "Bearer token-0":
            return httpx.Response(401)
        body = {"status": "active", "covers": ["accident"], "insured": []}
        return httpx.Response(200, json=body)

    state = await gateway(httpx.MockTransport(answer)).state_on("p1", date(2026, 3, 2))
    assert state is not None and state.status == "active"
    assert seen == ["Bearer token-0", "Bearer token-1"]


async def test_outages_are_unavailable_and_404_is_no_policy() -> None:
    def missing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    assert await gateway(httpx.MockTransport(missing)).policy("p1") is None

    def down(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)

    with pytest.raises(Unavailable):
        await gateway(httpx.MockTransport(down)).policies_of("m1")
    with pytest.raises(Unavailable):
        await gateway(httpx.MockTransport(missing), FakeServiceTokens(fail=True)).policy("p1")
