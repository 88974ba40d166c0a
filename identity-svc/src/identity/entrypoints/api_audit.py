"""Proof of operations (LF-5) for staff, and the user's own data ("My data")."""

from typing import Any

from fastapi import APIRouter, Depends
from mylm_shared.auth import CurrentPrincipal, StaffPrincipal
from mylm_shared.problems import Problem, forbidden, problem_responses
from pydantic import BaseModel

from identity.entrypoints.deps import Context
from identity.service.audit import AuditUseCases

router = APIRouter(tags=["audit"])


def _audit(context: Context) -> AuditUseCases:
    return AuditUseCases(context)


class BrokenLink(BaseModel):
    seq: int
    at: str
    action: str
    reason: str


class AuditVerification(BaseModel):
    valid: bool
    entries: int
    first_broken: BrokenLink | None


@router.get(
    "/v1/audit/{member_id}/verify",
    responses=problem_responses(401, 403, 404, 503),
)
async def verify_trail(
    member_id: str, principal: StaffPrincipal, audit: AuditUseCases = Depends(_audit)
) -> AuditVerification:
    """Staff: recompute the member's hash-chained audit trail and name the first broken
    link (LF-5). ``member_id`` is the member's id (a staff account's trail: its account id)."""
    verification = await audit.verify(member_id)
    if verification is None:
        raise Problem(404, "No such member or trail.")
    broken = verification.first_broken
    return AuditVerification(
        valid=verification.valid,
        entries=verification.entries,
        first_broken=BrokenLink(**broken) if broken else None,
    )


@router.get("/v1/me/export", tags=["members"], responses=problem_responses(401, 403, 503))
async def export_my_data(
    principal: CurrentPrincipal, audit: AuditUseCases = Depends(_audit)
) -> dict[str, Any]:
    """Everything identity-svc holds about the caller as JSON (GDPR access, LF-6):
    directory entry, account, sessions, audit trail. No password or code hashes."""
    if principal.actor is not None:
        raise forbidden("Export your own data with your own token, not one acting for another.")
    return await audit.export(principal.member_id, principal.account_id)
