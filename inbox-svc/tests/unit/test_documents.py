"""IN-1: one inbox document per invoice, titled in the member's language."""

from datetime import date
from decimal import Decimal

from inbox.domain.documents import document_id_for, invoice_title


def test_the_same_invoice_always_files_the_same_document() -> None:
    assert document_id_for("invoice", "inv-1") == document_id_for("invoice", "inv-1")
    assert document_id_for("invoice", "inv-1") != document_id_for("invoice", "inv-2")


def test_invoice_title_in_dutch() -> None:
    title = invoice_title("nl", "+++000/0000/00101+++", Decimal("19.75"), date(2026, 12, 23))
    assert title == "Factuur +++000/0000/00101+++ — €\u00a019,75, te betalen vóór 23/12/2026"


def test_invoice_title_in_french() -> None:
    title = invoice_title("fr", "+++000/0000/00101+++", Decimal("5"), date(2026, 1, 2))
    assert title == "Facture +++000/0000/00101+++ — 5,00\u00a0€, à payer avant le 02/01/2026"


def test_unknown_language_falls_back_to_dutch() -> None:
    assert invoice_title("xx", "r", Decimal("1"), date(2026, 1, 2)).startswith("Factuur r")
