"""Proof of operations (LF-5) for staff, and the user's own data ("My data")."""

from typing import Any, Literal

from fastapi import APIRouter
from mylm_shared.auth import AccountHolder, StaffPrincipal
from mylm_shared.problems import Problem, forbidden, problem_responses
from pydantic import BaseModel

from identity.entrypoints.deps import AuditUseCase

router = APIRouter(tags=["audit"])


class AuditFinding(BaseModel):
    """One way the stored trail differs from what its HMACs and checkpoint vouch for."""

    kind: Literal[
        "rewritten", "deleted", "truncated", "emptied", "unknown_key", "checkpoint_forged"
    ]
    seq: int | None
    detail: str


class BrokenLink(BaseModel):
    seq: int | None
    kind: str
    reason: str


class AuditVerification(BaseModel):
    valid: bool
    entries: int
    # The sequence number the latest authentic checkpoint (kept in Kafka) vouches for;
    # None: no checkpoint yet (the entries are protected by their HMAC only).
    checkpoint_seq: int | None
    findings: list[AuditFinding]
    first_broken: BrokenLink | None


@router.get(
    "/v1/audit/{member_id}/verify",
    responses=problem_responses(401, 403, 404, 503),
)
async def verify_trail(
    member_id: str, principal: StaffPrincipal, audit: AuditUseCase
) -> AuditVerification:
    """Staff: check the member's audit trail (LF-5) against its HMACs and its latest
    checkpoint, naming every finding: an entry ``rewritten``, entries ``deleted`` (a
    gap), the tail ``truncated`` or the trail ``emptied`` (shorter than the checkpoint),
    an entry under an ``unknown_key``, a ``checkpoint_forged``. ``member_id`` is the
    member's id (a staff account's trail: its account id)."""
    verification = await audit.verify(member_id)
    if verification is None:
        raise Problem(404, "No such member or trail.")
    broken = verification.first_broken
    return AuditVerification(
        valid=verification.valid,
        entries=verification.entries,
        checkpoint_seq=verification.checkpoint_seq,
        findings=[
            AuditFinding(kind=f.kind, seq=f.seq, detail=f.detail) for f in verification.findings
        ],
        first_broken=BrokenLink(**broken) if broken else None,
    )


@router.get("/v1/me/export", tags=["members"], responses=problem_responses(401, 403, 503))
async def export_my_data(principal: AccountHolder, audit: AuditUseCase) -> dict[str, Any]:
    """Everything identity-svc holds about the caller as JSON (GDPR access, LF-6):
    directory entry, account, sessions, audit trail. No password or code hashes."""
    if principal.actor is not None:
        raise forbidden("Export your own data with your own token, not one acting for another.")
    return await audit.export(principal.member_id, principal.account_id)
