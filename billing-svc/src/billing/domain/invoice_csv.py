"""CSV of invoices (EI-1 "kunnen gedownload worden"; issue 18 item 2): ``;``-separated, as
spreadsheets in Belgium open them, with a decimal-comma option (``12,50``) for those set
to the Belgian locale. One invoice: a row per line; a member's invoices: a row per invoice.

Pure: answers the text; the route sends it as ``text/csv; charset=utf-8``.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Literal

from billing.domain.invoice import Invoice

DecimalMark = Literal["point", "comma"]

LINE_HEADER = (
    "invoice_id",
    "structured_reference",
    "issue_date",
    "due_date",
    "status",
    "service_date",
    "beneficiary_id",
    "care_code",
    "description",
    "amount",
)
INVOICE_HEADER = (
    "invoice_id",
    "structured_reference",
    "issue_date",
    "due_date",
    "status",
    "kind",
    "total",
    "paid",
    "outstanding",
    "currency",
)


def amount(value: Decimal, mark: DecimalMark) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if mark == "comma" else text


def _safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=, +, -, @ first) is quoted with ``'``."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def invoice_lines_csv(invoice: Invoice, mark: DecimalMark = "point") -> str:
    """One row per line of ``invoice``."""
    return _write(
        LINE_HEADER,
        (
            (
                invoice.invoice_id,
                invoice.structured_reference,
                invoice.issue_date.isoformat(),
                invoice.due_date.isoformat(),
                invoice.status,
                line.service_date.isoformat(),
                line.beneficiary(invoice.member_id),
                line.care_code or "",
                _safe(line.description),
                amount(line.amount, mark),
            )
            for line in invoice.lines
        ),
    )


def invoices_csv(invoices: Iterable[Invoice], mark: DecimalMark = "point") -> str:
    """One row per invoice."""
    return _write(
        INVOICE_HEADER,
        (
            (
                invoice.invoice_id,
                invoice.structured_reference,
                invoice.issue_date.isoformat(),
                invoice.due_date.isoformat(),
                invoice.status,
                invoice.kind,
                amount(invoice.total, mark),
                amount(invoice.paid, mark),
                amount(invoice.outstanding, mark),
                "EUR",
            )
            for invoice in invoices
        ),
    )
