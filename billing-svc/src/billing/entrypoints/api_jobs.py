"""Staff run billing's daily jobs now (issue 18 item 4): the dunning job (EI-5)."""

from datetime import date

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.kernel.periods import belgian_today
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, Field

from billing.entrypoints.deps import UseCases

router = APIRouter(tags=["jobs"])


class DunningRunOut(BaseModel):
    today: date = Field(description="The Belgian date the run acted on.")
    marked_overdue: int = Field(description="Invoices marked overdue by this run.")
    reminders: int = Field(description="Reminders requested by this run.")


@router.post(
    "/v1/jobs/dunning",
    status_code=202,
    response_model=DunningRunOut,
    responses=problem_responses(401, 403, 503),
)
async def run_dunning(principal: StaffPrincipal, use_cases: UseCases) -> DunningRunOut:
    """Run the daily dunning job now (EI-5; it also runs at start-up and daily at
    ``DUNNING_DAILY_AT``): unpaid care invoices overdue the day after their due date,
    reminders 1 and 2 at +15 and +30 days (settings), each once; premium invoices are
    left to policy-svc (PC-8). Idempotent: a second run the same day changes nothing
    more (both counts 0). 202: the events follow through the outbox."""
    run = await use_cases.dunning.run(belgian_today())
    return DunningRunOut(
        today=run.today, marked_overdue=run.marked_overdue, reminders=run.reminders
    )
