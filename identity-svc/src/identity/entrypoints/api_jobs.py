"""Staff run identity's jobs now: re-announce the directory (issue 18 item 3, EI-2)."""

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, Field

from identity.entrypoints.deps import UseCases

router = APIRouter(tags=["jobs"])


class ReannounceRunOut(BaseModel):
    run_id: str = Field(description="The run that will do it (the same while it is to be done).")
    generation: int = Field(description="The backfill generation of this identity-svc.")


@router.post(
    "/v1/jobs/reannounce",
    status_code=202,
    response_model=ReannounceRunOut,
    responses=problem_responses(401, 403, 503),
)
async def reannounce(principal: StaffPrincipal, use_cases: UseCases) -> ReannounceRunOut:
    """Publish the directory again (issue 18 item 3, EI-2): every member as
    `member.updated` (their current entry) and every open account as `account.created`
    (dated at its creation), in paced batches, by one replica, within
    `REANNOUNCE_CHECK_SECONDS`. For a consumer whose projection lacks the history (it
    also runs once per backfill generation at start-up). Idempotent: while a run is to
    be done, asking again answers that run; a run done again publishes the same event
    ids, which consumers deduplicate. 202: the events follow through the outbox."""
    accepted = await use_cases.reannouncement.request()
    return ReannounceRunOut(run_id=accepted.run_id, generation=accepted.generation)
