"""billing-svc HTTP API: staff issue invoices; members list their own."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from mylm_shared.auth import CurrentPrincipal, StaffPrincipal, ensure_member_access
from mylm_shared.inputs import InputModel
from mylm_shared.problems import Problem, idempotent_create_responses, problem_responses
from mylm_shared.service import use_case
from pydantic import BaseModel, ConfigDict, Field

from billing.domain.invoice import Invoice
from billing.service.handlers import BillingService, IssueInvoice

router = APIRouter(tags=["invoices"])

DecimalString = Annotated[
    str,
    Field(
        pattern=r"^\d{1,9}(\.\d{1,2})?$",
        description='Amount in EUR as a decimal string, e.g. "12.50" (no negatives).',
        examples=["12.50"],
    ),
]


Billing = Annotated[BillingService, use_case("billing", BillingService)]
# Bounded so that a huge offset is a 422, not a database error (skip is a 64-bit integer).
MAX_OFFSET = 1_000_000


class LineIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    service_date: date
    description: str = Field(min_length=1, max_length=200)
    amount: DecimalString


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


class InvoiceOut(BaseModel):
    invoice_id: str
    member_id: str
    issue_date: date
    due_date: date
    lines: list[LineOut]
    total: str
    currency: Literal["EUR"] = "EUR"
    structured_reference: str
    status: Literal["open", "paid", "cancelled"]
    paid: str = Field(description="Everything received (more than `total` when overpaid).")
    outstanding: str = Field(description="What is left to pay (0.00 once paid).")
    kind: Literal["care", "premium"] = "care"
    policy_id: str | None = Field(default=None, description="The policy of a premium invoice.")
    term_number: int | None = Field(
        default=None, description="The policy's yearly term a premium invoice is for (PC-8)."
    )

    @classmethod
    def of(cls, invoice: Invoice) -> "InvoiceOut":
        return cls(
            invoice_id=invoice.invoice_id,
            member_id=invoice.member_id,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            lines=[
                LineOut(
                    service_date=li.service_date, description=li.description, amount=str(li.amount)
                )
                for li in invoice.lines
            ],
            total=str(invoice.total),
            structured_reference=invoice.structured_reference,
            status=invoice.status,
            paid=str(invoice.paid),
            outstanding=str(invoice.outstanding),
            kind=invoice.kind,
            policy_id=invoice.policy_id,
            term_number=invoice.term_number,
        )


class InvoicePage(BaseModel):
    items: list[InvoiceOut]
    limit: int
    offset: int


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
        lines=tuple((li.service_date, li.description, Decimal(li.amount)) for li in body.lines),
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
    status: Literal["open", "paid", "cancelled"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> InvoicePage:
    """A member's invoices, newest first (EI-1); ``status=open`` for the open ones."""
    ensure_member_access(principal, member_id)
    invoices = await service.invoices_of(member_id, status=status, limit=limit, offset=offset)
    return InvoicePage(items=[InvoiceOut.of(i) for i in invoices], limit=limit, offset=offset)


@router.get(
    "/v1/invoices/{invoice_id}",
    response_model=InvoiceOut,
    responses=problem_responses(401, 404, 503),
)
async def get_invoice(invoice_id: str, principal: CurrentPrincipal, service: Billing) -> InvoiceOut:
    """One invoice, for its member or staff (404 for anyone else: nothing leaks)."""
    invoice = await service.invoice(invoice_id)
    if invoice is None or not (principal.is_staff or principal.member_id == invoice.member_id):
        raise Problem(404, "No such invoice.")
    return InvoiceOut.of(invoice)
