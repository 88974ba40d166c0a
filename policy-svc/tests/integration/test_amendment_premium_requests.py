"""PC-7/PC-8 against the real FerretDB and Kafka: accepting an aggravation (single ->
family, retroactive) requests the premium difference of the running term — "bij de
uitgifte van nieuwe bijzondere voorwaarden ontvangt u een verzoek om betaling" — as one
``premium.due`` with ``adjustment_of`` on the real topic, beside ``policy.amended``."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from mylm_shared.kernel.periods import belgian_today
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app
from policy.domain.dates import add_years
from policy.settings import PolicySettings

from testkit.apps import serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration
CENT = Decimal("0.01")


@dataclass
class Platform:
    client: httpx.AsyncClient
    tokens: TokenMint
    holder: str
    topic_prefix: str
    bootstrap: str

    async def events(self, topic: str) -> list[dict[str, Any]]:
        records = await read_all(self.bootstrap, f"{self.topic_prefix}{topic}")
        return [json.loads(r.value or b"")["data"] for r in records]


def registered(member_id: str) -> Any:
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=None,
        language="nl",
        mutuality="LM Plus",
        first_name="An",
        last_name="Claes",
        birth_date=date(1980, 5, 17),
    )
    return new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)


@pytest.fixture
async def platform_(platform: Endpoints, run_id: str) -> AsyncIterator[Platform]:
    tokens = TokenMint()
    app = create_app(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    holder = str(uuid.uuid4())
    async with serving(app, tokens) as client:
        await publish_event(
            platform.kafka_bootstrap_servers, f"{run_id}.member.registered", registered(holder)
        )
        members = app.state.runtime.db[MEMBERS]

        async def known() -> bool:
            found: int = await members.count_documents({"_id": holder})
            return found == 1

        await eventually(known, what="policy-svc learns the member")
        yield Platform(client, tokens, holder, f"{run_id}.", platform.kafka_bootstrap_servers)


async def test_pc7_pc8_accepted_aggravation_requests_the_running_terms_difference_once(
    platform_: Platform,
) -> None:
    p = platform_
    today = belgian_today()
    start = today - timedelta(days=30)  # term 1 runs today, whatever the date of the run
    body = {
        "policyholder_member_id": p.holder,
        "formula": "single",
        "start_date": start.isoformat(),
        "threshold_pct": 10,
        "e_protection": False,
    }
    proposed = await p.client.post("/v1/policies", json=body, headers=p.tokens.staff())
    assert proposed.status_code == 201, proposed.text
    policy_id = proposed.json()["policy_id"]
    holder = p.tokens.member(p.holder)
    signed = await p.client.post(f"/v1/policies/{policy_id}/accept", headers=holder)
    assert signed.status_code == 200, signed.text

    occurred = today - timedelta(days=10)
    declared = await p.client.post(
        f"/v1/policies/{policy_id}/amendments",
        json={"kind": "aggravation", "formula": "family", "occurred_on": occurred.isoformat()},
        headers=holder,
    )
    assert declared.status_code == 201, declared.text
    amendment_id = declared.json()["amendment_id"]
    proposal = await p.client.post(
        f"/v1/amendments/{amendment_id}/proposal",
        json={"proposed_on": today.isoformat()},
        headers=p.tokens.staff(),
    )
    assert proposal.status_code == 200, proposal.text
    for _ in range(2):  # a retried acceptance requests nothing more
        accepted = await p.client.post(f"/v1/amendments/{amendment_id}/accept", headers=holder)
        assert accepted.status_code == 200, accepted.text

    async def adjustment_requested() -> list[dict[str, Any]]:
        dues = await p.events("premium.due")
        return [d for d in dues if d["policy_id"] == policy_id and d.get("adjustment_of")]

    [due] = await eventually(adjustment_requested, what="premium.due with adjustment_of")
    # Single 10 % = 72.00 + 6.66, family 10 % = 132.00 + 12.21: the difference from the
    # aggravation to the end of term 1, per component, rounded half up.
    term_end = add_years(start, 1)
    days, term_days = (term_end - occurred).days, (term_end - start).days
    net = (Decimal("60.00") * days / term_days).quantize(CENT, ROUND_HALF_UP)
    taxes = (Decimal("5.55") * days / term_days).quantize(CENT, ROUND_HALF_UP)
    assert (due["adjustment_of"], due["term_number"], due["due_date"]) == (
        amendment_id,
        1,
        occurred.isoformat(),
    )
    assert (due["premium"]["net"], due["premium"]["taxes"], due["premium"]["total"]) == (
        str(net),
        str(taxes),
        str(net + taxes),
    )
    amended = await eventually(lambda: p.events("policy.amended"), what="policy.amended")
    assert [e["amendment_id"] for e in amended] == [amendment_id]
    dues = [d for d in await p.events("premium.due") if d["policy_id"] == policy_id]
    # The first premium (at signing) and the one adjustment: never a second request.
    assert [d.get("adjustment_of") for d in dues] == [None, amendment_id]
