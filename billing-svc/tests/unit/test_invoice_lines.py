"""Invoice lines, status machine, credit notes and channel (issue 18 item 1; EI-1, EI-2,
EI-5)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from billing.domain.invoice_lines import (
    TRANSITIONS,
    DetailedLine,
    IllegalTransition,
    InvalidCreditNote,
    InvalidInvoice,
    InvalidLine,
    Status,
    check_lines,
    credit_note,
    is_care_code,
    may_request_print,
    total,
    transition,
)

ISSUED = date(2026, 11, 23)
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def line(
    amount: str = "10.00",
    *,
    beneficiary: str = "m-1",
    code: str | None = "101032",
    day: date = date(2026, 11, 2),
    description: str = "Consultatie huisarts",
) -> DetailedLine:
    return DetailedLine(day, beneficiary, code, description, Decimal(amount))


@pytest.mark.parametrize(
    ("amount", "valid"),
    [
        ("0.01", True),  # the smallest charge
        ("12.30", True),
        ("12.3", True),
        ("99999.99", True),
        ("0", False),  # boundary: a charge is positive; a correction is a credit note
        ("0.00", False),
        ("-0.01", False),
        ("1.005", False),  # not whole cents
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_ei1_a_line_amount_is_positive_whole_cents(amount: str, valid: bool) -> None:
    """EI-1, issue 18 item 1: amounts are euros in whole cents, never zero or negative."""
    if valid:
        assert line(amount).amount == Decimal(amount)
    else:
        with pytest.raises(InvalidLine, match="amount"):
            line(amount)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("101032", True),  # RIZIV/INAMI nomenclature: six digits
        ("000000", True),
        ("10103", False),  # five digits
        ("1010321", False),  # seven digits
        ("AV-DENT01", True),  # the mutuality's own service
        ("HOSPI.2", True),
        ("AB", True),  # shortest own code
        ("A", False),
        ("ABCDEFGHIJ", True),  # ten characters before the separator
        ("ABCDEFGHIJK", False),
        ("av-dent01", False),  # capitals only
        ("AV--DENT", False),
        ("AV-DENT-01", False),  # one separator at most
        ("1AB", False),
        ("", False),
        (" 101032", False),
    ],
)
def test_ei1_care_code_format(code: str, valid: bool) -> None:
    """EI-1, issue 18 item 1: a care code is a nomenclature number or an own service code."""
    assert is_care_code(code) is valid
    if valid:
        assert line(code=code).care_code == code
    else:
        with pytest.raises(InvalidLine, match="care code"):
            line(code=code)


def test_ei1_a_premium_line_has_no_care_code() -> None:
    """EI-1, issue 18 item 1: premium lines (PC-8 breakdown) carry no care code."""
    assert line(code=None, description="Nettopremie — termijn 1").care_code is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("beneficiary", " ", "member the care was for"),
        ("description", "  ", "description"),
        ("description", "x" * 201, "200 characters"),
    ],
)
def test_ei1_a_line_names_its_beneficiary_and_description(
    field: str, value: str, message: str
) -> None:
    """EI-1, issue 18 item 1: a line says for whom and what (200 characters still pass)."""
    assert line(description="x" * 200).description == "x" * 200
    with pytest.raises(InvalidLine, match=message):
        line(**{field: value})  # type: ignore[arg-type]


def test_ei1_a_titulars_invoice_may_carry_lines_for_dependants() -> None:
    """EI-1, issue 18 item 1: lines for the titular and a dependant; total is exact."""
    lines = check_lines(
        [line("12.50"), line("7.25", beneficiary="d-1"), line("0.10", beneficiary="d-2")],
        "m-1",
        {"d-1", "d-2"},
        ISSUED,
    )
    assert [x.beneficiary_id for x in lines] == ["m-1", "d-1", "d-2"]
    assert total(lines) == Decimal("19.85")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "at least one line"),
        ([line(beneficiary="stranger")], "dependants"),
        ([line(day=date(2026, 11, 24))], "service date"),  # day after issue
    ],
)
def test_ei1_the_lines_of_an_invoice(lines: list[DetailedLine], message: str) -> None:
    """EI-1, issue 18 item 1: no empty invoice, no stranger's care, no future service."""
    with pytest.raises(InvalidLine, match=message):
        check_lines(lines, "m-1", {"d-1"}, ISSUED)


def test_ei1_a_service_on_the_issue_date_is_invoiced() -> None:
    """EI-1, issue 18 item 1: the boundary on the other side — service day = issue day."""
    assert check_lines([line(day=ISSUED)], "m-1", (), ISSUED)[0].service_date == ISSUED


ALL: tuple[Status, ...] = ("open", "overdue", "paid", "cancelled")
ALLOWED = {
    ("open", "paid"),
    ("open", "overdue"),
    ("open", "cancelled"),
    ("overdue", "paid"),
    ("overdue", "cancelled"),
}


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_ei5_status_machine(current: Status, target: Status) -> None:
    """EI-5, issue 18 item 1: open → paid | overdue → paid | cancelled; paid and cancelled
    are final; nothing goes back to open or from overdue to overdue."""
    if (current, target) in ALLOWED:
        assert transition(current, target) == target
    else:
        with pytest.raises(IllegalTransition) as refused:
            transition(current, target)
        assert (refused.value.current, refused.value.target) == (current, target)


def test_ei5_the_table_is_the_one_the_issue_draws() -> None:
    """EI-5, issue 18 item 1: exactly the five arrows, no more."""
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@dataclass
class FakeInvoice:
    invoice_id: str = "i-1"
    member_id: str = "m-1"
    status: str = "open"
    total: Decimal = Decimal("40.00")
    paid: Decimal = Decimal("0.00")


@pytest.mark.parametrize(
    ("status", "paid", "refund"),
    [
        ("open", "0.00", "0.00"),
        ("open", "15.00", "15.00"),  # partly paid: what was paid goes back
        ("overdue", "0.00", "0.00"),  # favourable reading: an overdue one is cancelled too
        ("overdue", "39.99", "39.99"),
    ],
)
def test_ei5_a_credit_note_cancels_an_open_or_overdue_invoice(
    status: str, paid: str, refund: str
) -> None:
    """EI-5, issue 18 item 1: staff, with a reason; the full total; the paid part refunded."""
    note = credit_note(
        FakeInvoice(status=status, paid=Decimal(paid)),
        credit_note_id="cn-1",
        reason="  Dubbel gefactureerd  ",
        staff_id="s-1",
        issued_at=AT,
    )
    assert (note.invoice_id, note.member_id, note.amount) == ("i-1", "m-1", Decimal("40.00"))
    assert note.refund_due == Decimal(refund)
    assert (note.reason, note.issued_by, note.issued_at) == ("Dubbel gefactureerd", "s-1", AT)


@pytest.mark.parametrize(
    ("status", "reason", "staff", "at", "message"),
    [
        ("paid", "wrong", "s-1", AT, "refunded"),
        ("cancelled", "wrong", "s-1", AT, "cannot be cancelled"),
        ("open", "   ", "s-1", AT, "reason"),
        ("open", "x" * 501, "s-1", AT, "500"),
        ("open", "wrong", "", AT, "staff"),
        ("open", "wrong", "s-1", datetime(2026, 12, 1, 10), "time zone"),
    ],
)
def test_ei5_credit_note_refusals(
    status: str, reason: str, staff: str, at: datetime, message: str
) -> None:
    """EI-5, issue 18 item 1: never a paid or cancelled invoice; always staff and a reason."""
    with pytest.raises(InvalidCreditNote, match=message):
        credit_note(
            FakeInvoice(status=status),
            credit_note_id="cn-1",
            reason=reason,
            staff_id=staff,
            issued_at=at,
        )


def test_ei5_a_reason_of_500_characters_is_accepted() -> None:
    """EI-5, issue 18 item 1: the other side of the reason's length boundary."""
    note = credit_note(
        FakeInvoice(), credit_note_id="cn-1", reason="x" * 500, staff_id="s-1", issued_at=AT
    )
    assert len(note.reason) == 500


@pytest.mark.parametrize(
    ("channel", "requested", "expected"),
    [
        ("paper", False, True),
        ("paper", True, False),  # once
        ("electronic", False, False),  # never a paper duplicate
        ("electronic", True, False),
    ],
)
def test_ei2_only_a_paper_invoice_is_printed_once(
    channel: str, requested: bool, expected: bool
) -> None:
    """EI-2, issue 18 item 3: "LM zal geen duplicaten op papier leveren van de elektronische
    facturen"."""
    assert may_request_print(channel, requested) is expected  # type: ignore[arg-type]


def test_ei1_line_and_credit_note_errors_are_invoice_errors() -> None:
    """EI-1, issue 18 item 1: one ``except InvalidInvoice`` (422) catches them all."""
    with pytest.raises(InvalidInvoice):
        line("0")
    with pytest.raises(InvalidInvoice):
        credit_note(FakeInvoice(), credit_note_id="c", reason="", staff_id="s", issued_at=AT)
