"""policy-svc's premiums against the real FerretDB and Kafka: ``invoice.paid`` for the first
premium activates the contract (PC-4, ``policy.activated``), staff formal notices (PC-8)
and the scheduler emitting renewal (PC-5: ``policy.renewed`` + ``premium.due``) and
suspension (PC-8: ``policy.suspended``) once their day has come."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from mylm_shared.events import (
    INVOICE_PAID,
    MEMBER_REGISTERED,
    InvoicePaidV1,
    MemberRegisteredV1,
    new_event,
)
from mylm_shared.kernel.periods import belgian_today
from policy.bootstrap import create_app
from policy.domain.dates import add_years
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration


@dataclass
class Premiums:
    client: httpx.AsyncClient
    tokens: TokenMint
    member: str
    prefix: str
    bootstrap: str

    async def issued(self, start: date) -> str:
        body = {
            "policyholder_member_id": self.member,
            "formula": "single",
            "start_date": start.isoformat(),
            "threshold_pct": 10,
            "e_protection": False,
        }
        proposed = await self.client.post("/v1/policies", json=body, headers=self.tokens.staff())
        assert proposed.status_code == 201, proposed.text
        policy_id: str = proposed.json()["policy_id"]
        accepted = await self.client.post(
            f"/v1/policies/{policy_id}/accept", headers=self.tokens.member(self.member)
        )
        assert accepted.status_code == 200, accepted.text
        return policy_id

    async def pay(self, policy_id: str, term_number: int, paid_on: date) -> None:
        """billing's ``invoice.paid`` for a premium invoice, on the real topic."""
        payload = InvoicePaidV1(
            invoice_id=f"{policy_id}:{term_number}",
            member_id=self.member,
            structured_reference="+++000/0000/00101+++",
            paid_total=Decimal("78.66"),
            paid_on=paid_on,
            kind="premium",
            policy_id=policy_id,
            term_number=term_number,
        )
        event = new_event(INVOICE_PAID, payload, source="/billing-svc", subject=self.member)
        await publish_event(self.bootstrap, f"{self.prefix}invoice.paid", event)

    async def events(self, topic: str, policy_id: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.prefix}{topic}")
        found = [json.loads(r.value or b"")["data"] for r in records]
        return [e for e in found if e["policy_id"] == policy_id]

    async def status(self, policy_id: str) -> str:
        response = await self.client.get(
            f"/v1/policies/{policy_id}", headers=self.tokens.member(self.member)
        )
        assert response.status_code == 200, response.text
        status: str = response.json()["status"]
        return status


@pytest.fixture
async def premiums(platform: Endpoints, run_id: str) -> AsyncIterator[Premiums]:
    tokens = TokenMint()
    settings = {**isolated(platform, run_id, "policy"), "scheduler_interval_seconds": 0.5}
    app = create_app(PolicySettings(**settings))  # type: ignore[arg-type]
    member = str(uuid.uuid4())
    async with serving(app, tokens) as client:
        registered = MemberRegisteredV1(
            member_id=member,
            email=None,
            language="nl",
            mutuality="LM Plus",
            first_name="An",
            last_name="Claes",
            birth_date=date(1980, 5, 17),
        )
        event = new_event(MEMBER_REGISTERED, registered, source="/tests", subject=member)
        await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.member.registered", event)
        bootstrap = platform.kafka_bootstrap_servers
        world = Premiums(client, tokens, member, f"{run_id}.", bootstrap)

        async def known() -> bool:
            body = {
                "policyholder_member_id": member,
                "formula": "single",
                "start_date": "2027-01-01",
                "threshold_pct": 10,
            }
            # A proposal is refused (422) until policy-svc knows the member.
            probe = await client.post("/v1/policies", json=body, headers=tokens.staff())
            return probe.status_code == 201

        await eventually(known, what="policy-svc learns the member from member.registered")
        yield world


async def test_pc4_invoice_paid_for_the_first_premium_activates_the_policy_once(
    premiums: Premiums,
) -> None:
    policy_id = await premiums.issued(date(2027, 1, 1))
    assert await premiums.status(policy_id) == "awaiting_first_premium"
    await premiums.pay(policy_id, 1, date(2026, 12, 20))
    await premiums.pay(policy_id, 1, date(2026, 12, 20))  # a second delivery of a payment

    await eventually(
        lambda: premiums.status(policy_id), until=lambda s: s == "active", what="active"
    )
    activated = await eventually(
        lambda: premiums.events("policy.activated", policy_id), what="policy.activated"
    )
    assert [(e["cover_from"], e["paid_on"]) for e in activated] == [("2027-01-01", "2026-12-20")]

    # The same member's next event comes after both deliveries (one partition): by then
    # the redelivery was handled, and it emitted nothing.
    other = await premiums.issued(date(2027, 2, 1))
    await premiums.pay(other, 1, date(2027, 1, 20))
    await eventually(lambda: premiums.events("policy.activated", other), what="second policy")
    assert len(await premiums.events("policy.activated", policy_id)) == 1


async def test_pc5_pc8_the_scheduler_renews_a_year_old_policy_and_emits_its_suspension(
    premiums: Premiums,
) -> None:
    today = belgian_today()
    start = add_years(today, -1) - timedelta(days=30)  # term 2 began 30 days ago
    term_2 = add_years(start, 1)
    policy_id = await premiums.issued(start)
    await premiums.pay(policy_id, 1, start)

    renewed = await eventually(
        lambda: premiums.events("policy.renewed", policy_id), what="policy.renewed (PC-5)"
    )
    assert [(e["term_number"], e["term_start"]) for e in renewed] == [(2, term_2.isoformat())]
    due = await eventually(
        lambda: premiums.events("premium.due", policy_id),
        until=lambda found: len(found) == 2,
        what="premium.due for term 2",
    )
    assert [(e["term_number"], e["due_date"]) for e in due] == [
        (1, start.isoformat()),
        (2, term_2.isoformat()),
    ]

    # PC-8: a formal notice for term 2 posted the day it fell due: suspended 16 days later
    # (already passed), terminated 15 days after that (not yet).
    url = f"/v1/policies/{policy_id}/payment-notices"
    body = {
        "term_number": 2,
        "posted_on": term_2.isoformat(),
        "channel": "registered_letter",
        "announces_termination": True,
    }
    member = await premiums.client.post(url, json=body, headers=premiums.tokens.member("x"))
    assert member.status_code == 403
    posted = await premiums.client.post(url, json=body, headers=premiums.tokens.staff())
    assert posted.status_code == 201, posted.text
    notice = posted.json()
    suspended_from = term_2 + timedelta(days=16)
    assert notice["suspended_from"] == suspended_from.isoformat()
    assert notice["terminates_on"] == (suspended_from + timedelta(days=15)).isoformat()
    assert (notice["admin_costs"], notice["currency"], notice["rule"]) == ("21.25", "EUR", "PC-8")

    suspended = await eventually(
        lambda: premiums.events("policy.suspended", policy_id), what="policy.suspended (PC-8)"
    )
    assert [e["suspended_from"] for e in suspended] == [suspended_from.isoformat()]
    assert await premiums.status(policy_id) == "suspended"
    state = await premiums.client.get(
        f"/v1/policies/{policy_id}/state",
        params={"date": (suspended_from - timedelta(days=1)).isoformat()},
        headers=premiums.tokens.staff(),
    )
    assert (state.json()["status"], state.json()["covers"]) == (
        "active",
        ["accident", "assistance"],
    )

    paid = await premiums.client.post(
        url, json={**body, "term_number": 1}, headers=premiums.tokens.staff()
    )
    assert paid.status_code == 422
    assert paid.headers["content-type"] == "application/problem+json"
    assert paid.json()["rule"] == "PC-8"

    # Item 7: the member sees each premium requested so far, paid or not, and its notice.
    view = await premiums.client.get(
        f"/v1/policies/{policy_id}", headers=premiums.tokens.member(premiums.member)
    )
    terms = view.json()["premium_terms"]
    assert [(t["term_number"], t["due_on"], t["paid_on"]) for t in terms] == [
        (1, start.isoformat(), start.isoformat()),
        (2, term_2.isoformat(), None),
    ]
    assert [n["suspended_from"] for n in terms[1]["notices"]] == [suspended_from.isoformat()]
    assert terms[0]["notices"] == []
