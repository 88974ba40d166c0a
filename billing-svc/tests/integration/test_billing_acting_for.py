"""AC-1, AC-2, AC-4 at billing-svc: a titular reads a dependant's invoices only with the
token exchanged at identity-svc for that dossier; billing verifies it against identity's
published JWKS. identity-svc and billing-svc run for real, on the real platform."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from billing.bootstrap import create_app as create_billing
from billing.settings import BillingSettings
from identity.demo import TITULAR

from testkit.household import ADULT, CHILD, OTHER, TEEN, DemoHousehold, identity_and
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@dataclass
class Household(DemoHousehold):
    billing: httpx.AsyncClient

    async def issue(self, staff: dict[str, str], member_id: str) -> dict[str, Any]:
        """An invoice for a demo member, once billing learnt them from member.registered."""
        body = {
            "member_id": member_id,
            "issue_date": "2026-11-23",
            "due_date": "2026-12-23",
            "lines": [{"service_date": "2026-11-02", "description": "Consult", "amount": "9.80"}],
        }
        headers = {**staff, "Idempotency-Key": f"acting-{member_id}"}

        async def post() -> httpx.Response:
            return await self.billing.post("/v1/invoices", json=body, headers=headers)

        response = await eventually(post, until=lambda r: r.status_code == 201, what="issued")
        invoice: dict[str, Any] = response.json()
        return invoice


@pytest.fixture
async def household(platform: Endpoints, run_id: str) -> AsyncIterator[Household]:
    app = create_billing(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    async with identity_and(app, platform, run_id) as (identity, billing):
        yield Household(identity, billing)


async def test_ac2_the_titular_reads_the_childs_invoices_only_with_the_exchanged_token(
    household: Household,
) -> None:
    staff = await household.bearer("demo.staff")
    child_invoice = await household.issue(staff, CHILD)
    titular_invoice = await household.issue(staff, TITULAR)
    own = await household.bearer("demo.titular")
    billing = household.billing

    # AC-1: the titular's own token opens the titular's dossier, not the child's.
    assert (await billing.get(f"/v1/members/{TITULAR}/invoices", headers=own)).status_code == 200
    assert (await billing.get(f"/v1/members/{CHILD}/invoices", headers=own)).status_code == 403
    child_url = f"/v1/invoices/{child_invoice['invoice_id']}"
    assert (await billing.get(child_url, headers=own)).status_code == 404

    exchanged = await household.exchange(own, CHILD)
    assert exchanged.status_code == 200, exchanged.text
    acting = {"Authorization": f"Bearer {exchanged.json()['access_token']}"}
    listed = await billing.get(f"/v1/members/{CHILD}/invoices", headers=acting)
    assert listed.status_code == 200
    assert [i["invoice_id"] for i in listed.json()["items"]] == [child_invoice["invoice_id"]]
    assert (await billing.get(child_url, headers=acting)).status_code == 200

    # The exchanged token opens the child's dossier and nothing else.
    for elsewhere in (TITULAR, TEEN, ADULT, OTHER):
        refused = await billing.get(f"/v1/members/{elsewhere}/invoices", headers=acting)
        assert refused.status_code == 403, elsewhere
    titular_url = f"/v1/invoices/{titular_invoice['invoice_id']}"
    assert (await billing.get(titular_url, headers=acting)).status_code == 404


async def test_ac4_no_token_is_exchanged_for_the_adult_dependant(household: Household) -> None:
    own = await household.bearer("demo.titular")
    assert (await household.exchange(own, ADULT)).status_code == 403
    refused = await household.billing.get(f"/v1/members/{ADULT}/invoices", headers=own)
    assert refused.status_code == 403
