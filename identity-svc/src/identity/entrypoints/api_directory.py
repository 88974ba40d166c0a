"""The member directory batch: the mutuality's core system pushes its members (staff)."""

from typing import Annotated, Any

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from identity.entrypoints.deps import CallerOrigin, DirectoryUseCase
from identity.service.directory import MAX_BATCH_ROWS
from identity.service.member_rows import ROW_SCHEMA

router = APIRouter(tags=["members"])

# Rows are taken as any JSON value and checked one by one in the use case, so one bad
# row is reported with its index instead of refusing the whole batch; the document shows
# what a valid row is.
Row = Annotated[Any, WithJsonSchema(ROW_SCHEMA)]


class MemberBatch(InputModel):
    model_config = ConfigDict(extra="forbid")
    members: list[Row] = Field(max_length=MAX_BATCH_ROWS)


class AppliedRow(BaseModel):
    index: int = Field(description="The row's position in `members`, from 0.")
    member_id: str


class RowProblem(BaseModel):
    field: str | None = Field(description="The row's field at fault; null: the row as a whole.")
    message: str


class RejectedRow(BaseModel):
    index: int = Field(description="The row's position in `members`, from 0.")
    errors: list[RowProblem]


class BatchResult(BaseModel):
    applied: list[AppliedRow]
    rejected: list[RejectedRow]


@router.put(
    "/v1/members:batch",
    responses=problem_responses(
        401,
        403,
        422,
        503,
        described={422: f"Not a batch, or more than {MAX_BATCH_ROWS} rows: nothing applied."},
    ),
)
async def apply_member_batch(
    body: MemberBatch, principal: StaffPrincipal, origin: CallerOrigin, directory: DirectoryUseCase
) -> BatchResult:
    """Staff (the core system): upsert up to 1,000 members. Each row is checked on its
    own (INSZ incl. the post-2000 rule and its birth date, RG-1; mutuality, MT-1;
    language; e-mail; mobile; household: a titular known before or in this batch, not
    itself a dependant). Invalid rows come back with their index and reasons, valid rows
    are applied: a new member number emits `member.registered`, a changed member
    `member.updated` with what changed; a row equal to the directory changes and emits
    nothing, so re-sending a batch is harmless. Rows are the whole entry: null clears
    `email`, `mobile` or `titular_member_number`."""
    outcome = await directory.apply_batch(body.members, origin)
    return BatchResult(
        applied=[AppliedRow(index=i, member_id=m) for i, m in sorted(outcome.applied.items())],
        rejected=[
            RejectedRow(
                index=index,
                errors=[RowProblem(field=e.field, message=e.message) for e in errors],
            )
            for index, errors in sorted(outcome.rejected.items())
        ],
    )
