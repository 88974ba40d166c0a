"""Issue 19 items 1 and 2 against the real Kafka and FerretDB, inbox-svc and billing-svc
in process: a member's inbox listed with filters and a cursor, marked read / archived
(idempotent), a letter's stored PDF downloaded, an invoice's content a 303 to
billing-svc's PDF (downloaded there with the same token), a titular acting for a
dependant, another member's document a 404 like a missing one (IN-1); the inbox off →
``document.print_requested`` and no inbox delivery, on again → the inbox (IN-3), and no
second print request for an invoice billing posts itself (EI-2)."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from billing.bootstrap import create_app as create_billing
from billing.settings import BillingSettings
from inbox.adapters.repository import DOCUMENTS
from inbox.bootstrap import create_app as create_inbox
from inbox.domain.documents import document_id_for
from inbox.settings import InboxSettings
from mylm_shared.events import CloudEvent, PostalAddressV1
from mylm_shared.kernel.periods import BRUSSELS
from pymongo.asynchronous.database import AsyncDatabase

from testkit.apps import invoice_issued, member_registered, serving
from testkit.billing_world import account_created
from testkit.claim_events import claim_milestones
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

ADDRESS = PostalAddressV1(street="Kerkstraat", number="12", postal_code="9000", municipality="Gent")
Headers = dict[str, str]


@dataclass
class World:
    run_id: str
    bootstrap: str
    tokens: TokenMint
    inbox: httpx.AsyncClient
    billing: httpx.AsyncClient
    inbox_db: AsyncDatabase[Any]

    async def publish(self, topic: str, event: CloudEvent) -> None:
        await publish_event(self.bootstrap, f"{self.run_id}.{topic}", event)

    async def records(self, topic: str) -> list[dict[str, Any]]:
        try:
            found = await read_all(self.bootstrap, f"{self.run_id}.{topic}")
        except AssertionError:  # the topic is not there (yet)
            return []
        return [json.loads(r.value or b"{}")["data"] for r in found]

    async def member(self, *, account: bool = True, language: str = "fr") -> str:
        """Known to inbox and billing (with a postal address); with an account,
        e-invoicing on (EI-2)."""
        event = member_registered(language=language, address=ADDRESS)  # type: ignore[arg-type]
        member_id = event.subject or ""
        await self.publish("member.registered", event)
        if account:
            await self.publish("account.created", account_created(member_id))

            async def einvoicing() -> bool:
                response = await self.billing.get(
                    f"/v1/members/{member_id}/einvoicing", headers=self.tokens.staff()
                )
                return bool(response.status_code == 200 and response.json()["enabled"])

            await eventually(einvoicing, what="e-invoicing on (EI-2)")

        async def known() -> int:
            return int(await self.inbox_db["members"].count_documents({"_id": member_id}))

        await eventually(known, what="inbox knows the member")
        return member_id

    async def issue(self, member_id: str) -> str:
        body = {
            "member_id": member_id,
            "issue_date": "2026-11-23",
            "due_date": "2026-12-23",
            "lines": [{"service_date": "2026-11-02", "description": "Consult", "amount": "25.00"}],
        }

        async def issued() -> httpx.Response:
            headers = self.tokens.staff() | {"Idempotency-Key": str(uuid.uuid4())}
            return await self.billing.post("/v1/invoices", json=body, headers=headers)

        response = await eventually(
            issued, until=lambda r: r.status_code == 201, what="billing knows the member"
        )
        invoice_id: str = response.json()["invoice_id"]
        return invoice_id

    async def recorded(self, document_id: str) -> dict[str, Any]:
        """The document's record once inbox filed it (whatever the channel)."""

        async def found() -> dict[str, Any] | None:
            return await self.inbox_db[DOCUMENTS].find_one({"_id": document_id})

        record: dict[str, Any] = await eventually(
            found, until=lambda d: d is not None, what=f"document {document_id} recorded"
        )
        return record

    async def listing(self, member_id: str, headers: Headers, **params: Any) -> httpx.Response:
        return await self.inbox.get(
            f"/v1/members/{member_id}/documents", params=params, headers=headers
        )

    async def settings(self, member_id: str, enabled: bool, headers: Headers) -> dict[str, Any]:
        response = await self.inbox.put(
            f"/v1/members/{member_id}/inbox-settings", json={"enabled": enabled}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[World]:
    tokens = TokenMint()
    billing = create_billing(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    inbox = create_inbox(InboxSettings(**isolated(platform, run_id, "inbox")))  # type: ignore[arg-type]
    async with serving(inbox, tokens) as documents, serving(billing, tokens) as invoices:
        yield World(
            run_id,
            platform.kafka_bootstrap_servers,
            tokens,
            documents,
            invoices,
            inbox.state.runtime.db,
        )


async def test_in_3_inbox_off_an_invoice_is_printed_not_delivered_on_again_the_inbox(
    world: World,
) -> None:
    """Issue 19 item 2, IN-3: switched off by the member, the next invoice goes by post
    (``document.print_requested`` with the member's name, address, language and the
    invoice's PDF on billing), not to the inbox; switched on again, the next one arrives
    in the inbox. Each switch is published (``inbox.settings_changed``)."""
    member_id = await world.member()
    own = world.tokens.member(member_id)
    off = await world.settings(member_id, False, own)
    assert off["enabled"] is False and off["changed_by"] == "member" and off["since"]
    assert await world.settings(member_id, False, own) == off  # idempotent

    on_paper = await world.issue(member_id)
    record = await world.recorded(document_id_for("invoice", on_paper))
    assert (record["channel"], record["printed_by"]) == ("paper", "inbox")
    requests = await eventually(
        lambda: world.records("document.print_requested"),
        until=lambda r: any(x["member_id"] == member_id for x in r),
        what="document.print_requested",
    )
    [request] = [r for r in requests if r["member_id"] == member_id]
    assert request["document_id"] == document_id_for("invoice", on_paper)
    assert request["kind"] == "invoice"
    assert request["title"].startswith("Facture")
    assert request["language"] == "fr"
    assert request["member_name"] == "Jan Peeters"
    assert request["address"]["postal_code"] == "9000"
    assert request["address_missing"] is False
    assert request["content"] == f"/v1/invoices/{on_paper}.pdf"
    assert request["content_service"] == "billing"
    listed = await world.listing(member_id, own)
    assert listed.json()["items"] == [] and listed.json()["unread"] == 0
    # not in the inbox: the member's 404; the print shop (staff) fetches its content
    content = f"/v1/documents/{request['document_id']}/content"
    assert (await world.inbox.get(content, headers=own)).status_code == 404
    printing = await world.inbox.get(content, headers=world.tokens.staff())
    assert printing.status_code == 303, printing.text
    assert printing.headers["location"].endswith(request["content"])
    # EI-2 too: e-invoicing is on, billing printed nothing
    printed_by_billing = await world.records("invoice.print_requested")
    assert not [r for r in printed_by_billing if r["member_id"] == member_id]

    assert (await world.settings(member_id, True, own))["enabled"] is True
    in_inbox = await world.issue(member_id)
    record = await world.recorded(document_id_for("invoice", in_inbox))
    assert record["channel"] == "inbox"
    items = (await world.listing(member_id, own)).json()["items"]
    assert [d["source_id"] for d in items] == [in_inbox]
    requests = await world.records("document.print_requested")
    assert [r["document_id"] for r in requests if r["member_id"] == member_id] == [
        document_id_for("invoice", on_paper)
    ]
    switches = await eventually(
        lambda: world.records("inbox.settings_changed"),
        until=lambda r: len([x for x in r if x["member_id"] == member_id]) == 2,
        what="inbox.settings_changed",
    )
    assert [(s["enabled"], s["changed_by"]) for s in switches if s["member_id"] == member_id] == [
        (False, "member"),
        (True, "member"),
    ]


async def test_ei_2_an_invoice_billing_posts_is_not_printed_again_by_the_inbox(
    world: World,
) -> None:
    """EI-2 ("geen duplicaten op papier"): a member without an account gets paper
    invoices from billing (``invoice.print_requested``); with the inbox off as well,
    inbox records the invoice as posted by billing and requests no second print."""
    member_id = await world.member(account=False)
    await world.settings(member_id, False, world.tokens.staff())
    invoice_id = await world.issue(member_id)
    record = await world.recorded(document_id_for("invoice", invoice_id))
    assert (record["channel"], record["printed_by"]) == ("paper", "billing")
    assert "_outbox" not in record or record["_outbox"] == []
    by_billing = await eventually(
        lambda: world.records("invoice.print_requested"),
        until=lambda r: any(x["invoice_id"] == invoice_id for x in r),
        what="billing's invoice.print_requested",
    )
    assert len([r for r in by_billing if r["invoice_id"] == invoice_id]) == 1
    by_inbox = await world.records("document.print_requested")
    assert not [r for r in by_inbox if r["member_id"] == member_id]


async def test_in_1_content_of_an_invoice_redirects_to_billings_pdf(world: World) -> None:
    """Issue 19 item 1: an invoice's content is billing-svc's PDF: 303 to its URL
    (``billing_public_url``), downloaded there with the same token."""
    member_id = await world.member()
    own = world.tokens.member(member_id)
    invoice_id = await world.issue(member_id)
    document_id = document_id_for("invoice", invoice_id)
    await world.recorded(document_id)
    [item] = (await world.listing(member_id, own)).json()["items"]
    assert item["content"] == f"/v1/documents/{document_id}/content"
    response = await world.inbox.get(item["content"], headers=own)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location == f"http://127.0.0.1:8002/v1/invoices/{invoice_id}.pdf"
    pdf = await world.billing.get(httpx.URL(location).path, headers=own)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


async def test_in_1_list_filter_page_mark_archive_and_download_a_letter(world: World) -> None:
    """Issue 19 item 1: unread count, filters (kind, read, archived, period), cursor
    pages; read / unread and archive / unarchive idempotent; a letter's stored PDF."""
    member_id = await world.member(account=False)
    own = world.tokens.member(member_id)
    claim_id = str(uuid.uuid4())
    for topic, event in claim_milestones(member_id, claim_id, "CL-2026-000077"):
        await world.publish(topic, event)
    invoice = invoice_issued(member_id)  # electronic: in the inbox
    await world.publish("invoice.issued", invoice)
    everything = await eventually(
        lambda: world.listing(member_id, own),
        until=lambda r: len(r.json()["items"]) == 5,
        what="four letters and an invoice",
    )
    assert everything.json()["unread"] == 5
    assert everything.json()["next_cursor"] is None

    pages: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await world.listing(member_id, own, **params)).json()
        pages += [d["document_id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [d["document_id"] for d in everything.json()["items"]]
    bad = await world.listing(member_id, own, cursor="not-a-cursor")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert [e["location"] for e in bad.json()["errors"]] == [["query", "cursor"]]

    letters = (await world.listing(member_id, own, kind="claim_offer")).json()["items"]
    assert [d["kind"] for d in letters] == ["claim_offer"]
    [invoice_doc] = (await world.listing(member_id, own, kind="invoice")).json()["items"]
    assert invoice_doc["source"] == "billing"
    created = datetime.fromisoformat(invoice_doc["created_at"]).astimezone(BRUSSELS)
    created_on = created.date().isoformat()  # the period is in Belgian days
    in_period = await world.listing(member_id, own, **{"from": created_on, "to": created_on})
    assert invoice_doc["document_id"] in [d["document_id"] for d in in_period.json()["items"]]
    before = (await world.listing(member_id, own, to="2020-01-01")).json()["items"]
    assert before == []
    widest = await world.listing(member_id, own, **{"from": "0001-01-01", "to": "9999-12-31"})
    assert len(widest.json()["items"]) == 5  # the calendar's ends: an open period

    letter = letters[0]
    path = f"/v1/documents/{letter['document_id']}"
    for _ in range(2):
        read = await world.inbox.post(f"{path}/read", headers=own)
        assert read.status_code == 200, read.text
        assert read.json()["read"] is True
    assert (await world.listing(member_id, own)).json()["unread"] == 4
    assert [
        d["document_id"] for d in (await world.listing(member_id, own, read=True)).json()["items"]
    ] == [letter["document_id"]]
    for _ in range(2):
        archived = await world.inbox.post(f"{path}/archive", headers=own)
        assert archived.json()["archived"] is True
    assert [
        d["document_id"]
        for d in (await world.listing(member_id, own, archived=True)).json()["items"]
    ] == [letter["document_id"]]
    assert len((await world.listing(member_id, own, archived=False)).json()["items"]) == 4
    assert (await world.inbox.delete(f"{path}/archive", headers=own)).json()["archived"] is False
    assert (await world.inbox.delete(f"{path}/read", headers=own)).json()["read"] is False
    assert (await world.listing(member_id, own)).json()["unread"] == 5

    content = await world.inbox.get(f"{path}/content", headers=own)
    assert content.status_code == 200, content.text
    assert content.headers["content-type"] == "application/pdf"
    assert content.content.startswith(b"%PDF-")


async def test_ac_2_a_titular_acting_for_a_dependant_and_another_member_gets_404(
    world: World,
) -> None:
    """A titular acting for a dependant (a token exchanged with ``act``) reads, marks
    and downloads the dependant's documents and switches their inbox (recorded as the
    titular); another member's document answers exactly as a missing one (404)."""
    child = await world.member(account=False)
    titular, stranger = str(uuid.uuid4()), str(uuid.uuid4())
    _, declared = claim_milestones(child, str(uuid.uuid4()), "CL-2026-000078")[0]
    await world.publish("claim.declared", declared)
    acting = world.tokens.acting(titular, child)
    [letter] = (
        await eventually(
            lambda: world.listing(child, acting),
            until=lambda r: len(r.json()["items"]) == 1,
            what="the child's letter",
        )
    ).json()["items"]
    path = f"/v1/documents/{letter['document_id']}"
    assert (await world.inbox.post(f"{path}/read", headers=acting)).status_code == 200
    assert (await world.inbox.get(f"{path}/content", headers=acting)).status_code == 200
    switched = await world.settings(child, False, acting)
    assert switched["changed_by"] == f"titular:{titular}"

    other = world.tokens.member(stranger)
    missing = f"/v1/documents/{uuid.uuid4()}"
    for method, suffix in (
        ("POST", "/read"),
        ("DELETE", "/read"),
        ("POST", "/archive"),
        ("DELETE", "/archive"),
        ("GET", "/content"),
    ):
        theirs = await world.inbox.request(method, f"{path}{suffix}", headers=other)
        nothing = await world.inbox.request(method, f"{missing}{suffix}", headers=other)
        assert theirs.status_code == nothing.status_code == 404, (method, suffix)
        assert theirs.json()["detail"] == nothing.json()["detail"]
    assert (await world.listing(child, other)).status_code == 403
    refused = await world.inbox.put(
        f"/v1/members/{child}/inbox-settings", json={"enabled": True}, headers=other
    )
    assert refused.status_code == 403
    # staff read the document but do not set the member's marks
    assert (
        await world.inbox.get(f"{path}/content", headers=world.tokens.staff())
    ).status_code == 200
    assert (await world.inbox.post(f"{path}/read", headers=world.tokens.staff())).status_code == 403
