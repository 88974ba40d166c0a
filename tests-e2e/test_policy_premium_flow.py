"""Issue 8 across the services, as real processes on the real Kafka, FerretDB and
Mailpit: staff propose a family policy for demo.titular, the policyholder accepts it
(PC-1), billing invoices the first premium (PC-8), a bank payment settles it, policy-svc
activates the contract from its start date (PC-4), and the member's inbox holds the
special conditions and the premium invoice (IN-1)."""

from typing import Any

import httpx
import pytest
from identity.demo import demo_id

from testkit.kafka import read_all
from testkit.polling import eventually
from testkit.slice import Slice, User

pytestmark = pytest.mark.e2e

TITULAR = demo_id("member/titular")
START = "2026-01-01"


async def propose_family_policy(staff: User) -> dict[str, Any]:
    body = {
        "policyholder_member_id": TITULAR,
        "formula": "family",
        "start_date": START,
        "threshold_pct": 5,
        "e_protection": True,
    }

    async def propose() -> httpx.Response:
        # policy-svc learns the demo members from member.registered a moment after start
        return await staff.call(
            "POST", "policy", "/v1/policies", json=body, headers={"Idempotency-Key": "e2e"}
        )

    response = await eventually(propose, until=lambda r: r.status_code == 201, what="proposal")
    proposal: dict[str, Any] = response.json()
    return proposal


async def premium_invoice(member: User, policy_id: str) -> dict[str, Any]:
    async def invoices() -> list[dict[str, Any]]:
        response = await member.call("GET", "billing", f"/v1/members/{TITULAR}/invoices")
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()["items"]
        return [i for i in found if i.get("policy_id") == policy_id]

    found = await eventually(invoices, until=lambda i: len(i) == 1, what="premium invoice")
    return found[0]


async def test_proposal_to_active_policy_with_conditions_and_invoice_in_the_inbox(
    services: Slice, staff: User
) -> None:
    """PC-1 → PC-8 → PC-4 across policy, billing and inbox; nobody else sees the policy."""
    titular = await User.log_in(services, "demo.titular")
    other = await User.log_in(services, "demo.other")
    try:
        proposal = await propose_family_policy(staff)
        policy_id = proposal["policy_id"]
        assert proposal["status"] == "proposed"

        accepted = await titular.call("POST", "policy", f"/v1/policies/{policy_id}/accept")
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "awaiting_first_premium"

        invoice = await premium_invoice(titular, policy_id)
        assert invoice["kind"] == "premium"
        assert invoice["total"] == proposal["premium"]["total"]  # PC-8: the whole premium
        assert invoice["status"] == "open"

        paid = await staff.call(
            "POST",
            "billing",
            "/v1/payments",
            json={
                "structured_reference": invoice["structured_reference"],
                "amount": invoice["total"],
                "value_date": "2026-11-20",
                "counterparty_iban": "BE71096123456769",
            },
            headers={"Idempotency-Key": "e2e-bank-1"},
        )
        assert paid.status_code == 201, paid.text
        assert paid.json()["outcome"] == "settled"

        async def policy() -> dict[str, Any]:
            response = await titular.call("GET", "policy", f"/v1/policies/{policy_id}")
            assert response.status_code == 200, response.text
            found: dict[str, Any] = response.json()
            return found

        await eventually(policy, until=lambda p: p["status"] == "active", what="activation")
        activated = await eventually(
            lambda: read_all(
                services.endpoints.kafka_bootstrap_servers, services.topic("policy.activated")
            ),
            until=lambda records: len(records) >= 1,
            what="policy.activated",
        )
        assert len(activated) == 1
        assert policy_id.encode() in activated[0].value
        # PC-4: cover runs from the start date once the first premium is paid
        state = await titular.call(
            "GET", "policy", f"/v1/policies/{policy_id}/state", params={"date": START}
        )
        assert state.json()["status"] == "active"

        documents = await eventually(
            lambda: titular.documents(TITULAR),
            until=lambda d: {"policy_conditions", "invoice"} <= {x["kind"] for x in d},
            what="conditions and invoice in the inbox",
        )
        sources = {d["source_id"] for d in documents}
        assert {policy_id, invoice["invoice_id"]} <= sources

        conditions = await titular.call("GET", "policy", f"/v1/policies/{policy_id}/conditions")
        assert conditions.status_code == 200
        assert conditions.headers["content-type"] == "application/pdf"
        assert conditions.content.startswith(b"%PDF")

        foreign = await other.call("GET", "policy", f"/v1/policies/{policy_id}")
        assert foreign.status_code in (403, 404)
        foreign_pdf = await other.call("GET", "policy", f"/v1/policies/{policy_id}/conditions")
        assert foreign_pdf.status_code in (403, 404)
    finally:
        await titular.aclose()
        await other.aclose()
