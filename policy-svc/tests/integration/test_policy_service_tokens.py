"""Server to server: a service token (OAuth 2.0 client credentials, RFC 6749 §4.4) from
identity-svc with scope ``policy:read`` reads a policy, its state on a date and a member's
policies, as claims-svc does for a claimant who is not the policyholder (a child on the
titular's family policy, PC-3); every write refuses it (404 as for anyone who may not
change the policy; 403 on staff-only routes). identity-svc (demo data) and
policy-svc run for real, on the real platform; tokens come from ``POST /v1/oauth/token``."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from identity.adapters.passwords import hash_password
from identity.bootstrap import create_app as create_identity
from identity.demo import DEMO_PASSWORD, TITULAR
from identity.settings import IdentitySettings, ServiceClient
from mylm_shared.auth import TokenVerifier
from mylm_shared.service_tokens import ClientCredentials
from policy.bootstrap import create_app as create_policy
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

SECRET = "claims-test-secret"
TOKEN_URL = "http://service/v1/oauth/token"


@dataclass
class Platform:
    identity: httpx.AsyncClient
    policy: httpx.AsyncClient

    async def bearer(self, username: str) -> dict[str, str]:
        response = await self.identity.post(
            "/v1/sessions", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def service(self, client_id: str, scope: str) -> dict[str, str]:
        """What claims-svc does: the shared client against identity's token endpoint."""
        credentials = ClientCredentials(TOKEN_URL, client_id, SECRET, scope, http=self.identity)
        return {"Authorization": f"Bearer {await credentials.bearer()}"}


@pytest.fixture
async def running(platform: Endpoints, run_id: str) -> AsyncIterator[Platform]:
    secret_hash = hash_password(SECRET)
    identity_settings = IdentitySettings(
        **isolated(platform, run_id, "identity"),  # type: ignore[arg-type]
        seed_demo_data=True,
        service_clients={
            "claims-svc": ServiceClient(secret_hash=secret_hash, scopes=("policy:read",)),
            "billing-svc": ServiceClient(secret_hash=secret_hash, scopes=("billing:read",)),
        },
    )
    policy_app = create_policy(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    async with (
        serving(create_identity(identity_settings)) as identity,
        serving(policy_app) as policy,
    ):
        # In process there is no port to fetch the JWKS from: trust identity's keys.
        jwks = (await identity.get("/.well-known/jwks.json")).json()
        runtime = policy_app.state.runtime
        runtime.token_verifier = TokenVerifier(
            identity_settings.jwt_issuer,
            identity_settings.jwt_audience,
            jwks=jwks,
            revocations=runtime.token_verifier.revocations,
        )
        yield Platform(identity, policy)


async def issued_family_policy(running: Platform) -> str:
    """Jan's family policy (PC-3: his children are insured), proposed and accepted."""
    staff = await running.bearer("demo.staff")
    body = {
        "policyholder_member_id": TITULAR,
        "formula": "family",
        "start_date": "2027-01-01",
        "threshold_pct": 10,
        "e_protection": False,
    }

    async def propose() -> httpx.Response:
        return await running.policy.post("/v1/policies", json=body, headers=staff)

    proposed = await eventually(
        propose, until=lambda r: r.status_code == 201, what="policy-svc knows the titular"
    )
    policy_id: str = proposed.json()["policy_id"]
    own = await running.bearer("demo.titular")
    accepted = await running.policy.post(f"/v1/policies/{policy_id}/accept", headers=own)
    assert accepted.status_code == 200, accepted.text
    return policy_id


async def test_a_service_token_with_policy_read_reads_the_state_and_the_members_policies(
    running: Platform,
) -> None:
    policy_id = await issued_family_policy(running)
    service = await running.service("claims-svc", "policy:read")

    state = await running.policy.get(
        f"/v1/policies/{policy_id}/state", params={"date": "2027-02-01"}, headers=service
    )
    assert state.status_code == 200, state.text
    # PC-4: no premium paid yet, so no cover on the event date.
    assert state.json()["status"] == "awaiting_first_premium"
    assert state.json()["covers"] == []

    listed = await running.policy.get(f"/v1/members/{TITULAR}/policies", headers=service)
    assert listed.status_code == 200, listed.text
    assert [p["policy_id"] for p in listed.json()["items"]] == [policy_id]

    one = await running.policy.get(f"/v1/policies/{policy_id}", headers=service)
    assert one.status_code == 200
    insured = await running.policy.get(
        f"/v1/policies/{policy_id}/insured", params={"date": "2027-02-01"}, headers=service
    )
    assert insured.status_code == 200
    assert insured.json()["persons"][0]["person_id"] == TITULAR

    missing = await running.policy.get("/v1/policies/no-such-policy/state", headers=service)
    assert missing.status_code == 404


async def test_a_service_token_never_writes(running: Platform) -> None:
    policy_id = await issued_family_policy(running)
    service = await running.service("claims-svc", "policy:read")
    household = await running.policy.put(
        f"/v1/policies/{policy_id}/household", json={"persons": []}, headers=service
    )
    assert household.status_code == 404  # as for anyone who may not change it
    termination = await running.policy.post(
        f"/v1/policies/{policy_id}/terminations",
        json={
            "by": "policyholder",
            "ground": "late_start",
            "notified_on": "2027-02-01",
            "channel": "registered_letter",
        },
        headers=service,
    )
    assert termination.status_code == 404, termination.text
    proposal = await running.policy.post(
        "/v1/policies",
        json={
            "policyholder_member_id": TITULAR,
            "formula": "single",
            "start_date": "2027-01-01",
            "threshold_pct": 10,
        },
        headers=service,
    )
    assert proposal.status_code == 403  # staff only
    after = await running.policy.get(f"/v1/policies/{policy_id}/insured", headers=service)
    assert after.status_code == 200  # nothing was declared


async def test_a_service_token_without_policy_read_reads_nothing(running: Platform) -> None:
    policy_id = await issued_family_policy(running)
    other = await running.service("billing-svc", "billing:read")
    state = await running.policy.get(f"/v1/policies/{policy_id}/state", headers=other)
    assert state.status_code == 404
    listed = await running.policy.get(f"/v1/members/{TITULAR}/policies", headers=other)
    assert listed.status_code == 403
