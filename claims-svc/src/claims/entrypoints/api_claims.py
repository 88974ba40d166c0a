"""Claims: a declaration with the engine's decision (CL-1, CL-2), reads for the claimant
(or a titular acting for them with the exchanged token) and staff, evidence files,
documents requests and staff's decision (following or overriding the engine)."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Response, UploadFile
from mylm_shared.auth import CurrentPrincipal, Principal, StaffPrincipal, ensure_member_access
from mylm_shared.inputs import clean_file_name
from mylm_shared.problems import (
    Problem,
    idempotent_create_responses,
    problem_responses,
    route_problems,
)

from claims.domain.claim import Claim
from claims.entrypoints.deps import Claims
from claims.entrypoints.mapping import facts_json, to_facts
from claims.entrypoints.problems import JUDGING, NO_CLAIM
from claims.entrypoints.schema_claims import (
    ClaimOut,
    ClaimPage,
    DecisionIn,
    DeclarationIn,
    DocumentOut,
    DocumentsRequestIn,
)
from claims.service.handlers import ClaimsService, Declare

router = APIRouter(tags=["claims"])

MAX_OFFSET = 100_000


def _visible(principal: Principal, claim: Claim | None) -> Claim:
    """AC-1: the claimant (or a titular with the token exchanged for them) and staff;
    404 for anyone else, so nothing leaks."""
    if claim is None or not (principal.is_staff or principal.member_id == claim.member_id):
        raise Problem(404, NO_CLAIM)
    return claim


async def visible_claim(service: ClaimsService, principal: Principal, claim_id: str) -> Claim:
    """The claim if ``principal`` may see it (AC-1); 404 otherwise."""
    return _visible(principal, await service.claim(claim_id))


def acted_by(principal: Principal) -> str | None:
    """Issue 15 item 7: the titular acting for the dossier's member with an exchanged
    token (RFC 8693 ``act``), recorded beside the dossier; None for one's own token."""
    if principal.actor is None:
        return None
    return principal.actor.member_id or principal.actor.account_id


@router.post(
    "/v1/claims",
    status_code=201,
    response_model=ClaimOut,
    responses=idempotent_create_responses(
        "declared the claim",
        conflict="The Idempotency-Key was used with another body.",
        invalid="Unknown facts (``errors``), no such contract of the claimant on the event "
        "date (the same answer for another member's contract), or facts the engine cannot "
        "judge (``rule``, e.g. CL-1: an event after the declaration).",
    ),
)
@route_problems(JUDGING)
async def declare(
    body: DeclarationIn,
    response: Response,
    principal: CurrentPrincipal,
    service: Claims,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> ClaimOut:
    """CL-1: the claimant, a titular acting for a dependant (exchanged token) or staff
    declare a claim; the engine decides at once (``decision``: outcome, every rule, the
    reason in nl and fr); a late declaration is flagged (CL-2). ``claim.declared`` goes
    out with the next deadline. The same ``Idempotency-Key`` and body return the same
    claim; another body: 409. The contract must be the claimant's on the event date:
    they are its policyholder or an insured person then (issue 15 item 3); any other
    contract is answered exactly like an unknown one (422), and nothing is stored. A
    titular acting for a dependant is recorded beside the dossier (``acted_by``)."""
    ensure_member_access(principal, body.member_id)
    command = Declare(
        member_id=body.member_id,
        policy_id=body.policy_id,
        cover=body.cover,
        event_date=body.event_date,
        facts=to_facts(body.cover, body.facts),
        facts_json=facts_json(body.facts),
    )
    claim, created = await service.declare(
        command, principal.account_id, idempotency_key, acted_by(principal)
    )
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return ClaimOut.of(claim)


@router.get(
    "/v1/members/{member_id}/claims",
    response_model=ClaimPage,
    responses=problem_responses(401, 403, 503),
)
async def list_claims(
    member_id: str,
    principal: CurrentPrincipal,
    service: Claims,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ClaimPage:
    """A member's claims as claimant, newest declaration first (AC-1: 403 otherwise)."""
    ensure_member_access(principal, member_id)
    found = await service.claims_of(member_id, limit=limit, offset=offset)
    return ClaimPage(items=[ClaimOut.of(c) for c in found], limit=limit, offset=offset)


@router.get(
    "/v1/claims/{claim_id}",
    response_model=ClaimOut,
    responses=problem_responses(401, 404, 503),
)
async def get_claim(claim_id: str, principal: CurrentPrincipal, service: Claims) -> ClaimOut:
    """One claim: the engine's decision, staff's, deadlines, history, documents."""
    return ClaimOut.of(await visible_claim(service, principal, claim_id))


@router.post(
    "/v1/claims/{claim_id}/documents",
    status_code=201,
    response_model=DocumentOut,
    responses=problem_responses(
        401,
        404,
        409,
        413,
        415,
        503,
        described={
            409: "The claim is decided or closed.",
            413: "Larger than the limit (``MAX_DOCUMENT_BYTES``).",
            415: "Not a PDF, JPEG or PNG by its content.",
        },
    ),
)
async def upload_document(
    claim_id: str, file: UploadFile, principal: CurrentPrincipal, service: Claims
) -> DocumentOut:
    """Evidence for an open claim (multipart ``file``): PDF, JPEG or PNG recognised by
    content. An answer to a documents request puts the claim under assessment."""
    await visible_claim(service, principal, claim_id)
    content = await file.read(service.max_file_bytes + 1)
    name = clean_file_name(file.filename)  # issue 15 item 5: nothing the store cannot hold
    document = await service.add_document(
        claim_id, name, content, principal.account_id, acted_by(principal)
    )
    return DocumentOut(
        document_id=document.document_id,
        file_name=document.file_name,
        media_type=document.media_type,
        size=document.size,
        sha256=document.sha256,
        received_at=document.at,
        href=f"/v1/claims/{claim_id}/documents/{document.document_id}",
    )


@router.get(
    "/v1/claims/{claim_id}/documents/{document_id}",
    response_class=Response,
    responses={
        200: {"content": {t: {} for t in ("application/pdf", "image/jpeg", "image/png")}},
        **problem_responses(401, 404, 503),
    },
)
async def download_document(
    claim_id: str, document_id: str, principal: CurrentPrincipal, service: Claims
) -> Response:
    """The file as uploaded."""
    await visible_claim(service, principal, claim_id)
    found = await service.file(claim_id, document_id)
    if found is None:
        raise Problem(404, "No such document.")
    return Response(
        found.content,
        media_type=found.media_type,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.file_name)}",
        },
    )


@router.post(
    "/v1/claims/{claim_id}/documents-request",
    response_model=ClaimOut,
    responses=problem_responses(
        401, 403, 404, 409, 503, described={403: "Staff only.", 409: "Decided or closed."}
    ),
)
async def request_documents(
    claim_id: str, body: DocumentsRequestIn, principal: StaffPrincipal, service: Claims
) -> ClaimOut:
    """Staff ask the claimant for documents (CL-1): ``claim.documents_requested``."""
    claim = await service.request_documents(
        claim_id, tuple(body.documents), body.respond_by, principal.subject
    )
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/decision",
    response_model=ClaimOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            403: "Staff only.",
            409: "Decided or closed already.",
            422: "An override of the engine without a reason.",
        },
    ),
)
async def decide(
    claim_id: str, body: DecisionIn, principal: StaffPrincipal, service: Claims
) -> ClaimOut:
    """Staff follow the engine or override it (with a reason): ``claim.accepted`` or
    ``claim.rejected``, ``overridden`` when staff decided otherwise."""
    claim = await service.decide(claim_id, body.outcome, body.reason, principal.subject)
    return ClaimOut.of(claim)
