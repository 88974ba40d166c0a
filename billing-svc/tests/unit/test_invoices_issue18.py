"""Issue 18 items 1, 2 and 7 on billing's use cases over fakes (no servers): detailed
lines for the member or a dependant (EI-1), the channel on ``invoice.issued`` (EI-2),
the status machine with overdue (EI-5), cancellation by a credit note, the PDF rendered
once (EI-1, MT-1), the CSVs, the last invoice's lines and cursor pages."""

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from billing.domain.invoice import (
    IllegalTransition,
    InvalidInvoice,
    Invoice,
    InvoiceLine,
)
from billing.domain.invoice_csv import invoice_lines_csv, invoices_csv
from billing.domain.invoice_document import InvoiceDocument, PostalAddress
from billing.domain.invoice_lines import credit_note
from billing.domain.invoice_queries import InvalidCursor, InvoiceFilter
from billing.service.handlers import BillingService, IssueInvoice, NoSuchInvoice
from billing.service.ports import MemberDetails
from mylm_shared.events import (
    INVOICE_CANCELLED,
    INVOICE_ISSUED,
    InvoiceCancelledV1,
    InvoiceIssuedV1,
)
from pypdf import PdfReader

from testkit.fakes.billing import BillingFakes

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def fakes_with_household() -> BillingFakes:
    fakes = BillingFakes()
    members = fakes.members
    await members.remember("m-1", "nl", "LM Plus", "1", details=MemberDetails("Jan", "Peeters"))
    await members.remember(
        "kid-1", "nl", "LM Plus", "1", details=MemberDetails("Lotte", "Peeters", "m-1")
    )
    await members.remember("m-2", "fr", "LM Plus", "1", details=MemberDetails("Marie", "Dubois"))
    return fakes


def issue(member_id: str = "m-1", day: int = 23, *lines: tuple[object, ...]) -> IssueInvoice:
    return IssueInvoice(
        member_id,
        date(2026, 11, day),
        date(2026, 12, 23),
        lines  # type: ignore[arg-type]
        or ((date(2026, 11, 2), "Consultatie", Decimal("12.50"), "", "101032"),),
    )


async def issued(billing: BillingService, command: IssueInvoice) -> Invoice:
    invoice, _ = await billing.issue_invoice(command, "staff-1", None)
    return invoice


# --- item 1: lines, channel, status, credit note ------------------------------------------


async def test_lines_for_a_dependant_carry_beneficiary_and_care_code_on_invoice_issued_ei_1() -> (
    None
):
    """EI-1, issue 18 item 1: a titular's invoice may carry lines of a dependant."""
    fakes = await fakes_with_household()
    billing = fakes.use_cases().billing
    command = issue(
        "m-1",
        23,
        (date(2026, 11, 2), "Consultatie", Decimal("12.50"), "", "101032"),
        (date(2026, 11, 3), "Tandzorg", Decimal("30.00"), "kid-1", "AV-DENT01"),
    )
    invoice = await issued(billing, command)
    payload = next(m.payload for m in fakes.invoices.published if m.spec == INVOICE_ISSUED)
    assert isinstance(payload, InvoiceIssuedV1)
    assert [(li.beneficiary_id, li.care_code) for li in payload.lines] == [
        ("m-1", "101032"),
        ("kid-1", "AV-DENT01"),
    ]
    stored = await billing.invoice(invoice.invoice_id)
    assert stored is not None and stored.lines[1].beneficiary_id == "kid-1"


async def test_a_line_for_someone_not_of_the_household_is_refused_ei_1() -> None:
    """EI-1: a beneficiary is the invoiced member or one of their dependants (billing's
    member projection): another member's name on a line is a 422, nothing stored."""
    fakes = await fakes_with_household()
    billing = fakes.use_cases().billing
    command = issue("m-1", 23, (date(2026, 11, 2), "Consultatie", Decimal("1.00"), "m-2", None))
    with pytest.raises(InvalidInvoice, match="dependants"):
        await issued(billing, command)
    assert fakes.invoices.published == []
    assert await billing.invoices_of("m-1", status=None, limit=10, offset=0) == []


async def test_an_invalid_care_code_is_refused_ei_1() -> None:
    with pytest.raises(InvalidInvoice, match="care code"):
        InvoiceLine(date(2026, 11, 2), "Consultatie", Decimal("1.00"), "", "bad code")


async def test_the_channel_is_decided_at_issue_and_carried_on_invoice_issued_ei_2() -> None:
    """EI-2: a member without a My LM account gets paper; the channel is on the event."""
    fakes = await fakes_with_household()
    billing = fakes.use_cases().billing
    invoice = await issued(billing, issue())
    payload = next(m.payload for m in fakes.invoices.published if m.spec == INVOICE_ISSUED)
    assert isinstance(payload, InvoiceIssuedV1)
    assert payload.channel == invoice.channel == "paper"


def an_invoice(status: str = "open") -> Invoice:
    invoice = Invoice(
        "i-1",
        "m-1",
        date(2026, 11, 23),
        date(2026, 12, 23),
        (InvoiceLine(date(2026, 11, 2), "Consultatie", Decimal("10.00")),),
        "",
    )
    invoice.issue("+++000/0000/00101+++", "electronic")
    if status == "overdue":
        invoice.mark_overdue(date(2026, 12, 24))
    return invoice


def test_an_overdue_invoice_is_settled_by_a_payment_after_a_reminder_ei_5() -> None:
    """EI-5: overdue → paid; a reminder level is requested once."""
    invoice = an_invoice("overdue")
    assert invoice.request_reminder(1, date(2027, 1, 8))
    assert not invoice.request_reminder(1, date(2027, 1, 8))
    invoice.record_payment("p-1", Decimal("10.00"), date(2027, 1, 10))
    assert invoice.status == "paid"
    with pytest.raises(IllegalTransition):
        invoice.mark_overdue(date(2027, 1, 11))


def test_a_credit_note_cancels_an_overdue_invoice_and_names_what_to_refund() -> None:
    """Issue 18 item 1: never a deletion; what was paid is the refund due."""
    invoice = an_invoice("overdue")
    invoice.record_payment("p-1", Decimal("4.00"), date(2027, 1, 2))
    note = credit_note(
        invoice, credit_note_id="CN-i-1", reason="Dubbel", staff_id="s-1", issued_at=NOW
    )
    invoice.cancel(note)
    assert (invoice.status, invoice.credit_note, invoice.outstanding) == (
        "cancelled",
        note,
        Decimal("0"),
    )
    assert note.refund_due == Decimal("4.00")


async def test_staff_cancel_by_credit_note_once_and_invoice_cancelled_follows() -> None:
    """Issue 18 item 1: ``invoice.cancelled`` with the credit note; a second cancellation
    and a paid invoice's are refused (422), an unknown invoice is NoSuchInvoice (404)."""
    fakes = await fakes_with_household()
    fakes.now = NOW
    billing = fakes.use_cases().billing
    invoice = await issued(billing, issue())
    note = await billing.cancel(invoice.invoice_id, reason="  Verkeerd lid  ", staff_id="s-1")
    assert (note.reason, note.amount, note.issued_at) == ("Verkeerd lid", Decimal("12.50"), NOW)
    specs = [m.spec for m in fakes.invoices.published]
    assert specs.count(INVOICE_ISSUED) == specs.count(INVOICE_CANCELLED) == 1
    payload = next(m.payload for m in fakes.invoices.published if m.spec == INVOICE_CANCELLED)
    assert isinstance(payload, InvoiceCancelledV1)
    assert (payload.credit_note_id, payload.refund_due) == (note.credit_note_id, Decimal("0"))
    stored = await billing.invoice(invoice.invoice_id)
    assert stored is not None and stored.status == "cancelled" and stored.credit_note == note
    with pytest.raises(InvalidInvoice, match="cancelled"):
        await billing.cancel(invoice.invoice_id, reason="again", staff_id="s-1")
    with pytest.raises(NoSuchInvoice):
        await billing.cancel("nope", reason="x", staff_id="s-1")
    paid = await issued(billing, issue("m-1", 22))
    stored_paid = await billing.invoice(paid.invoice_id)
    assert stored_paid is not None
    stored_paid.record_payment("p-1", Decimal("12.50"), date(2026, 11, 25))
    await fakes.invoices.save(stored_paid)
    with pytest.raises(InvalidInvoice, match="refunded"):
        await billing.cancel(paid.invoice_id, reason="x", staff_id="s-1")
    cancelled = [m for m in fakes.invoices.published if m.spec == INVOICE_CANCELLED]
    assert len(cancelled) == 1  # neither refusal cancelled anything


# --- item 7: cursor pages and filters ------------------------------------------------------


async def test_cursor_pages_cover_every_invoice_once_newest_first_issue_18_item_7() -> None:
    fakes = await fakes_with_household()
    billing = fakes.use_cases().billing
    for day in (1, 5, 3, 5, 2):
        await issued(billing, issue("m-1", day, (date(2026, 11, 1), "C", Decimal("1.00"))))
    seen: list[Invoice] = []
    cursor: str | None = None
    while True:
        found = await billing.invoice_page("m-1", filters=InvoiceFilter(), limit=2, cursor=cursor)
        seen.extend(found.items)
        if found.next_cursor is None:
            break
        cursor = found.next_cursor
    assert [i.issue_date.day for i in seen] == [5, 5, 3, 2, 1]
    assert len({i.invoice_id for i in seen}) == 5
    # an invoice issued meanwhile (newer) does not shift the next page
    first = await billing.invoice_page("m-1", filters=InvoiceFilter(), limit=2, cursor=None)
    await issued(billing, issue("m-1", 20, (date(2026, 11, 1), "C", Decimal("1.00"))))
    second = await billing.invoice_page(
        "m-1", filters=InvoiceFilter(), limit=2, cursor=first.next_cursor
    )
    assert [i.issue_date.day for i in second.items] == [3, 2]


async def test_filters_by_status_and_period_open_includes_overdue_issue_18_item_7() -> None:
    fakes = await fakes_with_household()
    billing = fakes.use_cases().billing
    ids = [
        (
            await issued(billing, issue("m-1", d, (date(2026, 11, 1), "C", Decimal("1.00"))))
        ).invoice_id
        for d in (1, 10, 20)
    ]
    late = await billing.invoice(ids[0])
    assert late is not None
    late.mark_overdue(date(2026, 12, 24))
    await fakes.invoices.save(late)
    await billing.cancel(ids[2], reason="x", staff_id="s-1")

    async def listed(filters: InvoiceFilter) -> list[str]:
        found = await billing.invoice_page("m-1", filters=filters, limit=50, cursor=None)
        return [i.invoice_id for i in found.items]

    assert await listed(InvoiceFilter(status="open")) == [ids[1], ids[0]]
    assert await listed(InvoiceFilter(status="overdue")) == [ids[0]]
    assert await listed(InvoiceFilter(status="cancelled")) == [ids[2]]
    assert await listed(
        InvoiceFilter(issued_from=date(2026, 11, 5), issued_to=date(2026, 11, 20))
    ) == [
        ids[2],
        ids[1],
    ]
    with pytest.raises(InvalidCursor):
        await billing.invoice_page("m-1", filters=InvoiceFilter(), limit=2, cursor="garbage!")
    with pytest.raises(InvalidCursor):
        InvoiceFilter(issued_from=date(2026, 11, 5), issued_to=date(2026, 11, 1))


# --- item 2: downloads -------------------------------------------------------------------


async def test_the_pdf_is_rendered_once_and_every_download_is_the_same_bytes_ei_1() -> None:
    """EI-1, MT-1: the member, the dependant's name on their line, total, reference and due
    date are on the page; the second download reads the stored bytes."""
    fakes = await fakes_with_household()
    use_cases = fakes.use_cases()
    command = issue(
        "m-1",
        23,
        (date(2026, 11, 2), "Consultatie", Decimal("12.50"), "", "101032"),
        (date(2026, 11, 3), "Tandzorg", Decimal("30.00"), "kid-1", "AV-DENT01"),
    )
    invoice = await issued(use_cases.billing, command)
    renders: list[object] = []
    real = use_cases.downloads.render

    def counting(document: InvoiceDocument) -> bytes:
        renders.append(document)
        return real(document)

    use_cases.downloads.render = counting
    first = await use_cases.downloads.pdf(invoice)
    second = await use_cases.downloads.pdf(invoice)
    assert first == second and len(renders) == 1
    assert first.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(first)).pages)
    for expected in ("Jan Peeters", "Lotte Peeters", "42,50", invoice.structured_reference):
        assert expected in text, expected
    assert "23/12/2026" in text or "23-12-2026" in text or "23.12.2026" in text


async def test_the_pdf_prints_the_members_name_and_address_in_the_window_ei_1() -> None:
    """EI-1 (issue 18 items 2, 3): the member's name and postal address from billing's
    projection are printed as one envelope block (the box in the member's language);
    without a known address the name alone is printed."""
    fakes = await fakes_with_household()
    asse = PostalAddress(
        street="Kerkstraat", number="12", box="3", postal_code="1730", municipality="Asse"
    )
    await fakes.members.update(
        "m-1", "nl", "LM Plus", "2", details=MemberDetails("Jan", "Peeters", None, asse)
    )
    use_cases = fakes.use_cases()
    invoice = await issued(use_cases.billing, issue("m-1"))
    document = await use_cases.downloads.document(invoice)
    assert (document.member_name, document.member_address) == (
        "Jan Peeters",
        ("Kerkstraat 12 bus 3", "1730 Asse"),
    )
    pdf = await use_cases.downloads.pdf(invoice)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    block = text[text.index("Jan Peeters") :]
    assert block.index("Kerkstraat 12 bus 3") < block.index("1730 Asse")
    other = await issued(use_cases.billing, issue("m-2"))
    assert (await use_cases.downloads.document(other)).member_address == ()


def test_a_foreign_address_adds_its_country_and_boxes_read_in_french() -> None:
    """Issue 18 item 3: "bte" for a French (or German) reader; abroad, a country line."""
    lille = PostalAddress(
        street="Rue Nationale", number="5", box="B", postal_code="59000", municipality="Lille"
    )
    lille = replace(lille, country="FR")
    assert lille.envelope_lines("de") == ("Rue Nationale 5 bte B", "59000 Lille", "FR")


def test_csv_of_one_invoice_and_of_many_semicolons_and_decimal_comma_ei_1() -> None:
    invoice = an_invoice()
    rows = list(csv.reader(io.StringIO(invoice_lines_csv(invoice, "comma")), delimiter=";"))
    assert rows[0][-1] == "amount" and rows[1][-1] == "10,00"
    assert rows[1][6] == "m-1"  # the beneficiary: the member themself
    rows = list(csv.reader(io.StringIO(invoices_csv([invoice])), delimiter=";"))
    assert dict(zip(rows[0], rows[1], strict=True))["total"] == "10.00"


def test_a_description_a_spreadsheet_would_run_is_quoted() -> None:
    line = InvoiceLine(date(2026, 11, 2), "=HYPERLINK(1)", Decimal("1.00"))
    invoice = Invoice("i", "m", date(2026, 11, 3), date(2026, 11, 4), (line,), "x")
    rows = list(csv.reader(io.StringIO(invoice_lines_csv(invoice)), delimiter=";"))
    assert rows[1][8] == "'=HYPERLINK(1)"


async def test_the_last_invoice_is_the_newest_not_cancelled_ei_1() -> None:
    fakes = await fakes_with_household()
    billing = fakes.use_cases().billing
    assert await billing.last_invoice("m-1") is None
    older = await issued(billing, issue("m-1", 10))
    newer = await issued(billing, issue("m-1", 20))
    assert (await billing.last_invoice("m-1")) == await billing.invoice(newer.invoice_id)
    await billing.cancel(newer.invoice_id, reason="x", staff_id="s-1")
    last = await billing.last_invoice("m-1")
    assert last is not None and last.invoice_id == older.invoice_id
