"""policy-svc HTTP API: premiums (PC-8): staff record a formal notice for an unpaid
premium; the answer carries its admin costs and the dates the law gives it."""

from datetime import date
from typing import Literal

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, ConfigDict, Field

from policy.entrypoints.deps import Premiums

router = APIRouter(tags=["premiums"])


class PaymentNoticeIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    term_number: int = Field(ge=1, description="The term whose premium is unpaid (1: first).")
    posted_on: date = Field(description="Posting date (registered letter) or service (bailiff).")
    channel: Literal["registered_letter", "bailiff"]
    announces_termination: bool = Field(
        description="The notice announces termination if the premium stays unpaid (art. 71)."
    )


class PaymentNoticeOut(BaseModel):
    notice_id: str
    term_number: int
    posted_on: date
    channel: Literal["registered_letter", "bailiff"]
    admin_costs: str = Field(description="2.5 × the registered-letter tariff (PC-8), EUR.")
    currency: Literal["EUR"] = "EUR"
    suspended_from: date = Field(
        description="First day (0:00) without cover: 15 days counted from the day after "
        "posting/service (day 1), unless the premium is paid before."
    )
    terminates_on: date | None = Field(
        description="When announced: first day (0:00) the contract no longer runs, at least "
        "15 days from the first day of the suspension, unless paid before."
    )
    rule: Literal["PC-8"] = "PC-8"


@router.post(
    "/v1/policies/{policy_id}/payment-notices",
    status_code=201,
    response_model=PaymentNoticeOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            409: "A proposal, or the contract already ended on the posting date.",
            422: "PC-8: the term's premium is paid, or not yet due on the posting date.",
        },
    ),
)
async def post_payment_notice(
    policy_id: str, body: PaymentNoticeIn, principal: StaffPrincipal, service: Premiums
) -> PaymentNoticeOut:
    """PC-8: a formal notice for an unpaid premium. ``policy.suspended`` follows on
    ``suspended_from`` and, when announced, ``policy.terminated`` (``non_payment``) on
    ``terminates_on``, unless the premium is paid before."""
    notice = await service.post_payment_notice(
        policy_id,
        term_number=body.term_number,
        posted_on=body.posted_on,
        channel=body.channel,
        announces_termination=body.announces_termination,
    )
    return PaymentNoticeOut(
        notice_id=notice.notice_id,
        term_number=notice.term_number,
        posted_on=notice.posted_on,
        channel=notice.channel,
        admin_costs=str(notice.admin_costs),
        suspended_from=notice.suspended_from,
        terminates_on=notice.terminates_on,
    )
