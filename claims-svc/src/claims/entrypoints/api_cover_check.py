"""``POST /v1/cover-check``: the cover engine alone, for staff; nothing is stored."""

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.problems import problem_responses, route_problems

from claims.domain.engine import decide
from claims.entrypoints.mapping import to_answer, to_claim, to_contract
from claims.entrypoints.problems import JUDGING
from claims.entrypoints.schema_cover_check import CoverCheckIn, CoverCheckOut

router = APIRouter(tags=["cover check"])


@router.post(
    "/v1/cover-check",
    response_model=CoverCheckOut,
    responses=problem_responses(
        401,
        403,
        422,
        described={
            403: "Staff only.",
            422: "Unknown facts or facts of another cover (``errors`` names them), or facts "
            "the engine cannot judge (``rule`` names the rule, e.g. CL-1, LA-10).",
        },
    ),
)
@route_problems(JUDGING)
async def cover_check(body: CoverCheckIn, principal: StaffPrincipal) -> CoverCheckOut:
    """What the cover engine decides for a claim on a contract: the outcome, every rule
    id checked, the reason in nl and fr, the ceiling and deductible (PA, AS, LA, CL).
    ``claim.cover`` chooses the schema of ``claim.facts``."""
    return to_answer(decide(to_contract(body.policy), to_claim(body.claim)))
