"""AC-1, AC-2, AC-4 at inbox-svc: a titular reads a dependant's documents only with the
token exchanged at identity-svc for that dossier; inbox verifies it against identity's
published JWKS. identity-svc and inbox-svc run for real, on the real platform."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from identity.demo import TITULAR
from inbox.bootstrap import create_app as create_inbox
from inbox.settings import InboxSettings

from testkit.apps import invoice_issued
from testkit.household import ADULT, CHILD, OTHER, TEEN, DemoHousehold, identity_and
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@dataclass
class Household(DemoHousehold):
    inbox: httpx.AsyncClient

    async def documents(self, member_id: str, headers: dict[str, str]) -> httpx.Response:
        return await self.inbox.get(f"/v1/members/{member_id}/documents", headers=headers)


@pytest.fixture
async def household(platform: Endpoints, run_id: str) -> AsyncIterator[Household]:
    app = create_inbox(InboxSettings(**isolated(platform, run_id, "inbox")))  # type: ignore[arg-type]
    async with identity_and(app, platform, run_id) as (identity, inbox):
        for member_id in (CHILD, TITULAR):
            event = invoice_issued(member_id, reference=f"+++000/0000/{len(member_id):05d}+++")
            await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.invoice.issued", event)
        yield Household(identity, inbox)


async def test_ac2_the_titular_reads_the_childs_documents_only_with_the_exchanged_token(
    household: Household,
) -> None:
    staff = await household.bearer("demo.staff")

    async def filed(member_id: str) -> list[dict[str, Any]]:
        response = await household.documents(member_id, staff)
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    child_documents = await eventually(lambda: filed(CHILD), what="the child's document")
    await eventually(lambda: filed(TITULAR), what="the titular's document")
    own = await household.bearer("demo.titular")
    assert (await household.documents(TITULAR, own)).status_code == 200  # AC-1
    assert (await household.documents(CHILD, own)).status_code == 403

    exchanged = await household.identity.post(f"/v1/me/dossiers/{CHILD}/token", headers=own)
    assert exchanged.status_code == 200, exchanged.text
    acting = {"Authorization": f"Bearer {exchanged.json()['access_token']}"}
    seen = await household.documents(CHILD, acting)
    assert seen.status_code == 200
    assert [d["document_id"] for d in seen.json()["items"]] == [
        d["document_id"] for d in child_documents
    ]
    for elsewhere in (TITULAR, TEEN, ADULT, OTHER):
        assert (await household.documents(elsewhere, acting)).status_code == 403, elsewhere


async def test_ac4_no_token_is_exchanged_for_the_adult_dependant(household: Household) -> None:
    own = await household.bearer("demo.titular")
    exchanged = await household.identity.post(f"/v1/me/dossiers/{ADULT}/token", headers=own)
    assert exchanged.status_code == 403
    assert (await household.documents(ADULT, own)).status_code == 403
