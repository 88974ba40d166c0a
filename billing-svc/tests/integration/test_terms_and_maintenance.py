"""Issue 18 items 5 and 6 against the real Kafka, FerretDB and Mailpit (billing-svc,
inbox-svc and notify-svc in process): a terms change too soon is refused with the
earliest date (EI-6); published, an e-invoicing member gets an inbox letter and an
e-mail, a member on paper neither; a maintenance window in force refuses member
requests with 503 and ``Retry-After`` while staff, ``/healthz`` and the consumers carry
on, and the window is announced in the inbox (EI-7)."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import holidays
import httpx
import pytest
from mylm_shared.kernel.periods import belgian_today

from testkit.billing_world import BillingWorld, billing_world
from testkit.platform import Endpoints
from testkit.polling import eventually

pytestmark = pytest.mark.integration

SUMMARY = {"nl": "De factuur vermeldt voortaan de zorgcode.", "fr": "La facture indique le code."}
REASON = {"nl": "Nieuwe versie van de facturatie.", "fr": "Nouvelle version de la facturation."}


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[BillingWorld]:
    async with billing_world(
        platform, run_id, notice_check_seconds=0.2, notice_batch_pause_seconds=0.05
    ) as world:
        yield world


def working_days_strictly_between(start: date, end: date) -> int:
    """Counted here with the ``holidays`` library itself, not billing's kernel."""
    belgian = holidays.country_holidays("BE", years=range(start.year, end.year + 2))
    days = (start + timedelta(days=n) for n in range(1, (end - start).days))
    return sum(1 for d in days if d.weekday() < 5 and d not in belgian)


async def test_terms_too_soon_are_refused_then_published_to_einvoicing_members_only_ei_6(
    world: BillingWorld,
) -> None:
    """EI-6 (issue 18 item 5): an effective date tomorrow is refused, 422 problem+json
    with ``earliest_effective_on`` (15 Belgian working days strictly between, counted
    with ``holidays``) and ``rule``; published on that date (201), the e-invoicing member
    gets an inbox letter and an e-mail with the summary, the member on paper (no account,
    EI-2) no event at all; the same body again answers the same (idempotent)."""
    online, online_email = await world.member(account=True)
    paper, paper_email = await world.member(account=False)
    today = belgian_today()
    staff = world.tokens.staff()
    body = {"version": f"v{uuid.uuid4().hex[:6]}", "summary": SUMMARY}

    early = await world.client.post(
        "/v1/terms",
        json={**body, "effective_on": (today + timedelta(days=1)).isoformat()},
        headers=staff,
    )
    assert early.status_code == 422, early.text
    assert early.headers["content-type"].startswith("application/problem+json")
    assert early.json()["rule"] == "EI-6"
    earliest = date.fromisoformat(early.json()["earliest_effective_on"])
    assert working_days_strictly_between(today, earliest) == 15
    assert working_days_strictly_between(today, earliest - timedelta(days=1)) == 14

    member_try = await world.client.post(
        "/v1/terms",
        json={**body, "effective_on": earliest.isoformat()},
        headers=world.tokens.member(online),
    )
    assert member_try.status_code == 403
    published = await world.client.post(
        "/v1/terms", json={**body, "effective_on": earliest.isoformat()}, headers=staff
    )
    assert published.status_code == 201, published.text
    assert published.json() == {
        "version": body["version"],
        "effective_on": earliest.isoformat(),
        "published_on": today.isoformat(),
    }
    again = await world.client.post(
        "/v1/terms", json={**body, "effective_on": earliest.isoformat()}, headers=staff
    )
    assert (again.status_code, again.json()) == (201, published.json())
    listed = (await world.client.get("/v1/terms")).json()["items"]
    assert [v["version"] for v in listed] == [body["version"]]

    letters = await eventually(
        lambda: world.documents(online),
        until=lambda docs: any(d["kind"] == "terms_changed" for d in docs),
        what="EI-6: the inbox letter",
    )
    [letter] = [d for d in letters if d["kind"] == "terms_changed"]
    assert SUMMARY["nl"] in letter["body"]
    mails = await eventually(
        lambda: world.mailpit.messages_to(online_email), what="EI-6: the e-mail"
    )
    assert [m["Subject"] for m in mails] == [letter["title"]]
    events = await world.records("terms.changed")
    assert [e["member_id"] for e in events] == [online]  # none for the member on paper
    assert all(d["kind"] != "terms_changed" for d in await world.documents(paper))
    assert await world.mailpit.messages_to(paper_email) == []


async def test_during_maintenance_members_get_503_staff_and_consumers_carry_on_ei_7(
    world: BillingWorld,
) -> None:
    """EI-7 (issue 18 item 6): a window in force from now: the member's GET answers 503
    problem+json with ``Retry-After`` and the reason in their language, staff's GET 200,
    ``/healthz`` 200, ``GET /v1/maintenance`` shows it; the e-invoicing member finds the
    announcement in the inbox, and a member registered during the window reaches billing
    (the consumers carry on: staff issue that member an invoice)."""
    online, _ = await world.member(account=True, language="fr")
    await eventually(
        lambda: world.client.get(f"/v1/members/{online}/invoices", headers=world.tokens.staff()),
        until=lambda r: r.status_code == 200,
    )
    now = datetime.now(UTC)
    window = {
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(hours=1)).isoformat(),
        "reason": REASON,
    }
    planned = await world.client.put("/v1/maintenance", json=window, headers=world.tokens.staff())
    assert planned.status_code == 200, planned.text
    assert planned.json()["active"] is True and planned.json()["short_notice"] is True

    refused = await world.client.get(
        f"/v1/members/{online}/invoices", headers=world.tokens.member(online)
    )
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 3500 <= int(refused.headers["retry-after"]) <= 3600
    assert refused.json()["notice"] == {"fr": REASON["fr"]}
    staff = await world.client.get(f"/v1/members/{online}/invoices", headers=world.tokens.staff())
    assert staff.status_code == 200
    assert (await world.client.get("/healthz")).status_code == 200
    shown = (await world.client.get("/v1/maintenance")).json()["window"]
    assert shown["active"] is True and shown["reason"] == REASON

    announced = await eventually(
        lambda: world.documents(online),
        until=lambda docs: any(d["kind"] == "maintenance_announced" for d in docs),
        what="EI-7: the announcement in the inbox",
    )
    [letter] = [d for d in announced if d["kind"] == "maintenance_announced"]
    assert REASON["fr"] in letter["body"]

    later, _ = await world.member(account=False)
    today = belgian_today().isoformat()
    invoice = {
        "member_id": later,
        "issue_date": today,
        "due_date": today,
        "lines": [{"service_date": today, "description": "Consultatie", "amount": "12.00"}],
    }

    async def issue() -> httpx.Response:
        headers = world.tokens.staff() | {"Idempotency-Key": str(uuid.uuid4())}
        return await world.client.post("/v1/invoices", json=invoice, headers=headers)

    await eventually(issue, until=lambda r: r.status_code == 201, what="billing consumed it")
