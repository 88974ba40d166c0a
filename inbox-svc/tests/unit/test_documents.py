"""IN-1: one inbox document per invoice, titled in the member's language."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from inbox.domain.documents import InboxDocument, conditions_title, document_id_for, invoice_title


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


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nl", "Premie r — €\u00a0110,75, te betalen vóór 01/01/2027"),
        ("fr", "Prime r — 110,75\u00a0€, à payer avant le 01/01/2027"),
        ("de", "Prämie r — 110,75\u00a0€, zahlbar bis 01/01/2027"),
    ],
)
def test_a_premium_invoice_is_titled_as_a_premium_pc_8(language: str, title: str) -> None:
    assert invoice_title(language, "r", Decimal("110.75"), date(2027, 1, 1), premium=True) == title


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nl", "Bijzondere voorwaarden van uw polis ongevallen privéleven — start 1 januari 2026"),
        (
            "fr",
            "Conditions particulières de votre police accidents vie privée"
            " — début le 1 janvier 2026",
        ),
        ("de", "Besondere Bedingungen Ihrer Police Unfälle Privatleben — Beginn am 1. Januar 2026"),
    ],
)
def test_policy_conditions_are_titled_in_the_members_language_pc_1(
    language: str, title: str
) -> None:
    assert conditions_title(language, date(2026, 1, 1)) == title


def test_policy_conditions_and_invoices_link_to_their_pdf_issue_18_item_2() -> None:
    """IN-1; issue 18 item 2 (EI-1): an invoice's document links to billing-svc's PDF."""

    def document(kind: str) -> InboxDocument:
        return InboxDocument("d", "m", kind, "t", "p-1", datetime.now(UTC))  # type: ignore[arg-type]

    assert document("policy_conditions").download == "/v1/policies/p-1/conditions"
    assert document("invoice").download == "/v1/invoices/p-1.pdf"
