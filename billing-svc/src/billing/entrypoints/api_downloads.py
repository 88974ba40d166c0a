"""billing-svc downloads (EI-1 "kunnen gedownload worden"; issue 18 item 2): an invoice
as PDF (rendered once, stored: the same bytes on every download) and as CSV, a member's
invoices as CSV (``;``-separated, ``decimal=comma`` for a spreadsheet set to Belgian
conventions). A member downloads their own (a titular acting for a dependant with the
exchanged token, the dependant's), staff any; anyone else gets 404 / 403 as for
something that does not exist."""

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from mylm_shared.auth import CurrentPrincipal, ensure_member_access
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, Field

from billing.domain.invoice_csv import DecimalMark, invoice_lines_csv, invoices_csv
from billing.domain.invoice_queries import InvoiceFilter
from billing.entrypoints.api import Status, readable
from billing.entrypoints.deps import Billing, Downloads

router = APIRouter(tags=["downloads"])

CSV = "text/csv; charset=utf-8"
DecimalQuery = Annotated[
    DecimalMark,
    Query(alias="decimal", description="`comma` writes 12,50 (Belgian spreadsheets)."),
]


def _attachment(kind: str, name: str, suffix: str) -> dict[str, str]:
    """A Content-Disposition of ASCII letters, digits, ``.``, ``_`` and ``-`` only: an id
    in a path may be anything, a header may not (and a quote would end the name)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80]
    return {"Content-Disposition": f'{kind}; filename="{safe}{suffix}"'}


def _csv(text: str, name: str) -> Response:
    return Response(
        content=text.encode("utf-8-sig"),  # the BOM: spreadsheets then read UTF-8
        media_type=CSV,
        headers=_attachment("attachment", name, ".csv"),
    )


@router.get(
    "/v1/invoices/{invoice_id}.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The invoice (EI-1, MT-1)."},
        **problem_responses(401, 404, 503),
    },
)
async def invoice_pdf(
    invoice_id: str, principal: CurrentPrincipal, service: Billing, downloads: Downloads
) -> Response:
    """The invoice as PDF in the member's language (nl/fr; de reads fr): the mutuality's
    name, address and IBAN (MT-1), the member, the lines, total, due date, structured
    reference and the EPC069-12 payment QR code. Rendered at the first download and
    stored: every download answers the same bytes."""
    invoice = readable(await service.invoice(invoice_id), principal)
    pdf = await downloads.pdf(invoice)
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers=_attachment("inline", f"invoice-{invoice.invoice_id}", ".pdf"),
    )


class PaymentOut(BaseModel):
    """How to pay an invoice: what its EPC069-12 QR code carries, readable as text."""

    beneficiary_name: str = Field(description="The mutuality (EPC element 6).")
    iban: str = Field(description="Its account, electronic form (element 7).")
    iban_printed: str = Field(description="The same in groups of four.")
    bic: str = Field(description="Element 5.")
    amount: str = Field(description="What is still due (element 8 without `EUR`).")
    currency: str = "EUR"
    structured_reference: str = Field(description="The structured communication, printed.")
    epc_payload: str = Field(description="The QR code's content (EPC069-12, LF-separated).")
    demo_account: bool = Field(description="A demo account: not for real payments.")


@router.get(
    "/v1/invoices/{invoice_id}/payment",
    response_model=PaymentOut,
    responses=problem_responses(
        401, 404, 409, 503, described={409: "Paid or cancelled: nothing to pay."}
    ),
)
async def invoice_payment(
    invoice_id: str, principal: CurrentPrincipal, service: Billing, downloads: Downloads
) -> PaymentOut:
    """rule EI-1, MT-1 (issue 20 item 2): how to pay an open or overdue invoice — what is
    still due, to the mutuality's account, with the structured communication — and the
    EPC069-12 payload the PDF's QR code is built from (``billing.domain.epc_qr``), for a
    client drawing the same code. Readable by whoever may read the invoice."""
    invoice = readable(await service.invoice(invoice_id), principal)
    found = await downloads.payment(invoice)
    return PaymentOut(
        beneficiary_name=found.payment.beneficiary_name,
        iban=found.payment.iban,
        iban_printed=found.mutuality.iban_printed,
        bic=found.payment.bic,
        amount=str(found.payment.amount),
        structured_reference=invoice.structured_reference,
        epc_payload=found.payment.payload,
        demo_account=found.mutuality.demo_payment_account,
    )


@router.get(
    "/v1/invoices/{invoice_id}.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "One row per line (`;`)."},
        **problem_responses(401, 404, 503),
    },
)
async def invoice_csv(
    invoice_id: str,
    principal: CurrentPrincipal,
    service: Billing,
    decimal: DecimalQuery = "point",
) -> Response:
    """One invoice's lines as CSV: invoice, reference, dates, status, service date,
    beneficiary, care code, description, amount."""
    invoice = readable(await service.invoice(invoice_id), principal)
    return _csv(invoice_lines_csv(invoice, decimal), f"invoice-{invoice.invoice_id}")


@router.get(
    "/v1/members/{member_id}/invoices.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "One row per invoice (`;`)."},
        **problem_responses(401, 403, 503),
    },
)
async def member_invoices_csv(
    member_id: str,
    principal: CurrentPrincipal,
    service: Billing,
    status: Status | None = None,
    issued_from: Annotated[date | None, Query(description="Issued on or after.")] = None,
    issued_to: Annotated[date | None, Query(description="Issued on or before.")] = None,
    decimal: DecimalQuery = "point",
) -> Response:
    """rule EI-1: the member's invoices as CSV, newest first; ``status=open`` for the open
    ones (overdue included: still to pay)."""
    ensure_member_access(principal, member_id)
    filters = InvoiceFilter(status=status, issued_from=issued_from, issued_to=issued_to)
    invoices = await service.all_invoices_of(member_id, filters)
    return _csv(invoices_csv(invoices, decimal), f"invoices-{member_id}")
