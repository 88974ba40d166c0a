"""Issue 18 items 1, 2 and 7 against the real FerretDB and Kafka: lines for a dependant
(EI-1), the PDF downloaded through the API and read back with pypdf (the same bytes on
every download), the CSVs parsed, the last invoice's lines, cancellation by a credit
note (``invoice.cancelled``) and cursor pages."""

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from billing.adapters.repository import MEMBERS
from billing.bootstrap import create_app
from billing.settings import BillingSettings
from mylm_shared.events import MEMBER_REGISTERED, CloudEvent, MemberRegisteredV1, new_event
from pypdf import PdfReader

from testkit.apps import serving
from testkit.kafka import publish_event, read_all
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration


@dataclass
class Household:
    client: httpx.AsyncClient
    tokens: TokenMint
    titular: str
    child: str
    stranger: str
    topic_prefix: str
    bootstrap: str

    async def issue(self, lines: list[dict[str, Any]], issue_date: str = "2026-11-23") -> Any:
        body = {
            "member_id": self.titular,
            "issue_date": issue_date,
            "due_date": "2026-12-23",
            "lines": lines,
        }
        answer = await self.client.post("/v1/invoices", json=body, headers=self.tokens.staff())
        assert answer.status_code == 201, answer.text
        return answer.json()


def registered(first: str, titular: str | None = None) -> CloudEvent:
    member_id = str(uuid.uuid4())
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=None,
        language="nl",
        mutuality="LM Plus",
        first_name=first,
        last_name="Peeters",
        titular_member_id=titular,
    )
    return new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)


LINES = [
    {
        "service_date": "2026-11-02",
        "description": "Consultatie",
        "amount": "12.50",
        "care_code": "101032",
    },
    {
        "service_date": "2026-11-03",
        "description": "Tandzorg",
        "amount": "30.00",
        "care_code": "AV-DENT01",
        "beneficiary_id": "CHILD",
    },
]


@pytest.fixture
async def household(platform: Endpoints, run_id: str) -> AsyncIterator[Household]:
    tokens = TokenMint()
    app = create_app(BillingSettings(**isolated(platform, run_id, "billing")))  # type: ignore[arg-type]
    titular = registered("Jan")
    child = registered("Lotte", titular.subject)
    stranger = registered("Marie")
    async with serving(app, tokens) as client:
        for event in (titular, child, stranger):
            await publish_event(
                platform.kafka_bootstrap_servers, f"{run_id}.member.registered", event
            )
        members = app.state.runtime.db[MEMBERS]

        async def known() -> int:
            return int(await members.count_documents({}))

        await eventually(known, until=lambda n: n == 3, what="billing learns the household")
        yield Household(
            client,
            tokens,
            titular.subject or "",
            child.subject or "",
            stranger.subject or "",
            f"{run_id}.",
            platform.kafka_bootstrap_servers,
        )


def lines_for(household: Household) -> list[dict[str, Any]]:
    return [
        {**line, "beneficiary_id": household.child} if "beneficiary_id" in line else line
        for line in LINES
    ]


async def test_ei_1_the_pdf_downloads_the_same_bytes_and_reads_back(household: Household) -> None:
    """EI-1, MT-1 (issue 18 item 2): the titular's invoice with a line for his child, as
    PDF: the member, the child, total, structured reference and due date on the page;
    rendered once, stored: the second download is byte for byte the first."""
    invoice = await household.issue(lines_for(household))
    assert invoice["pdf"] == f"/v1/invoices/{invoice['invoice_id']}.pdf"
    own = household.tokens.member(household.titular)
    first = await household.client.get(invoice["pdf"], headers=own)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    second = await household.client.get(invoice["pdf"], headers=household.tokens.staff())
    assert second.content == first.content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(first.content)).pages)
    for expected in ("Jan Peeters", "Lotte Peeters", "42,50", invoice["structured_reference"]):
        assert expected in text, expected
    assert "23/12/2026" in text


async def test_the_payment_of_an_open_invoice_is_the_pdfs_qr_payload_issue_20(
    household: Household,
) -> None:
    """EI-1, MT-1 (issue 20 item 2, the portal's payment QR code): an open invoice's
    payment names the mutuality's account and the structured communication; its EPC069-12
    payload is the one billing's builder makes (element by element); what is still due
    follows a partial payment; a paid invoice has nothing to pay (409); another member
    gets the 404 of an invoice that does not exist."""
    invoice = await household.issue(lines_for(household))
    path = f"/v1/invoices/{invoice['invoice_id']}/payment"
    own = household.tokens.member(household.titular)
    answer = await household.client.get(path, headers=own)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    digits = "".join(c for c in invoice["structured_reference"] if c.isdigit())
    assert body["amount"] == "42.50" and body["currency"] == "EUR"
    assert body["beneficiary_name"] == "LM Plus"
    assert body["iban_printed"].replace(" ", "") == body["iban"]
    assert body["structured_reference"] == invoice["structured_reference"]
    assert body["epc_payload"].split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        body["bic"],
        "LM Plus",
        body["iban"],
        "EUR42.50",
        "",
        digits,
    ]
    assert body["demo_account"] is True
    stranger = household.tokens.member(household.stranger)
    theirs = await household.client.get(path, headers=stranger)
    assert theirs.status_code == 404
    staff = household.tokens.staff()
    paid = {
        "structured_reference": invoice["structured_reference"],
        "value_date": "2026-11-30",
        "counterparty_iban": "BE71096123456769",
    }
    part = await household.client.post(
        "/v1/payments", json={**paid, "amount": "40.00"}, headers=staff
    )
    assert part.status_code in (200, 201), part.text
    rest = await household.client.get(path, headers=own)
    assert rest.json()["amount"] == "2.50" and "EUR2.50" in rest.json()["epc_payload"]
    done = await household.client.post(
        "/v1/payments", json={**paid, "amount": "2.50"}, headers=staff
    )
    assert done.status_code in (200, 201), done.text
    nothing = await household.client.get(path, headers=own)
    assert nothing.status_code == 409, nothing.text
    assert nothing.headers["content-type"] == "application/problem+json"


async def test_ei_1_nobody_else_downloads_and_nothing_leaks(household: Household) -> None:
    """AC-1: another member gets exactly the answer for an invoice that does not exist."""
    invoice = await household.issue(lines_for(household))
    stranger = household.tokens.member(household.stranger)
    for suffix in (".pdf", ".csv"):
        theirs = await household.client.get(
            f"/v1/invoices/{invoice['invoice_id']}{suffix}", headers=stranger
        )
        ghost = await household.client.get(f"/v1/invoices/{uuid.uuid4()}{suffix}", headers=stranger)
        assert theirs.status_code == ghost.status_code == 404
        assert theirs.json()["detail"] == ghost.json()["detail"]
        assert theirs.headers["content-type"] == "application/problem+json"
    listing = await household.client.get(
        f"/v1/members/{household.titular}/invoices.csv", headers=stranger
    )
    assert listing.status_code == 403
    # any id in a path (here not ASCII) still gives a valid Content-Disposition header
    odd = await household.client.get(
        '/v1/members/\u00f7\u00bb"x/invoices.csv', headers=household.tokens.staff()
    )
    assert odd.status_code == 200, odd.text
    assert odd.headers["content-disposition"] == 'attachment; filename="invoices-___x.csv"'


async def test_ei_1_csv_of_an_invoice_and_of_the_open_ones_with_decimal_comma(
    household: Household,
) -> None:
    """EI-1: ``;``-separated; ``decimal=comma`` for Belgian spreadsheets; ``status=open``."""
    invoice = await household.issue(lines_for(household))
    paid = await household.issue(LINES[:1], issue_date="2026-11-20")
    payment = {
        "structured_reference": paid["structured_reference"],
        "amount": "12.50",
        "value_date": "2026-11-25",
        "counterparty_iban": "BE71096123456769",
    }
    staff = household.tokens.staff()
    assert (
        await household.client.post("/v1/payments", json=payment, headers=staff)
    ).status_code == 201
    own = household.tokens.member(household.titular)

    one = await household.client.get(
        f"/v1/invoices/{invoice['invoice_id']}.csv", params={"decimal": "comma"}, headers=own
    )
    assert one.status_code == 200 and one.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(one.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["beneficiary_id"], r["care_code"], r["amount"]) for r in rows] == [
        (household.titular, "101032", "12,50"),
        (household.child, "AV-DENT01", "30,00"),
    ]

    listed = await household.client.get(
        f"/v1/members/{household.titular}/invoices.csv", params={"status": "open"}, headers=own
    )
    assert listed.status_code == 200
    rows = list(csv.DictReader(io.StringIO(listed.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["invoice_id"], r["total"], r["status"]) for r in rows] == [
        (invoice["invoice_id"], "42.50", "open")
    ]


async def test_ei_1_the_last_invoices_lines_for_the_titular_acting_for_the_child(
    household: Household,
) -> None:
    """EI-1, AC-2: the child's last invoice's lines, read by the titular acting for them."""
    body = {
        "member_id": household.child,
        "issue_date": "2026-11-23",
        "due_date": "2026-12-23",
        "lines": [{"service_date": "2026-11-02", "description": "Logopedie", "amount": "21.00"}],
    }
    staff = household.tokens.staff()
    made = (await household.client.post("/v1/invoices", json=body, headers=staff)).json()
    acting = household.tokens.acting(household.titular, household.child)
    answer = await household.client.get(
        f"/v1/members/{household.child}/invoices/last/lines", headers=acting
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["invoice_id"] == made["invoice_id"]
    assert [(li["beneficiary_id"], li["amount"]) for li in answer.json()["lines"]] == [
        (household.child, "21.00")
    ]
    pdf = await household.client.get(f"/v1/invoices/{made['invoice_id']}.pdf", headers=acting)
    assert pdf.status_code == 200
    none = await household.client.get(
        f"/v1/members/{household.stranger}/invoices/last/lines", headers=staff
    )
    assert none.status_code == 404


async def test_a_credit_note_cancels_the_invoice_and_invoice_cancelled_goes_out(
    household: Household,
) -> None:
    """Issue 18 item 1: staff only, with a reason; never a deletion; once."""
    invoice = await household.issue(lines_for(household))
    path = f"/v1/invoices/{invoice['invoice_id']}/cancellation"
    own = household.tokens.member(household.titular)
    assert (await household.client.post(path, json={"reason": "x"}, headers=own)).status_code == 403
    staff = household.tokens.staff()
    answer = await household.client.post(
        path, json={"reason": "Dubbel gefactureerd"}, headers=staff
    )
    assert answer.status_code == 201, answer.text
    note = answer.json()
    assert (note["invoice_id"], note["amount"], note["refund_due"]) == (
        invoice["invoice_id"],
        "42.50",
        "0.00",
    )
    again = await household.client.post(path, json={"reason": "nog eens"}, headers=staff)
    assert again.status_code == 422
    assert again.headers["content-type"] == "application/problem+json"
    shown = (
        await household.client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=own)
    ).json()
    assert shown["status"] == "cancelled"
    assert shown["credit_note"]["credit_note_id"] == note["credit_note_id"]

    async def cancelled() -> list[Any]:
        return await read_all(household.bootstrap, f"{household.topic_prefix}invoice.cancelled")

    records = await eventually(cancelled, what="invoice.cancelled published")
    assert len(records) == 1 and records[0].key == household.titular.encode()
    event = CloudEvent.model_validate_json(records[0].value or b"")
    assert event.data["reason"] == "Dubbel gefactureerd"


async def test_cursor_pages_and_filters_issue_18_item_7(household: Household) -> None:
    """Issue 18 item 7: ``cursor`` → ``next_cursor`` covers every invoice once, newest
    first; filters by status and period."""
    days = ["2026-11-11", "2026-11-15", "2026-11-13", "2026-11-15", "2026-11-12"]
    made = [await household.issue(LINES[:1], issue_date=day) for day in days]
    own = household.tokens.member(household.titular)
    path = f"/v1/members/{household.titular}/invoices"
    seen: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = (await household.client.get(path, params=params, headers=own)).json()
        seen.extend(page["items"])
        if page["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": page["next_cursor"]}
    assert [i["issue_date"] for i in seen] == sorted(days, reverse=True)
    assert {i["invoice_id"] for i in seen} == {i["invoice_id"] for i in made}
    period = await household.client.get(
        path, params={"issued_from": "2026-11-12", "issued_to": "2026-11-13"}, headers=own
    )
    assert [i["issue_date"] for i in period.json()["items"]] == ["2026-11-13", "2026-11-12"]
    await household.client.post(
        f"/v1/invoices/{made[0]['invoice_id']}/cancellation",
        json={"reason": "fout"},
        headers=household.tokens.staff(),
    )
    cancelled = await household.client.get(path, params={"status": "cancelled"}, headers=own)
    assert [i["invoice_id"] for i in cancelled.json()["items"]] == [made[0]["invoice_id"]]
    bad = await household.client.get(path, params={"cursor": "not-ours"}, headers=own)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
