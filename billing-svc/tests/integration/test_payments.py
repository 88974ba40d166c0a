"""billing-svc payments against the real FerretDB and Kafka (issue 8, item 3; PC-4 relies
on ``invoice.paid``): matching by structured reference, settling, partial payments,
overpayments and unknown references in staff's worklist, idempotent replays, 50
concurrent partial payments on one invoice, and validation that stores nothing."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from billing.adapters.payments import PAYMENTS
from billing.adapters.repository import INVOICES, MEMBERS
from billing.bootstrap import create_app
from billing.domain.structured_reference import structured_reference
from billing.settings import BillingSettings
from pymongo.asynchronous.collection import AsyncCollection

from testkit.apps import member_registered, serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

IBAN = "BE71 0961 2345 6769"


@dataclass
class Bank:
    client: httpx.AsyncClient
    tokens: TokenMint
    member_id: str
    topic: str  # the run's invoice.paid
    bootstrap: str
    payments: AsyncCollection[Any]

    async def invoice(self, amount: str = "20.00") -> dict[str, Any]:
        body = {
            "member_id": self.member_id,
            "issue_date": "2026-11-23",
            "due_date": "2026-12-23",
            "lines": [{"service_date": "2026-11-02", "description": "Consult", "amount": amount}],
        }
        response = await self.client.post("/v1/invoices", json=body, headers=self.tokens.staff())
        assert response.status_code == 201, response.text
        invoice: dict[str, Any] = response.json()
        return invoice

    async def pay(
        self,
        reference: str,
        amount: str,
        key: str | None = None,
        overrides: dict[str, Any] | None = None,
    ) -> httpx.Response:
        body = {
            "structured_reference": reference,
            "amount": amount,
            "value_date": "2026-12-01",
            "counterparty_iban": IBAN,
            **(overrides or {}),
        }
        headers = self.tokens.staff() | ({"Idempotency-Key": key} if key else {})
        return await self.client.post("/v1/payments", json=body, headers=headers)

    async def current(self, invoice_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/invoices/{invoice_id}", headers=self.tokens.staff())
        assert response.status_code == 200, response.text
        invoice: dict[str, Any] = response.json()
        return invoice

    async def worklist(self) -> list[dict[str, Any]]:
        response = await self.client.get("/v1/payments/worklist", headers=self.tokens.staff())
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def paid_events(self) -> list[dict[str, Any]]:
        return [json.loads(r.value or b"") for r in await read_all(self.bootstrap, self.topic)]

    async def fence(self, expected: int) -> list[dict[str, Any]]:
        """Another invoice paid in full: once its ``invoice.paid`` is out, every earlier
        one is (one member, one partition, in order). Returns every ``invoice.paid``."""
        other = await self.invoice("1.00")
        assert (await self.pay(other["structured_reference"], "1.00")).status_code == 201
        events = await eventually(
            self.paid_events,
            until=lambda found: any(e["data"]["invoice_id"] == other["invoice_id"] for e in found),
            what="the fence's invoice.paid",
        )
        assert len(events) == expected + 1, events
        return events[:-1]


@pytest.fixture
async def bank(platform: Endpoints, run_id: str) -> AsyncIterator[Bank]:
    tokens = TokenMint()
    app = create_app(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    member = member_registered()
    async with serving(app, tokens) as client:
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.member.registered", member)
        db = app.state.runtime.db
        member_id = member.subject or ""

        async def member_known() -> int:
            known: int = await db[MEMBERS].count_documents({"_id": member_id})
            return known

        await eventually(member_known, what="billing learns the member from member.registered")
        yield Bank(
            client,
            tokens,
            member_id,
            f"{run_id}.invoice.paid",
            platform.kafka_bootstrap_servers,
            db[PAYMENTS],
        )


async def test_a_full_payment_settles_the_invoice_and_invoice_paid_goes_out_once(
    bank: Bank,
) -> None:
    invoice = await bank.invoice("20.00")
    response = await bank.pay(invoice["structured_reference"], "20.00")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"payment_id", "outcome", "invoice_id"}
    assert (body["outcome"], body["invoice_id"]) == ("settled", invoice["invoice_id"])
    current = await bank.current(invoice["invoice_id"])
    assert (current["status"], current["paid"], current["outstanding"]) == (
        "paid",
        "20.00",
        "0.00",
    )
    assert current["kind"] == "care" and current["policy_id"] is None
    [paid] = await bank.fence(expected=1)
    assert paid["type"] == "be.mylm.invoice.paid.v1"
    assert paid["subject"] == bank.member_id
    assert paid["data"]["invoice_id"] == invoice["invoice_id"]
    assert paid["data"]["paid_total"] == "20.00"
    assert paid["data"]["paid_on"] == "2026-12-01"
    assert paid["data"]["structured_reference"] == invoice["structured_reference"]


async def test_a_partial_payment_keeps_it_open_with_the_rest_then_the_rest_settles(
    bank: Bank,
) -> None:
    invoice = await bank.invoice("20.00")
    digits = invoice["structured_reference"].strip("+").replace("/", "")  # 12 digits also do
    first = await bank.pay(digits, "7.50")
    assert first.json()["outcome"] == "partial"
    current = await bank.current(invoice["invoice_id"])
    assert (current["status"], current["paid"], current["outstanding"]) == (
        "open",
        "7.50",
        "12.50",
    )
    listed = await bank.client.get(
        f"/v1/members/{bank.member_id}/invoices?status=open",
        headers=bank.tokens.member(bank.member_id),
    )
    assert [(i["invoice_id"], i["outstanding"]) for i in listed.json()["items"]] == [
        (invoice["invoice_id"], "12.50")
    ]
    rest = await bank.pay(invoice["structured_reference"], "12.50")
    assert rest.json()["outcome"] == "settled"
    assert (await bank.current(invoice["invoice_id"]))["status"] == "paid"
    [paid] = await bank.fence(expected=1)
    assert paid["data"]["paid_total"] == "20.00"
    assert await bank.worklist() == []


async def test_an_overpayment_settles_and_its_excess_is_in_the_worklist(bank: Bank) -> None:
    invoice = await bank.invoice("20.00")
    response = await bank.pay(invoice["structured_reference"], "25.00")
    assert response.json()["outcome"] == "overpaid"
    current = await bank.current(invoice["invoice_id"])
    assert (current["status"], current["paid"], current["outstanding"]) == (
        "paid",
        "25.00",
        "0.00",
    )
    [item] = await bank.worklist()
    assert (item["payment_id"], item["outcome"], item["invoice_id"]) == (
        response.json()["payment_id"],
        "overpaid",
        invoice["invoice_id"],
    )
    assert (item["amount"], item["excess"]) == ("25.00", "5.00")
    await bank.fence(expected=1)


async def test_an_unknown_reference_is_unmatched_and_kept_in_the_worklist(bank: Bank) -> None:
    unknown = structured_reference(9_876_543_210)  # valid, but no invoice carries it
    response = await bank.pay(unknown, "42.00")
    assert response.status_code == 201, response.text
    assert response.json()["outcome"] == "unmatched"
    assert response.json()["invoice_id"] is None
    [item] = await bank.worklist()
    assert item["structured_reference"] == unknown
    assert (item["amount"], item["counterparty_iban"]) == ("42.00", "BE71096123456769")
    member = await bank.client.get("/v1/payments/worklist", headers=bank.tokens.member("m"))
    assert member.status_code == 403


async def test_a_replayed_payment_counts_once(bank: Bank) -> None:
    invoice = await bank.invoice("20.00")
    first = await bank.pay(invoice["structured_reference"], "7.50", key="bank-tx-1")
    again = await bank.pay(invoice["structured_reference"], "7.50", key="bank-tx-1")
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert (await bank.current(invoice["invoice_id"]))["paid"] == "7.50"
    other = await bank.pay(invoice["structured_reference"], "8.00", key="bank-tx-1")
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert await bank.payments.count_documents({}) == 1


async def test_50_concurrent_partial_payments_on_one_invoice_sum_exactly(bank: Bank) -> None:
    invoice = await bank.invoice("20.00")
    responses = await asyncio.gather(
        *(bank.pay(invoice["structured_reference"], "0.40", key=f"part-{n}") for n in range(50))
    )
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes == ["partial"] * 49 + ["settled"]
    current = await bank.current(invoice["invoice_id"])
    assert (current["status"], current["paid"], current["outstanding"]) == (
        "paid",
        "20.00",
        "0.00",
    )
    invoices = bank.payments.database[INVOICES]
    versions = await invoices.count_documents({"aggregate_id": invoice["invoice_id"]})
    assert versions == 51  # issued + one stored version per payment, none lost or doubled
    assert await bank.payments.count_documents({"invoice_id": invoice["invoice_id"]}) == 50
    [paid] = await bank.fence(expected=1)
    assert paid["data"]["invoice_id"] == invoice["invoice_id"]


async def test_members_cannot_record_payments(bank: Bank) -> None:
    invoice = await bank.invoice("20.00")
    body = {
        "structured_reference": invoice["structured_reference"],
        "amount": "20.00",
        "value_date": "2026-12-01",
        "counterparty_iban": IBAN,
    }
    response = await bank.client.post(
        "/v1/payments", json=body, headers=bank.tokens.member(bank.member_id)
    )
    assert response.status_code == 403
    assert (await bank.current(invoice["invoice_id"]))["paid"] == "0.00"


@pytest.mark.parametrize(
    "overrides",
    [
        {"counterparty_iban": "BE71 0961 2345 6760"},
        {"counterparty_iban": "not an iban"},
        {"structured_reference": "+++000/0000/00102+++"},
        {"structured_reference": "12345"},
        {"amount": "0.00"},
        {"amount": "-5.00"},
        {"amount": "1.005"},
        {"amount": "ten"},
        {"value_date": "2026-02-30"},
    ],
    ids=[
        "iban-check",
        "iban-garbage",
        "reference-check",
        "reference-short",
        "zero",
        "negative",
        "sub-cent",
        "non-numeric",
        "no-such-date",
    ],
)
async def test_invalid_payments_are_422_problems_and_store_nothing(
    bank: Bank, overrides: dict[str, Any]
) -> None:
    invoice = await bank.invoice("20.00")
    response = await bank.pay(invoice["structured_reference"], "5.00", overrides=overrides)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 422
    assert await bank.payments.count_documents({}) == 0
    assert (await bank.current(invoice["invoice_id"]))["paid"] == "0.00"


async def test_every_payment_status_is_in_the_openapi(bank: Bank) -> None:
    paths = (await bank.client.get("/openapi.json")).json()["paths"]
    assert set(paths["/v1/payments"]["post"]["responses"]) >= {
        "201",
        "401",
        "403",
        "409",
        "422",
        "503",
    }
    assert set(paths["/v1/payments/worklist"]["get"]["responses"]) >= {"200", "401", "403"}
