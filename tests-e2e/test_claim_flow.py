"""Issue 9 across the services, as real processes on the real Kafka, FerretDB and Mailpit:
demo.titular's family policy with e-protection is accepted and its first premium paid
(PC-1, PC-8, PC-4); demo.titular declares an e-merchant good not delivered (CL-1) which
claims-svc decides on policy-svc's state of the contract (LA-8); staff accept it, offer,
the titular accepts with a Belgian IBAN (LA-6's 30 days), staff record the payout paid
(claim.paid, claim.closed); the titular's inbox holds the letters and Mailpit the
e-mails. A claim on a contract whose first premium is unpaid is rejected with PC-4."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from identity.demo import demo_id
from mylm_shared.kernel.periods import belgian_today

from testkit.kafka import read_all
from testkit.mailpit import Mailpit
from testkit.polling import eventually
from testkit.slice import Slice, User

pytestmark = pytest.mark.e2e

TITULAR = demo_id("member/titular")
OTHER = demo_id("member/other")
TITULAR_EMAIL = "titular@demo.lm.test"
START = "2026-01-01"
IBAN = "BE71 0961 2345 6769"


async def accepted_policy(
    staff: User, member: User, member_id: str, key: str, formula: str = "family"
) -> str:
    """PC-1: staff propose a policy with e-protection, the member accepts it."""
    body = {
        "policyholder_member_id": member_id,
        "formula": formula,
        "start_date": START,
        "threshold_pct": 5,
        "e_protection": True,
    }

    async def propose() -> httpx.Response:
        # policy-svc learns the demo members from member.registered a moment after start
        return await staff.call(
            "POST", "policy", "/v1/policies", json=body, headers={"Idempotency-Key": key}
        )

    proposed = await eventually(propose, until=lambda r: r.status_code == 201, what="proposal")
    policy_id: str = proposed.json()["policy_id"]
    accepted = await member.call("POST", "policy", f"/v1/policies/{policy_id}/accept")
    assert accepted.status_code == 200, accepted.text
    return policy_id


async def pay_first_premium(staff: User, member: User, policy_id: str) -> None:
    """PC-8/PC-4: billing's premium invoice settled by a bank payment activates cover."""

    async def invoices() -> list[dict[str, Any]]:
        response = await member.call("GET", "billing", f"/v1/members/{TITULAR}/invoices")
        assert response.status_code == 200, response.text
        return [i for i in response.json()["items"] if i.get("policy_id") == policy_id]

    invoice = (await eventually(invoices, until=lambda i: len(i) == 1, what="invoice"))[0]
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
        headers={"Idempotency-Key": "e2e-claim-premium"},
    )
    assert paid.status_code == 201, paid.text

    async def status() -> str:
        response = await member.call("GET", "policy", f"/v1/policies/{policy_id}")
        found: str = response.json()["status"]
        return found

    await eventually(status, until=lambda s: s == "active", what="activation")


def goods_not_delivered(today: date) -> dict[str, Any]:
    """LA-8: a 400.00 good bought online from a Belgian professional, tracked delivery in
    Belgium, not delivered 10 days after the promised date (more than 5 calendar days)."""
    return {
        "principal_stake": "400.00",
        "price": "400.00",
        "transportable": True,
        "bought_online": True,
        "new": True,
        "seller_professional": True,
        "seller_country": "BE",
        "delivery_method": "tracked_post",
        "delivery_country": "BE",
        "defect": "not_delivered",
        "promised_delivery_on": (today - timedelta(days=10)).isoformat(),
        "delivered_on": None,
    }


async def test_la8_claim_from_declaration_to_payout_with_letters_and_emails(
    services: Slice, staff: User, mailpit: Mailpit
) -> None:
    started = datetime.now(UTC)
    titular = await User.log_in(services, "demo.titular")
    other = await User.log_in(services, "demo.other")
    try:
        policy_id = await accepted_policy(staff, titular, TITULAR, "e2e-claim-titular")
        await pay_first_premium(staff, titular, policy_id)
        today = belgian_today()

        declared = await titular.call(
            "POST",
            "claims",
            "/v1/claims",
            json={
                "member_id": TITULAR,
                "policy_id": policy_id,
                "cover": "e_merchant_goods",
                "event_date": (today - timedelta(days=5)).isoformat(),
                "facts": goods_not_delivered(today),
            },
            headers={"Idempotency-Key": "e2e-claim-1"},
        )
        assert declared.status_code == 201, declared.text
        claim = declared.json()
        claim_id, number = claim["claim_id"], claim["claim_number"]
        assert claim["decision"]["outcome"] == "covered", claim["decision"]
        assert {"PC-4", "LA-8"} <= set(claim["decision"]["rules"])
        assert claim["deadlines"][0]["rule"] == "LA-8"

        decided = await staff.call(
            "POST", "claims", f"/v1/claims/{claim_id}/decision", json={"outcome": "follow_engine"}
        )
        assert decided.status_code == 200, decided.text
        offered = await staff.call(
            "POST",
            "claims",
            f"/v1/claims/{claim_id}/offers",
            json={"kind": "final", "amount": "400.00"},
        )
        assert offered.status_code == 201, offered.text
        offer_id = offered.json()["offers"][-1]["offer_id"]

        accept = f"/v1/claims/{claim_id}/offers/{offer_id}/accept"
        accepted = await titular.call("POST", "claims", accept, json={"iban": IBAN})
        assert accepted.status_code == 200, accepted.text
        retried = await titular.call("POST", "claims", accept, json={"iban": IBAN})
        assert retried.json()["payout"] == accepted.json()["payout"]  # one payout
        payout = accepted.json()["payout"]
        assert payout["pay_by"] == (today + timedelta(days=30)).isoformat()  # LA-6

        paid = await staff.call(
            "POST",
            "claims",
            f"/v1/claims/{claim_id}/payouts/{payout['payout_id']}/paid",
            json={"paid_on": today.isoformat()},
        )
        assert paid.status_code == 200, paid.text
        assert paid.json()["status"] == "closed"

        claim_paid = await eventually(
            lambda: read_all(
                services.endpoints.kafka_bootstrap_servers, services.topic("claim.paid")
            ),
            until=lambda records: len(records) >= 1,
            what="claim.paid",
        )
        assert len(claim_paid) == 1 and claim_id.encode() in (claim_paid[0].value or b"")

        letters = await eventually(
            lambda: titular.documents(TITULAR),
            until=lambda docs: (
                {
                    "claim_acknowledgement",
                    "claim_decision",
                    "claim_offer",
                    "claim_payment",
                }
                <= {d["kind"] for d in docs if d["source_id"].startswith(claim_id)}
            ),
            what="the claim's letters in the inbox",
        )
        kinds = [d["kind"] for d in letters if d["source_id"].startswith(claim_id)]
        assert kinds.count("claim_payment") == 1

        async def emails() -> list[dict[str, Any]]:
            found = await mailpit.messages_to(TITULAR_EMAIL)
            recent = [
                m
                for m in found
                if datetime.fromisoformat(m["Created"].replace("Z", "+00:00")) >= started
            ]
            # issue 19 item 5: the claim's number is in the body, not the subject
            read = [await mailpit.message(m["ID"]) for m in recent]
            return [m for m in read if number in m["Text"]]

        sent = await eventually(
            emails, until=lambda e: len(e) >= 4, what="the claim's e-mails in Mailpit"
        )
        assert all(m["To"][0]["Address"] == TITULAR_EMAIL for m in sent)

        # PC-4: demo.other's contract, accepted but its first premium unpaid.
        unpaid = await accepted_policy(staff, other, OTHER, "e2e-claim-other", "single")
        refused = await other.call(
            "POST",
            "claims",
            "/v1/claims",
            json={
                "member_id": OTHER,
                "policy_id": unpaid,
                "cover": "e_merchant_goods",
                "event_date": (today - timedelta(days=5)).isoformat(),
                "facts": goods_not_delivered(today),
            },
        )
        assert refused.status_code == 201, refused.text
        decision = refused.json()["decision"]
        assert decision["outcome"] == "rejected" and "PC-4" in decision["rules"]
        assert [f["rule"] for f in decision["findings"]] == ["PC-4"]
    finally:
        await titular.aclose()
        await other.aclose()
