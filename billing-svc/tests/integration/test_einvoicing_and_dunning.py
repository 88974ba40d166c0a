"""Issue 18 items 3 and 4 against the real Kafka, FerretDB and Mailpit (billing-svc and
notify-svc in process): ``account.created`` → e-invoicing on (EI-2); switched off → the
next invoice gives ``invoice.print_requested`` and no e-mail (EI-3); an invoice issued 40
days past due → overdue, reminder 1 and 2 once each, the job run twice changes nothing
more (EI-5); a payment after a reminder settles."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from mylm_shared.events import PostalAddressV1
from mylm_shared.kernel.periods import belgian_today

from testkit.billing_world import BillingWorld, account_created, billing_world
from testkit.platform import Endpoints
from testkit.polling import eventually
from testkit.slice import consumer_lag

pytestmark = pytest.mark.integration

IBAN = "BE71 0961 2345 6769"


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[BillingWorld]:
    async with billing_world(platform, run_id) as world:
        yield world


async def test_account_created_switches_on_and_switched_off_the_next_invoice_is_printed_ei_2_ei_3(
    world: BillingWorld,
) -> None:
    """EI-2: ``account.created`` → e-invoicing on (by the system), the invoice is e-mailed
    and never printed. EI-3: the member switches it off → the next invoice goes out on
    paper with one ``invoice.print_requested`` and no e-mail; each switch is an
    ``einvoicing.changed`` with its actor. Issue 18 item 3: the print request carries
    the member's name and postal address from ``member.registered``."""
    asse = PostalAddressV1(
        street="Kerkstraat", number="12", box="3", postal_code="1730", municipality="Asse"
    )
    member_id, _ = await world.member(address=asse)
    assert (await world.einvoicing(member_id))["enabled"] is False  # no account: paper
    await world.publish("account.created", account_created(member_id))
    on = await eventually(
        lambda: world.einvoicing(member_id), until=lambda s: s["enabled"], what="EI-2: on"
    )
    assert on["changed_by"] == "system" and on["since"]

    today = belgian_today().isoformat()
    electronic = await world.issue(member_id, today, today)
    domain = f"{world.run_id}.test"
    await eventually(
        lambda: world.mailpit.messages_to(domain), until=lambda e: len(e) == 1, what="e-mail"
    )

    response = await world.client.put(
        f"/v1/members/{member_id}/einvoicing",
        json={"enabled": False},
        headers=world.tokens.member(member_id),
    )
    assert response.status_code == 200, response.text
    assert (response.json()["enabled"], response.json()["changed_by"]) == (False, "member")
    paper = await world.issue(member_id, today, today, amount="31.40")

    printed = await eventually(
        lambda: world.records("invoice.print_requested"), what="the print request"
    )
    assert [p["invoice_id"] for p in printed] == [paper["invoice_id"]]
    assert printed[0]["pdf"] == f"/v1/invoices/{paper['invoice_id']}.pdf"
    assert (printed[0]["language"], printed[0]["mutuality"]) == ("nl", "LM Plus")
    assert printed[0]["member_name"] == "Jan Peeters"
    assert printed[0]["address"] == {
        "street": "Kerkstraat",
        "number": "12",
        "box": "3",
        "postal_code": "1730",
        "municipality": "Asse",
        "country": "BE",
    }
    assert printed[0]["address_missing"] is False
    issued = {i["invoice_id"]: i["channel"] for i in await world.records("invoice.issued")}
    assert issued == {electronic["invoice_id"]: "electronic", paper["invoice_id"]: "paper"}

    # notify has handled both invoice.issued (its group caught up): still one e-mail
    async def lag() -> int:
        group = f"{world.run_id}.notify.notify-invoices"
        return await consumer_lag(world.bootstrap, group, f"{world.run_id}.invoice.issued")

    await eventually(lag, until=lambda n: n == 0, what="notify handled the paper invoice")
    assert len(await world.mailpit.messages_to(domain)) == 1
    changes = await eventually(
        lambda: world.records("einvoicing.changed"), until=lambda c: len(c) == 2
    )
    assert [(c["enabled"], c["changed_by"]) for c in changes] == [
        (True, "system"),
        (False, "member"),
    ]


async def test_forty_days_past_due_overdue_then_reminders_1_and_2_once_ei_5(
    world: BillingWorld,
) -> None:
    """EI-5: staff issue an invoice 40 days past due; the job (``POST /v1/jobs/dunning``,
    202) marks it overdue and requests reminder 1 and 2, once each; run again it changes
    nothing more. A payment after the reminders settles. (PC-8, premiums untouched:
    ``tests/unit/test_dunning_job.py``.)"""
    member_id, _ = await world.member()
    today = belgian_today()
    due = today - timedelta(days=40)
    invoice = await world.issue(member_id, (due - timedelta(days=30)).isoformat(), due.isoformat())
    invoice_id = invoice["invoice_id"]

    first = await world.client.post("/v1/jobs/dunning", headers=world.tokens.staff())
    assert first.status_code == 202, first.text
    again = await world.client.post("/v1/jobs/dunning", headers=world.tokens.staff())
    assert again.status_code == 202
    assert (again.json()["marked_overdue"], again.json()["reminders"]) == (0, 0)

    overdue = await eventually(lambda: world.records("invoice.overdue"), what="invoice.overdue")
    reminders = await eventually(
        lambda: world.records("invoice.reminder_due"),
        until=lambda r: len(r) >= 2,
        what="the two reminders",
    )
    assert [(o["invoice_id"], o["overdue_on"]) for o in overdue] == [
        (invoice_id, (due + timedelta(days=1)).isoformat())
    ]
    assert [(r["invoice_id"], r["level"], r["channel"]) for r in reminders] == [
        (invoice_id, 1, "paper"),  # no account: the member's channel is paper
        (invoice_id, 2, "paper"),
    ]
    current = await world.client.get(f"/v1/invoices/{invoice_id}", headers=world.tokens.staff())
    assert current.json()["status"] == "overdue"

    # A payment after the reminders settles as any other.
    payment = {
        "structured_reference": invoice["structured_reference"],
        "amount": "25.00",
        "value_date": today.isoformat(),
        "counterparty_iban": IBAN,
    }
    headers = world.tokens.staff() | {"Idempotency-Key": str(uuid.uuid4())}
    paid = await world.client.post("/v1/payments", json=payment, headers=headers)
    assert paid.status_code == 201, paid.text
    current = await world.client.get(f"/v1/invoices/{invoice_id}", headers=world.tokens.staff())
    assert current.json()["status"] == "paid"
    third = await world.client.post("/v1/jobs/dunning", headers=world.tokens.staff())
    assert (third.json()["marked_overdue"], third.json()["reminders"]) == (0, 0)
    assert len(await world.records("invoice.reminder_due")) == 2
    assert len(await world.records("invoice.overdue")) == 1


async def test_the_new_routes_are_documented_and_guarded(world: BillingWorld) -> None:
    """Issue 18 items 3, 4: problem+json answers in the OpenAPI; members cannot run the
    job, nor read or switch another member's e-invoicing (403 as for a missing one)."""
    paths = (await world.client.get("/openapi.json")).json()["paths"]
    assert {"401", "403"} <= set(paths["/v1/jobs/dunning"]["post"]["responses"])
    assert {"get", "put"} <= set(paths["/v1/members/{member_id}/einvoicing"])
    member = world.tokens.member("m-1")
    assert (await world.client.post("/v1/jobs/dunning", headers=member)).status_code == 403
    other = await world.client.put(
        "/v1/members/m-2/einvoicing", json={"enabled": False}, headers=member
    )
    assert other.status_code == 403
    assert other.headers["content-type"].startswith("application/problem+json")


async def test_reminders_reach_the_inbox_and_the_mailbox_once_each_ei_5(
    world: BillingWorld,
) -> None:
    """EI-5 (issue 18 "done when"): a member with e-invoicing on, an invoice issued 40
    days past due: after the job (run twice) the inbox holds reminder 1 and 2 beside the
    invoice, and the mailbox the invoice's e-mail and one e-mail per reminder."""
    member_id, _ = await world.member()
    await world.publish("account.created", account_created(member_id))
    await eventually(
        lambda: world.einvoicing(member_id), until=lambda s: s["enabled"], what="EI-2: on"
    )
    due = belgian_today() - timedelta(days=40)
    invoice = await world.issue(member_id, (due - timedelta(days=30)).isoformat(), due.isoformat())
    for _ in range(2):
        ran = await world.client.post("/v1/jobs/dunning", headers=world.tokens.staff())
        assert ran.status_code == 202, ran.text

    async def documents() -> list[dict[str, Any]]:
        response = await world.inbox.get(
            f"/v1/members/{member_id}/documents", headers=world.tokens.member(member_id)
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    filed = await eventually(documents, until=lambda d: len(d) >= 3, what="3 inbox documents")
    reminders = sorted(d["title"] for d in filed if d["kind"] == "invoice_reminder")
    assert len(reminders) == 2 and len(filed) == 3
    assert reminders[0].startswith("Herinnering") and reminders[1].startswith("Tweede")
    assert all(invoice["structured_reference"] in title for title in reminders)

    domain = f"{world.run_id}.test"
    mails = await eventually(
        lambda: world.mailpit.messages_to(domain), until=lambda e: len(e) >= 3, what="3 e-mails"
    )
    subjects = sorted(m["Subject"] for m in mails)
    assert len(subjects) == 3, subjects
    assert sum(s.startswith(("Herinnering", "Tweede herinnering")) for s in subjects) == 2
