"""billing-svc against the real FerretDB and Kafka: issuing invoices (EI-1) through the
outbox, idempotent retries, validation, and members seeing only their own invoices."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from billing.adapters.repository import MEMBERS
from billing.bootstrap import create_app
from billing.domain.structured_reference import is_valid
from billing.settings import BillingSettings

from testkit.apps import member_registered, serving
from testkit.kafka import event_ids, publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration


@dataclass
class Billing:
    client: httpx.AsyncClient
    tokens: TokenMint
    member_id: str
    topic_prefix: str
    bootstrap: str


def invoice_body(member_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "member_id": member_id,
        "issue_date": "2026-11-23",
        "due_date": "2026-12-23",
        "lines": [
            {"service_date": "2026-11-02", "description": "Consultatie", "amount": "12.50"},
            {"service_date": "2026-11-03", "description": "Kinesitherapie", "amount": "7.25"},
        ],
    }
    return {**body, **overrides}


@pytest.fixture
async def billing(platform: Endpoints, run_id: str) -> AsyncIterator[Billing]:
    tokens = TokenMint()
    app = create_app(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    member = member_registered()
    async with serving(app, tokens) as client:  # creates the run's topics
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.member.registered", member)
        billing = Billing(
            client, tokens, member.subject or "", f"{run_id}.", platform.kafka_bootstrap_servers
        )

        members = app.state.runtime.db[MEMBERS]

        async def member_known() -> int:
            return await members.count_documents({"_id": billing.member_id})

        await eventually(member_known, what="billing learns the member from member.registered")
        yield billing


async def issued_events(billing: Billing) -> list[str]:
    return event_ids(await read_all(billing.bootstrap, f"{billing.topic_prefix}invoice.issued"))


async def test_staff_issue_an_invoice_and_invoice_issued_goes_out_once(billing: Billing) -> None:
    response = await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=billing.tokens.staff()
    )
    assert response.status_code == 201, response.text
    invoice = response.json()
    assert invoice["total"] == "19.75"
    assert invoice["status"] == "open"
    assert invoice["member_id"] == billing.member_id
    assert invoice["structured_reference"].startswith("+++")

    events = await eventually(lambda: issued_events(billing), what="invoice.issued published")
    records = await read_all(billing.bootstrap, f"{billing.topic_prefix}invoice.issued")
    assert len(events) == 1
    assert records[0].key == billing.member_id.encode()  # key = member: per-member order


async def test_same_idempotency_key_and_body_returns_the_same_invoice_without_a_second_event(
    billing: Billing,
) -> None:
    headers = {**billing.tokens.staff(), "Idempotency-Key": "retry-1"}
    first = await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=headers
    )
    second = await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json() == second.json()

    # a later, different invoice is the fence: once it is out, the replay would be too
    await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=billing.tokens.staff()
    )
    events = await eventually(lambda: issued_events(billing), until=lambda ids: len(ids) >= 2)
    assert len(events) == 2


async def test_50_concurrent_retries_with_one_idempotency_key_make_one_invoice_and_one_event(
    billing: Billing,
) -> None:
    headers = {**billing.tokens.staff(), "Idempotency-Key": "storm-1"}
    responses = await asyncio.gather(
        *(
            billing.client.post(
                "/v1/invoices", json=invoice_body(billing.member_id), headers=headers
            )
            for _ in range(50)
        )
    )
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    assert len({r.json()["invoice_id"] for r in responses}) == 1
    assert len({r.json()["structured_reference"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") != "true" for r in responses) == 1
    # the fence: a later invoice's event out means the storm's event is out too
    await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=billing.tokens.staff()
    )
    events = await eventually(lambda: issued_events(billing), until=lambda ids: len(ids) >= 2)
    assert len(events) == 2
    listed = await billing.client.get(
        f"/v1/members/{billing.member_id}/invoices", headers=billing.tokens.staff()
    )
    assert len(listed.json()["items"]) == 2


async def test_50_invoices_issued_at_once_get_50_distinct_valid_structured_references(
    billing: Billing,
) -> None:
    responses = await asyncio.gather(
        *(
            billing.client.post(
                "/v1/invoices", json=invoice_body(billing.member_id), headers=billing.tokens.staff()
            )
            for _ in range(50)
        )
    )
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    references = {r.json()["structured_reference"] for r in responses}
    assert len(references) == 50
    assert all(is_valid(reference) for reference in references)
    events = await eventually(lambda: issued_events(billing), until=lambda ids: len(ids) >= 50)
    assert len(events) == len(set(events)) == 50


async def test_same_idempotency_key_with_another_body_is_a_conflict(billing: Billing) -> None:
    headers = {**billing.tokens.staff(), "Idempotency-Key": "retry-2"}
    await billing.client.post("/v1/invoices", json=invoice_body(billing.member_id), headers=headers)
    changed = invoice_body(billing.member_id, due_date="2026-12-31")
    response = await billing.client.post("/v1/invoices", json=changed, headers=headers)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "overrides",
    [
        {"lines": []},
        {"due_date": "2026-11-01"},
        {"lines": [{"service_date": "2026-11-02", "description": "x", "amount": "-5.00"}]},
        {"lines": [{"service_date": "2026-11-02", "description": "x", "amount": "twelve"}]},
        {"lines": [{"service_date": "2026-11-02", "description": "x", "amount": "0.00"}]},
        {"member_id": "someone-billing-never-heard-of"},
    ],
    ids=["no-lines", "due-before-issue", "negative", "non-numeric", "zero", "unknown-member"],
)
async def test_invalid_invoices_are_422_problems_and_store_nothing(
    billing: Billing, overrides: dict[str, Any]
) -> None:
    response = await billing.client.post(
        "/v1/invoices",
        json=invoice_body(**{"member_id": billing.member_id, **overrides}),
        headers=billing.tokens.staff(),
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 422
    listed = await billing.client.get(
        f"/v1/members/{billing.member_id}/invoices", headers=billing.tokens.staff()
    )
    assert listed.json()["items"] == []


async def test_members_cannot_issue_invoices(billing: Billing) -> None:
    response = await billing.client.post(
        "/v1/invoices",
        json=invoice_body(billing.member_id),
        headers=billing.tokens.member(billing.member_id),
    )
    assert response.status_code == 403


async def test_a_member_lists_only_their_own_invoices(billing: Billing) -> None:
    await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=billing.tokens.staff()
    )
    own = await billing.client.get(
        f"/v1/members/{billing.member_id}/invoices",
        headers=billing.tokens.member(billing.member_id),
    )
    assert own.status_code == 200
    assert [i["member_id"] for i in own.json()["items"]] == [billing.member_id]

    stranger = billing.tokens.member(str(uuid.uuid4()))
    other = await billing.client.get(f"/v1/members/{billing.member_id}/invoices", headers=stranger)
    assert other.status_code in (403, 404)
    invoice_id = own.json()["items"][0]["invoice_id"]
    assert (
        await billing.client.get(f"/v1/invoices/{invoice_id}", headers=stranger)
    ).status_code == 404
    anonymous = await billing.client.get(f"/v1/members/{billing.member_id}/invoices")
    assert anonymous.status_code == 401


async def test_the_callers_trace_travels_with_the_event(billing: Billing) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = {**billing.tokens.staff(), "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    response = await billing.client.post(
        "/v1/invoices", json=invoice_body(billing.member_id), headers=headers
    )
    assert response.status_code == 201
    records = await eventually(
        lambda: read_all(billing.bootstrap, f"{billing.topic_prefix}invoice.issued"),
        what="invoice.issued published",
    )
    traceparent = dict(records[0].headers)["traceparent"].decode()
    assert traceparent.split("-")[1] == trace_id  # same trace, a child span of the request


async def test_operations_endpoints(billing: Billing) -> None:
    assert (await billing.client.get("/healthz")).json() == {"status": "ok"}
    ready = await billing.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"mongodb": "ok", "kafka": "ok", "revocations": "ok"}
    asyncapi = (await billing.client.get("/asyncapi.json")).json()
    channels = json.dumps(asyncapi["channels"])
    assert f"{billing.topic_prefix}invoice.issued" in channels  # published
    assert f"{billing.topic_prefix}member.registered" in channels  # consumed


async def test_two_replicas_publish_each_event_once_in_per_member_order(
    billing: Billing, platform: Endpoints, run_id: str
) -> None:
    """A second billing replica on the same database and topics: one relay publishes
    (the lease), the other stands by; invoices issued through both go out once each,
    in the order they were issued for the member."""
    second = create_app(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    async with serving(second, billing.tokens) as other:
        references = []
        for n in range(20):
            client = (billing.client, other)[n % 2]
            response = await client.post(
                "/v1/invoices", json=invoice_body(billing.member_id), headers=billing.tokens.staff()
            )
            assert response.status_code == 201, response.text
            references.append(response.json()["structured_reference"])
        records = await eventually(
            lambda: read_all(billing.bootstrap, f"{billing.topic_prefix}invoice.issued"),
            until=lambda r: len(r) >= 20,
        )
        published = [json.loads(r.value or b"")["data"]["structured_reference"] for r in records]
        assert published == references  # once each, in issue order (one key, one partition)
        assert len(set(references)) == 20
