"""billing-svc HTTP API: staff issue invoices and cancel them by a credit note; members
list their own (by cursor, filtered by status and period) and read the last one's lines."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from mylm_shared.auth import CurrentPrincipal, Principal, StaffPrincipal, ensure_member_access
from mylm_shared.inputs import InputModel
from mylm_shared.problems import Problem, idempotent_create_responses, problem_responses
from pydantic import BaseModel, ConfigDict, Field

from billing.domain.invoice import CreditNote, Invoice, InvoiceLine
from billing.domain.invoice_queries import InvoiceFilter
from billing.entrypoints.deps import Billing
from billing.service.handlers import IssueInvoice, LineInput

router = APIRouter(tags=["invoices"])

DecimalString = Annotated[
    str,
    Field(
        pattern=r"^\d{1,9}(\.\d{1,2})?$",
        description='Amount in EUR as a decimal string, e.g. "12.50" (no negatives).',
        examples=["12.50"],
    ),
]


# Bounded so that a huge offset is a 422, not a database error (skip is a 64-bit integer).
MAX_OFFSET = 1_000_000

Status = Literal["open", "overdue", "paid", "cancelled"]
CARE_CODE = r"^([0-9]{6}|[A-Z][A-Z0-9]{1,9}([-.][A-Z0-9]{1,8})?)$"


def readable(invoice: Invoice | None, principal: Principal) -> Invoice:
    """The invoice for its member (or a titular acting for them: the exchanged token's
    ``member_id`` is the dependant's, AC-2/AC-5) and staff; 404 for anyone else, the
    answer for an invoice that does not exist (nothing leaks)."""
    if invoice is None or not (principal.is_staff or principal.member_id == invoice.member_id):
        raise Problem(404, "No such invoice.")
    return invoice


class LineIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    service_date: date
    description: str = Field(min_length=1, max_length=200)
    amount: DecimalString
    beneficiary_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="The member the care was for: the invoiced member (default) or one of "
        "their dependants (EI-1).",
    )
    care_code: str | None = Field(
        default=None,
        pattern=CARE_CODE,
        description="RIZIV/INAMI nomenclature number (`101032`) or the mutuality's own code "
        "(`AV-DENT01`).",
        examples=["101032"],
    )

    def as_input(self) -> LineInput:
        amount = Decimal(self.amount)
        if self.beneficiary_id is None and self.care_code is None:
            return (self.service_date, self.description, amount)  # fingerprint as before
        return (
            self.service_date,
            self.description,
            amount,
            self.beneficiary_id or "",
            self.care_code,
        )


class InvoiceIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    member_id: str = Field(min_length=1, max_length=64)
    issue_date: date
    due_date: date
    lines: list[LineIn] = Field(min_length=1, max_length=500)


class LineOut(BaseModel):
    service_date: date
    description: str
    amount: str
    beneficiary_id: str = Field(description="The member the care was for (EI-1).")
    care_code: str | None = None

    @classmethod
    def of(cls, line: InvoiceLine, member_id: str) -> "LineOut":
        return cls(
            service_date=line.service_date,
            description=line.description,
            amount=str(line.amount),
            beneficiary_id=line.beneficiary(member_id),
            care_code=line.care_code,
        )


class CreditNoteOut(BaseModel):
    credit_note_id: str
    invoice_id: str
    member_id: str
    amount: str = Field(description="The invoice's total, cancelled.")
    refund_due: str = Field(description="What the member had already paid on it (to refund).")
    currency: Literal["EUR"] = "EUR"
    reason: str
    issued_by: str
    issued_at: datetime

    @classmethod
    def of(cls, note: CreditNote) -> "CreditNoteOut":
        return cls(
            credit_note_id=note.credit_note_id,
            invoice_id=note.invoice_id,
            member_id=note.member_id,
            amount=str(note.amount),
            refund_due=str(note.refund_due),
            reason=note.reason,
            issued_by=note.issued_by,
            issued_at=note.issued_at,
        )


class InvoiceOut(BaseModel):
    invoice_id: str
    member_id: str
    issue_date: date
    due_date: date
    lines: list[LineOut]
    total: str
    currency: Literal["EUR"] = "EUR"
    structured_reference: str
    status: Status = Field(description="open → paid | overdue → paid | cancelled (EI-5).")
    paid: str = Field(description="Everything received (more than `total` when overpaid).")
    outstanding: str = Field(description="What is left to pay (0.00 once paid).")
    kind: Literal["care", "premium"] = "care"
    policy_id: str | None = Field(default=None, description="The policy of a premium invoice.")
    term_number: int | None = Field(
        default=None, description="The policy's yearly term a premium invoice is for (PC-8)."
    )
    channel: Literal["electronic", "paper"] = Field(
        default="electronic", description="Decided at issue (EI-2, EI-3)."
    )
    pdf: str = Field(description="Path of the invoice's PDF (EI-1).")
    credit_note: CreditNoteOut | None = Field(
        default=None, description="The credit note that cancelled it."
    )

    @classmethod
    def of(cls, invoice: Invoice) -> "InvoiceOut":
        return cls(
            invoice_id=invoice.invoice_id,
            member_id=invoice.member_id,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            lines=[LineOut.of(li, invoice.member_id) for li in invoice.lines],
            total=str(invoice.total),
            structured_reference=invoice.structured_reference,
            status=invoice.status,
            paid=str(invoice.paid),
            outstanding=str(invoice.outstanding),
            kind=invoice.kind,
            policy_id=invoice.policy_id,
            term_number=invoice.term_number,
            channel=invoice.channel,
            pdf=f"/v1/invoices/{invoice.invoice_id}.pdf",
            credit_note=CreditNoteOut.of(invoice.credit_note) if invoice.credit_note else None,
        )


class InvoicePage(BaseModel):
    items: list[InvoiceOut]
    limit: int
    offset: int
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last."
    )


class LastLines(BaseModel):
    invoice_id: str
    issue_date: date
    lines: list[LineOut]


class CancellationIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


@router.post(
    "/v1/invoices",
    status_code=201,
    response_model=InvoiceOut,
    responses=idempotent_create_responses(
        "made the invoice",
        conflict="The Idempotency-Key was used with another body.",
        invalid="Invalid invoice or unknown member (nothing is stored).",
    ),
)
async def issue_invoice(
    body: InvoiceIn,
    response: Response,
    principal: StaffPrincipal,
    service: Billing,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> InvoiceOut:
    """Staff issue an invoice to a member; ``invoice.issued`` follows through the outbox.

    With an ``Idempotency-Key``: the same key and body return the same invoice (no second
    event); the same key with another body is a 409.
    """
    command = IssueInvoice(
        member_id=body.member_id,
        issue_date=body.issue_date,
        due_date=body.due_date,
        lines=tuple(li.as_input() for li in body.lines),
    )
    stored, created = await service.issue_invoice(command, principal.subject, idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return InvoiceOut.of(stored)


@router.get(
    "/v1/members/{member_id}/invoices",
    response_model=InvoicePage,
    responses=problem_responses(401, 403, 503),
)
async def list_invoices(
    member_id: str,
    principal: CurrentPrincipal,
    service: Billing,
    status: Status | None = None,
    issued_from: Annotated[date | None, Query(description="Issued on or after.")] = None,
    issued_to: Annotated[date | None, Query(description="Issued on or before.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    cursor: Annotated[
        str | None, Query(max_length=300, description="`next_cursor` of the previous page.")
    ] = None,
) -> InvoicePage:
    """A member's invoices, newest first (EI-1); ``status=open`` for what is still to pay
    (open and overdue), ``issued_from``/``issued_to`` for a period. Pages by ``cursor``
    (give the previous page's ``next_cursor``; stable while invoices are issued) or by
    ``offset`` (issue 18 item 7)."""
    ensure_member_access(principal, member_id)
    filters = InvoiceFilter(status=status, issued_from=issued_from, issued_to=issued_to)
    found = await service.invoice_page(
        member_id, filters=filters, limit=limit, cursor=cursor, offset=offset
    )
    return InvoicePage(
        items=[InvoiceOut.of(i) for i in found.items],
        limit=limit,
        offset=offset,
        next_cursor=found.next_cursor,
    )


@router.get(
    "/v1/members/{member_id}/invoices/last/lines",
    response_model=LastLines,
    responses=problem_responses(401, 403, 404, 503),
)
async def last_invoice_lines(
    member_id: str, principal: CurrentPrincipal, service: Billing
) -> LastLines:
    """rule EI-1: the lines of the member's last invoice (the newest not cancelled): date,
    beneficiary, care code, description, amount. 404 when the member has none."""
    ensure_member_access(principal, member_id)
    invoice = await service.last_invoice(member_id)
    if invoice is None:
        raise Problem(404, "No invoice yet.")
    return LastLines(
        invoice_id=invoice.invoice_id,
        issue_date=invoice.issue_date,
        lines=[LineOut.of(line, invoice.member_id) for line in invoice.lines],
    )


@router.post(
    "/v1/invoices/{invoice_id}/cancellation",
    status_code=201,
    response_model=CreditNoteOut,
    responses=problem_responses(
        401,
        403,
        404,
        422,
        503,
        described={422: "No reason, or the invoice is paid (refunded instead) or cancelled."},
    ),
)
async def cancel_invoice(
    invoice_id: str, body: CancellationIn, principal: StaffPrincipal, service: Billing
) -> CreditNoteOut:
    """Staff cancel an open or overdue invoice by a credit note with a reason (never a
    deletion: the invoice stays, ``cancelled``); ``invoice.cancelled`` follows. A paid or
    cancelled invoice answers 422 with the reason."""
    note = await service.cancel(invoice_id, reason=body.reason, staff_id=principal.subject)
    return CreditNoteOut.of(note)


@router.get(
    "/v1/invoices/{invoice_id}",
    response_model=InvoiceOut,
    responses=problem_responses(401, 404, 503),
)
async def get_invoice(invoice_id: str, principal: CurrentPrincipal, service: Billing) -> InvoiceOut:
    """One invoice, for its member or staff (404 for anyone else: nothing leaks)."""
    return InvoiceOut.of(readable(await service.invoice(invoice_id), principal))
