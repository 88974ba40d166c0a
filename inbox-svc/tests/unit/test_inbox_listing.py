"""Issue 19 item 1 (IN-1): a member's inbox listed newest first with the unread count,
filtered (kind, read, archived, period) and paged by cursor; read / unread and archive /
unarchive are idempotent; a letter's content is a PDF stored with it, an invoice's and
the policy conditions' a link to the owning service. Domain and use cases over the fake
of inbox's store."""

from datetime import UTC, datetime, timedelta

import pytest
from inbox.domain.documents import (
    ContentLink,
    DocumentQuery,
    InboxDocument,
    InvalidCursor,
    Position,
)
from inbox.settings import InboxSettings
from mylm_shared.events import CLAIM_DECLARED, INVOICE_ISSUED

from testkit.apps import invoice_issued
from testkit.claim_events import claim_milestones
from testkit.fakes.inbox import InboxFakes

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def doc(n: int, kind: str = "invoice", **fields: object) -> InboxDocument:
    return InboxDocument(
        document_id=f"d-{n:02d}",
        member_id="m-1",
        kind=kind,  # type: ignore[arg-type]
        title=f"document {n}",
        source_id=f"s-{n}",
        created_at=T0 + timedelta(hours=n),
        **fields,  # type: ignore[arg-type]
    )


async def filled(*documents: InboxDocument) -> InboxFakes:
    fakes = InboxFakes()
    for document in documents:
        await fakes.inbox.file(document)
    return fakes


def test_a_cursor_round_trips_and_a_forged_one_is_refused() -> None:
    position = Position(T0, "d-07")
    assert Position.decode(position.encode()) == position
    for forged in ("", "not-a-cursor", Position(T0, "x").encode()[:-3] + "!!", "W10"):
        with pytest.raises(InvalidCursor):
            Position.decode(forged)


async def test_in_1_cursor_pages_cover_the_inbox_once_newest_first() -> None:
    # two documents at the same instant: the id orders them, no page loses one
    same_time = InboxDocument("d-99", "m-1", "invoice", "same", "s-99", T0 + timedelta(hours=3))
    fakes = await filled(*(doc(n) for n in range(7)), same_time)
    inbox = fakes.use_cases().inbox
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        after = Position.decode(cursor) if cursor else None
        page = await inbox.documents_of("m-1", DocumentQuery(limit=3, after=after))
        seen += [d.document_id for d in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == ["d-06", "d-05", "d-04", "d-03", "d-99", "d-02", "d-01", "d-00"]
    assert page.unread == 8


async def test_in_1_filters_kind_read_archived_and_period() -> None:
    fakes = await filled(
        doc(0),
        doc(1, read=True),
        doc(2, kind="claim_closed", body="x"),
        doc(3, archived=True),
        doc(4, kind="policy_conditions", read=True, archived=True),
    )
    inbox = fakes.use_cases().inbox

    async def ids(**filters: object) -> list[str]:
        page = await inbox.documents_of("m-1", DocumentQuery(**filters))  # type: ignore[arg-type]
        return [d.document_id for d in page.items]

    assert await ids(kind="invoice") == ["d-03", "d-01", "d-00"]
    assert await ids(read=False) == ["d-03", "d-02", "d-00"]
    assert await ids(archived=True) == ["d-04", "d-03"]
    assert await ids(archived=False, read=True) == ["d-01"]
    since, until = T0 + timedelta(hours=1), T0 + timedelta(hours=3)
    assert await ids(since=since, until=until) == ["d-02", "d-01"]
    # the badge: unread and not archived, whatever the filters
    assert (await inbox.documents_of("m-1", DocumentQuery(kind="claim_closed"))).unread == 2


async def test_read_and_archive_are_idempotent_and_move_the_unread_count() -> None:
    fakes = await filled(doc(0), doc(1))
    inbox = fakes.use_cases().inbox
    for _ in range(2):
        marked = await inbox.mark("d-00", "read", True)
        assert marked is not None and marked.read
    assert (await inbox.documents_of("m-1", DocumentQuery())).unread == 1
    for _ in range(2):
        archived = await inbox.mark("d-01", "archived", True)
        assert archived is not None and archived.archived and not archived.read
    assert (await inbox.documents_of("m-1", DocumentQuery())).unread == 0
    await inbox.mark("d-01", "archived", False)
    await inbox.mark("d-00", "read", False)
    assert (await inbox.documents_of("m-1", DocumentQuery())).unread == 2
    assert await inbox.mark("no-such", "read", True) is None


async def test_a_letters_content_is_its_stored_pdf_and_an_invoices_a_billing_link() -> None:
    fakes = InboxFakes()
    inbox = fakes.use_cases().inbox
    _, declared = claim_milestones("m-1", "c-1", "CL-2026-000001")[0]
    await inbox.on_claim_declared(declared, CLAIM_DECLARED.parse(declared))
    invoice = invoice_issued("m-1")
    await inbox.on_invoice_issued(invoice, INVOICE_ISSUED.parse(invoice))
    letter, bill = sorted(
        (await inbox.documents_of("m-1", DocumentQuery())).items, key=lambda d: d.kind
    )
    assert letter.kind == "claim_acknowledgement"
    assert letter.content == ContentLink("inbox", f"/v1/documents/{letter.document_id}/content")
    pdf = await inbox.pdf_of(letter.document_id)
    assert pdf is not None and pdf.startswith(b"%PDF-")
    assert bill.content == ContentLink("billing", f"/v1/invoices/{invoice.data['invoice_id']}.pdf")
    assert inbox.url_of(bill.content) == (
        f"http://127.0.0.1:8002/v1/invoices/{invoice.data['invoice_id']}.pdf"
    )
    assert bill.source == "billing" and letter.source == "claims"


async def test_behind_a_gateway_the_link_is_the_gateways_path() -> None:
    fakes = InboxFakes(InboxSettings(profile="test", billing_public_url="/api/billing/"))
    inbox = fakes.use_cases().inbox
    link = ContentLink("billing", "/v1/invoices/i-1.pdf")
    assert inbox.url_of(link) == "/api/billing/v1/invoices/i-1.pdf"
