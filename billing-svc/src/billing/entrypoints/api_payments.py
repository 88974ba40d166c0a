"""billing-svc HTTP API: staff (or a bank-statement import) record payments received;
staff work through the payments nobody could place or that were more than was due."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from mylm_shared.auth import StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import idempotent_create_responses, problem_responses, route_problems
from pydantic import BaseModel, ConfigDict, Field

from billing.domain.payment import RecordedPayment
from billing.entrypoints.api import MAX_OFFSET, DecimalString
from billing.entrypoints.deps import Payments
from billing.entrypoints.problems import PAYMENTS
from billing.service.payments import ReceivePayment

router = APIRouter(tags=["payments"])

Outcome = Literal["settled", "partial", "unmatched", "overpaid"]


class PaymentIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    structured_reference: str = Field(
        min_length=1,
        max_length=40,
        description="OGM/VCS, `+++123/4567/89002+++` or its 12 digits.",
        examples=["+++123/4567/89002+++"],
    )
    amount: DecimalString
    value_date: date
    counterparty_iban: str = Field(min_length=1, max_length=50, examples=["BE71096123456769"])


class PaymentReceived(BaseModel):
    payment_id: str
    outcome: Outcome
    invoice_id: str | None


class WorklistItem(BaseModel):
    payment_id: str
    outcome: Outcome
    invoice_id: str | None
    structured_reference: str
    amount: str
    excess: str = Field(description="What could not be placed on an invoice (to refund).")
    currency: Literal["EUR"] = "EUR"
    value_date: date
    counterparty_iban: str
    recorded_at: datetime

    @classmethod
    def of(cls, record: RecordedPayment) -> "WorklistItem":
        payment = record.payment
        return cls(
            payment_id=payment.payment_id,
            outcome=record.outcome,
            invoice_id=record.invoice_id,
            structured_reference=payment.structured_reference,
            amount=str(payment.amount),
            excess=str(record.excess),
            value_date=payment.value_date,
            counterparty_iban=payment.counterparty_iban,
            recorded_at=record.recorded_at,
        )


class WorklistPage(BaseModel):
    items: list[WorklistItem]
    limit: int
    offset: int


@router.post(
    "/v1/payments",
    status_code=201,
    response_model=PaymentReceived,
    responses=idempotent_create_responses(
        "recorded it",
        conflict="The Idempotency-Key was used with another payment.",
        invalid="Invalid structured reference, amount or IBAN (nothing is stored).",
    ),
)
@route_problems(PAYMENTS)
async def receive_payment(
    body: PaymentIn,
    response: Response,
    principal: StaffPrincipal,
    service: Payments,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="The bank's transaction id: one payment per key."),
    ] = None,
) -> PaymentReceived:
    """A payment received, matched to an invoice by its structured reference: `settled`
    (the invoice is paid, `invoice.paid` follows), `partial` (the rest stays open),
    `overpaid` (paid, the excess recorded) or `unmatched` (no such invoice); the last two
    land in the worklist. Send the bank's transaction id as `Idempotency-Key`: a replay
    answers the same and counts nothing twice; without a key every request is a new payment.
    """
    command = ReceivePayment(
        structured_reference=body.structured_reference,
        amount=Decimal(body.amount),
        value_date=body.value_date,
        counterparty_iban=body.counterparty_iban,
    )
    record, created = await service.receive(command, idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return PaymentReceived(
        payment_id=record.payment.payment_id, outcome=record.outcome, invoice_id=record.invoice_id
    )


@router.get(
    "/v1/payments/worklist",
    response_model=WorklistPage,
    responses=problem_responses(401, 403, 503),
)
async def payment_worklist(
    principal: StaffPrincipal,
    service: Payments,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> WorklistPage:
    """Unmatched and overpaid payments, newest first: to place or refund."""
    items = await service.worklist(limit=limit, offset=offset)
    return WorklistPage(items=[WorklistItem.of(r) for r in items], limit=limit, offset=offset)
