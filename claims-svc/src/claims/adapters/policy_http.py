"""policy-svc over HTTP with claims-svc's own bearer token (client credentials): the
member's policies, one policy, its state on a date and who it insures on a date."""

from datetime import date
from typing import Any
from urllib.parse import quote

import httpx
from mylm_shared.failures import Unavailable
from mylm_shared.service_tokens import TokenRequestFailed

from claims.service.policies import PolicyDay, PolicyFacts, ServiceTokens


def policy_facts(body: dict[str, Any]) -> PolicyFacts:
    """policy-svc's ``PolicyOut`` as claims need it."""
    ending = body.get("ending")
    terms = body.get("premium_terms") or []
    first = next((t for t in terms if t["term_number"] == 1), None)
    return PolicyFacts(
        policy_id=body["policy_id"],
        policyholder_id=body["policyholder_member_id"],
        formula=body["formula"],
        start_date=date.fromisoformat(body["start_date"]),
        end_date=date.fromisoformat(ending["effective_on"]) if ending else None,
        threshold_pct=body["threshold_pct"],
        e_protection=body["e_protection"],
        first_premium_paid=bool(first and first.get("paid_on")),
        signed=body.get("signed_on") is not None,
    )


class HttpPolicies:
    def __init__(
        self, base_url: str, tokens: ServiceTokens, client: httpx.AsyncClient | None = None
    ) -> None:
        self._base = base_url.rstrip("/")
        self._tokens = tokens
        self._client = client or httpx.AsyncClient(timeout=5.0)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _get(self, path: str, params: dict[str, str] | None = None) -> Any | None:
        response = await self._call(path, params)
        if response.status_code == 401:  # a token cached across a key rotation: once more
            self._tokens.forget()
            response = await self._call(path, params)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            # Refused (401/403: the token or its scope), down (5xx) or a contract we do not
            # know: the claim cannot be decided now, nothing is stored (503 upstream).
            raise Unavailable(f"policy-svc answered {response.status_code} for {path}")
        try:
            return response.json()
        except ValueError as error:
            raise Unavailable(f"policy-svc answered no JSON for {path}") from error

    async def _call(self, path: str, params: dict[str, str] | None) -> httpx.Response:
        try:
            headers = {"Authorization": f"Bearer {await self._tokens.bearer()}"}
            return await self._client.get(f"{self._base}{path}", params=params, headers=headers)
        except (httpx.HTTPError, TokenRequestFailed) as error:
            raise Unavailable(f"policy-svc: {error!r}") from error

    async def policies_of(self, member_id: str) -> list[PolicyFacts]:
        body = await self._get(f"/v1/members/{quote(member_id, safe='')}/policies")
        return [policy_facts(p) for p in (body or {}).get("items", [])]

    async def policy(self, policy_id: str) -> PolicyFacts | None:
        body = await self._get(f"/v1/policies/{quote(policy_id, safe='')}")
        return None if body is None else policy_facts(body)

    async def insured_on(self, policy_id: str, day: date) -> tuple[str, ...] | None:
        body = await self._get(
            f"/v1/policies/{quote(policy_id, safe='')}/insured", {"date": day.isoformat()}
        )
        if body is None:
            return None
        return tuple(p["person_id"] for p in body["persons"] if p["insured"])

    async def state_on(self, policy_id: str, day: date) -> PolicyDay | None:
        body = await self._get(
            f"/v1/policies/{quote(policy_id, safe='')}/state", {"date": day.isoformat()}
        )
        if body is None:
            return None
        return PolicyDay(
            status=body["status"],
            covers=tuple(body["covers"]),
            insured=tuple(p["person_id"] for p in body["insured"] if p["insured"]),
        )
