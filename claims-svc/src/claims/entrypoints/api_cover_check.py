"""``POST /v1/cover-check``: the cover engine alone, for staff; nothing is stored."""

import re

from fastapi import APIRouter
from mylm_shared.auth import StaffPrincipal
from mylm_shared.problems import Problem, problem_responses

from claims.domain.declaration import ClaimInvalid
from claims.domain.engine import decide
from claims.entrypoints.mapping import to_answer, to_claim, to_contract
from claims.entrypoints.schema_cover_check import CoverCheckIn, CoverCheckOut

router = APIRouter(tags=["cover check"])

# The engine names the rule first in what it refuses to judge ("LA-10: …").
_RULE_FIRST = re.compile(r"^(?P<rule>[A-Z]{2}-\d+): (?P<detail>.+)$", re.DOTALL)


def not_judgeable(error: ValueError) -> Problem | None:
    if isinstance(error, ClaimInvalid):
        rule, detail = error.rule, error.detail
    elif found := _RULE_FIRST.match(str(error)):
        rule, detail = found["rule"], found["detail"]
    else:
        return None
    return Problem(422, detail, title="The engine cannot judge this claim", rule=rule)


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
async def cover_check(body: CoverCheckIn, principal: StaffPrincipal) -> CoverCheckOut:
    """What the cover engine decides for a claim on a contract: the outcome, every rule
    id checked, the reason in nl and fr, the ceiling and deductible (PA, AS, LA, CL).
    ``claim.cover`` chooses the schema of ``claim.facts``."""
    try:
        decision = decide(to_contract(body.policy), to_claim(body.claim))
    except ValueError as error:
        problem = not_judgeable(error)
        if problem is None:
            raise
        raise problem from None
    return to_answer(decision)
