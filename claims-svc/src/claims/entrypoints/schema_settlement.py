"""The bodies and answers of offers, acceptance, payouts, consolidation, closing and the
staff worklist."""

from typing import Literal

from mylm_shared.inputs import InputModel
from pydantic import BaseModel, ConfigDict, Field

from claims.domain.claim import Status
from claims.domain.offers import OfferKind
from claims.entrypoints.schema_claims import ClaimOut, DeadlineOut, PayoutOut
from claims.entrypoints.schema_types import Amount, Day, Percent

_IN = ConfigDict(extra="forbid", frozen=True)


class OfferIn(InputModel):
    model_config = _IN
    kind: OfferKind = Field(
        description="PA-8: ``advance`` and ``provisional`` (accident only), ``final``."
    )
    amount: Amount = Field(description="Within the decision's ceiling (PA-5, LA-11, AS-2..5).")
    respond_by: Day | None = Field(None, description="The last day to accept, if any.")


class AcceptIn(InputModel):
    model_config = _IN
    iban: str = Field(
        min_length=15,
        max_length=42,
        description="The member's account for the payout: an IBAN in the SEPA area "
        "(spaces allowed), checked by python-stdnum.",
        examples=["BE71 0961 2345 6769"],
    )


class PayoutAccountIn(AcceptIn):
    """Issue 15 item 7: another account for a payout not yet paid (a fresh login)."""


class AcceptanceOut(BaseModel):
    claim: ClaimOut
    payout: PayoutOut = Field(description="The one payout instruction of this offer.")


class PaidIn(InputModel):
    model_config = _IN
    paid_on: Day = Field(description="The day the bank executed the transfer (not later).")


class ConsolidationIn(InputModel):
    model_config = _IN
    report_received_on: Day = Field(description="PA-8: the day the report was received.")
    expected_pct: Percent | None = Field(None, description="The disability degree expected.")


class MedicalAssessmentIn(InputModel):
    model_config = _IN
    assessed_on: Day = Field(description="The day of the consulting doctor's report.")
    expected_pct: Percent = Field(
        description=(
            "PA-8: the average degree of permanent disability the doctor expects while the "
            "injuries are not consolidated; above 50 a provisional offer is due 2 years "
            "after the accident."
        )
    )


class CloseIn(InputModel):
    model_config = _IN
    reason: Literal["rejected"] = Field(
        description="Staff close a rejected claim (a paid final offer closes by itself)."
    )


class WorkItemOut(BaseModel):
    claim_id: str
    claim_number: str
    member_id: str
    cover: str
    status: Status
    next_deadline: DeadlineOut
    overdue: bool = Field(description="The deadline's last day has passed.")


class WorklistOut(BaseModel):
    items: list[WorkItemOut]
    limit: int
    offset: int
