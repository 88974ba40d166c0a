"""Invoice rules (EI-1, EI-5) and the structured reference on the invoice."""

from datetime import date
from decimal import Decimal

import pytest
from billing.domain.invoice import InvalidInvoice, Invoice, InvoiceLine
from billing.domain.premium import PremiumDue, premium_invoice
from billing.domain.structured_reference import is_valid, structured_reference


def line(amount: str = "10.00", day: date = date(2026, 11, 2)) -> InvoiceLine:
    return InvoiceLine(service_date=day, description="Consultatie", amount=Decimal(amount))


def invoice(*lines: InvoiceLine, due: date = date(2026, 12, 23)) -> Invoice:
    return Invoice("i-1", "m-1", date(2026, 11, 23), due, tuple(lines), "+++000/0000/00101+++")


def test_total_is_the_exact_sum_of_the_lines() -> None:
    assert invoice(line("12.50"), line("7.25"), line("0.10")).total == Decimal("19.85")


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.005", "NaN", "Infinity"])
def test_a_line_amount_must_be_positive_whole_cents(amount: str) -> None:
    with pytest.raises(InvalidInvoice):
        line(amount)


def test_an_invoice_needs_lines() -> None:
    with pytest.raises(InvalidInvoice, match="at least one line"):
        invoice()


def test_due_date_cannot_precede_issue_date() -> None:
    with pytest.raises(InvalidInvoice, match="due date"):
        invoice(line(), due=date(2026, 11, 22))


def test_service_after_issue_date_is_refused() -> None:
    with pytest.raises(InvalidInvoice, match="service date"):
        invoice(line(day=date(2026, 11, 24)))


def test_blank_description_is_refused() -> None:
    with pytest.raises(InvalidInvoice, match="description"):
        InvoiceLine(date(2026, 11, 2), "  ", Decimal("1.00"))


def test_structured_reference_has_belgian_format_and_mod97_check() -> None:
    # ten digits of our own, then their value mod 97 as two check digits
    assert structured_reference(1) == "+++000/0000/00101+++"
    assert structured_reference(1234567890) == "+++123/4567/89002+++"  # 1234567890 mod 97 = 2


def test_structured_reference_check_is_97_when_the_remainder_is_zero() -> None:
    assert structured_reference(97) == "+++000/0000/09797+++"


@pytest.mark.parametrize("sequence", [0, -1, 10**10])
def test_structured_reference_sequence_must_fit_ten_digits(sequence: int) -> None:
    with pytest.raises(ValueError):
        structured_reference(sequence)


def test_structured_reference_validation() -> None:
    assert is_valid(structured_reference(4242))
    assert not is_valid("+++000/0000/00102+++")


def test_a_premium_requested_after_its_due_date_is_dated_today_and_due_at_once_pc_8() -> None:
    """A contract signed after its start date: the first premium's invoice is not dated
    back to the start; it is issued and due on the day it is requested."""
    due = PremiumDue(
        "p-1",
        "m-1",
        1,
        date(2026, 1, 1),
        Decimal("80"),
        Decimal("7.60"),
        Decimal("2.40"),
        Decimal("90.00"),
    )
    late = premium_invoice(due, "nl", requested_on=date(2026, 11, 23))
    assert (late.issue_date, late.due_date) == (date(2026, 11, 23), date(2026, 11, 23))
    early = premium_invoice(due, "nl", requested_on=date(2025, 12, 1))
    assert (early.issue_date, early.due_date) == (date(2025, 12, 1), date(2026, 1, 1))
