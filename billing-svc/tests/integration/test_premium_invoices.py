"""Premium invoices against the real FerretDB and Kafka (issue 8, item 3): ``premium.due``
→ one premium invoice per (policy, term) (PC-8), and per amendment for an adjustment
(PC-7), listed for the member with its policy
and term; paying it by its structured reference gives ``invoice.paid`` naming the policy
and term (what activates the contract, PC-4)."""

import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from billing.bootstrap import create_app
from billing.settings import BillingSettings
from mylm_shared.events import PREMIUM_DUE, CloudEvent, PremiumDueV1, PremiumV1, new_event

from testkit.apps import member_registered, serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration


def premium_due(member_id: str, policy_id: str, term: int) -> CloudEvent:
    payload = PremiumDueV1(
        policy_id=policy_id,
        member_id=member_id,
        term_number=term,
        due_date=date(2027, 1, 1),
        premium=PremiumV1(
            net=Decimal("100.00"),
            taxes=Decimal("9.25"),
            contributions=Decimal("1.50"),
            total=Decimal("110.75"),
        ),
    )
    return new_event(PREMIUM_DUE, payload, source="/tests", subject=member_id)


async def test_premium_due_issues_one_premium_invoice_and_its_payment_names_the_policy_pc_8_pc_4(
    platform: Endpoints, run_id: str
) -> None:
    """PC-8: a ``premium.due`` that arrives before the policyholder's
    ``member.registered`` waits for it, then issues the invoice; a redelivered one issues
    nothing more. PC-4: paying it gives ``invoice.paid`` with kind, policy and term."""
    tokens = TokenMint()
    settings = isolated(platform, run_id, "billing") | {"consumer_backoff_max_seconds": 0.5}
    app = create_app(BillingSettings(**settings))  # type: ignore[arg-type]
    bootstrap = platform.kafka_bootstrap_servers
    member = member_registered()
    member_id, policy_id = member.subject or "", str(uuid.uuid4())
    first = premium_due(member_id, policy_id, term=1)
    async with serving(app, tokens) as client:
        await publish_event(bootstrap, f"{run_id}.premium.due", first)
        await publish_event(bootstrap, f"{run_id}.premium.due", first)  # redelivered
        await publish_event(bootstrap, f"{run_id}.member.registered", member)
        # Same member key, same partition: handled after both copies of the first.
        await publish_event(
            bootstrap, f"{run_id}.premium.due", premium_due(member_id, policy_id, term=2)
        )

        async def invoices() -> list[dict[str, Any]]:
            response = await client.get(
                f"/v1/members/{member_id}/invoices", headers=tokens.member(member_id)
            )
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items

        listed = await eventually(
            invoices,
            until=lambda items: any(i["term_number"] == 2 for i in items),
            what="the second term's premium invoice",
        )
        assert sorted((i["kind"], i["policy_id"], i["term_number"]) for i in listed) == [
            ("premium", policy_id, 1),
            ("premium", policy_id, 2),
        ]
        [term_1] = [i for i in listed if i["term_number"] == 1]
        assert (term_1["total"], term_1["due_date"], term_1["status"]) == (
            "110.75",
            "2027-01-01",
            "open",
        )
        assert [li["amount"] for li in term_1["lines"]] == ["100.00", "9.25", "1.50"]

        payment = {
            "structured_reference": term_1["structured_reference"],
            "amount": "110.75",
            "value_date": "2026-12-20",
            "counterparty_iban": "BE71 0961 2345 6769",
        }
        response = await client.post("/v1/payments", json=payment, headers=tokens.staff())
        assert response.status_code == 201, response.text
        assert response.json()["outcome"] == "settled"

        async def paid_events() -> list[dict[str, Any]]:
            records = await read_all(bootstrap, f"{run_id}.invoice.paid")
            return [json.loads(r.value or b"") for r in records]

        [paid] = await eventually(paid_events, what="invoice.paid of the premium")
        assert paid["data"]["invoice_id"] == term_1["invoice_id"]
        assert (paid["data"]["kind"], paid["data"]["policy_id"], paid["data"]["term_number"]) == (
            "premium",
            policy_id,
            1,
        )

        async def issued_events() -> list[dict[str, Any]]:
            records = await read_all(bootstrap, f"{run_id}.invoice.issued")
            return [json.loads(r.value or b"") for r in records]

        issued = await eventually(
            issued_events,
            until=lambda found: {e["data"]["term_number"] for e in found} == {1, 2},
            what="invoice.issued of both terms",
        )
        # The outbox is at-least-once: a republished record names the same invoice.
        assert {e["data"]["invoice_id"] for e in issued} == {i["invoice_id"] for i in listed}
        assert {(e["data"]["kind"], e["data"]["policy_id"]) for e in issued} == {
            ("premium", policy_id)
        }


async def test_an_amendments_adjustment_is_one_more_invoice_whose_payment_names_it_pc_7_pc_8(
    platform: Endpoints, run_id: str
) -> None:
    """PC-7/PC-8: ``premium.due`` with ``adjustment_of`` (redelivered) issues one invoice
    beside the term's premium, titled as an adjustment; its ``invoice.paid`` names the
    amendment so policy-svc does not take it for the term's premium (PC-4)."""
    tokens = TokenMint()
    app = create_app(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    bootstrap = platform.kafka_bootstrap_servers
    member = member_registered()
    member_id, policy_id = member.subject or "", str(uuid.uuid4())
    term = premium_due(member_id, policy_id, term=1)
    data = PREMIUM_DUE.parse(term).model_copy(update={"adjustment_of": "am-1"})
    adjustment = new_event(PREMIUM_DUE, data, source="/tests", subject=member_id)
    async with serving(app, tokens) as client:
        await publish_event(bootstrap, f"{run_id}.member.registered", member)
        for event in (term, adjustment, adjustment):  # the adjustment redelivered
            await publish_event(bootstrap, f"{run_id}.premium.due", event)

        async def invoices() -> list[dict[str, Any]]:
            response = await client.get(
                f"/v1/members/{member_id}/invoices", headers=tokens.member(member_id)
            )
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items

        listed = await eventually(invoices, until=lambda items: len(items) >= 2)
        assert sorted(i["lines"][0]["description"] for i in listed) == [
            "Nettopremie — Premieaanpassing — termijn 1",
            "Nettopremie — termijn 1",
        ]
        [adjusted] = [i for i in listed if "Premieaanpassing" in i["lines"][0]["description"]]
        payment = {
            "structured_reference": adjusted["structured_reference"],
            "amount": adjusted["total"],
            "value_date": "2026-12-20",
            "counterparty_iban": "BE71 0961 2345 6769",
        }
        response = await client.post("/v1/payments", json=payment, headers=tokens.staff())
        assert response.status_code == 201, response.text

        async def paid_events() -> list[dict[str, Any]]:
            records = await read_all(bootstrap, f"{run_id}.invoice.paid")
            return [json.loads(r.value or b"")["data"] for r in records]

        [paid] = await eventually(paid_events, what="invoice.paid of the adjustment")
        assert (paid["invoice_id"], paid["term_number"], paid["adjustment_of"]) == (
            adjusted["invoice_id"],
            1,
            "am-1",
        )
        assert len(await invoices()) == 2  # the redelivered adjustment issued nothing
