"""Settling a claim: staff offers (PA-8; within PA-5/LA-11 ceilings and the insurance
year's maximum, LA-6/LA-8/LA-11), the member's acceptance with their IBAN (one payout
instruction, idempotent), payouts recorded paid by staff (the bank executes the transfer),
the consolidation report (PA-8), closing and withdrawing, and the staff worklist."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from mylm_shared.auth import CurrentPrincipal, StaffPrincipal
from mylm_shared.problems import Problem, problem_responses, route_problems

from claims.domain.claim import Claim
from claims.entrypoints.api_claims import acted_by, visible_claim
from claims.entrypoints.deps import Claims, Settlement
from claims.entrypoints.problems import FRESH_LOGIN_TYPE, SETTLEMENT
from claims.entrypoints.schema_claims import ClaimOut, DeadlineOut, PayoutOut
from claims.entrypoints.schema_settlement import (
    AcceptanceOut,
    AcceptIn,
    CloseIn,
    ConsolidationIn,
    MedicalAssessmentIn,
    OfferIn,
    PaidIn,
    PayoutAccountIn,
    WorkItemOut,
    WorklistOut,
)

router = APIRouter(tags=["settlement"])

MAX_OFFSET = 100_000


def _claimant(principal: CurrentPrincipal, claim: Claim) -> None:
    """The claimant (or a titular with the token exchanged for them) accepts; not staff."""
    if principal.is_staff or principal.member_id != claim.member_id:
        raise Problem(403, "Only the claimant accepts an offer or withdraws a claim.")


@router.post(
    "/v1/claims/{claim_id}/offers",
    status_code=201,
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
            409: "The claim is not accepted, or an offer of this kind was accepted.",
            422: "Above the ceiling or the insurance year's maximum (``rule``: PA-5, "
            "LA-6, LA-8, LA-11), or a kind the cover has not (PA-8).",
        },
    ),
)
@route_problems(SETTLEMENT)
async def make_offer(
    claim_id: str, body: OfferIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """Staff offer an amount on an accepted claim: ``claim.offer_made``. A new offer of a
    kind replaces an open one of that kind (``superseded``)."""
    claim = await service.make_offer(
        claim_id, body.kind, body.amount, body.respond_by, principal.subject
    )
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/offers/{offer_id}/accept",
    response_model=AcceptanceOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            401: "No valid token, or (``type`` "
            f"``{FRESH_LOGIN_TYPE}``) an account other than the claim's payout account "
            "so far with a login older than ``FRESH_LOGIN_SECONDS``: log in again.",
            403: "Only the claimant (or a titular acting for them).",
            409: "Superseded, another offer of this kind accepted, or accepted before "
            "with another IBAN.",
            422: "Not a valid IBAN in the SEPA area.",
        },
    ),
)
@route_problems(SETTLEMENT)
async def accept_offer(
    claim_id: str,
    offer_id: str,
    body: AcceptIn,
    response: Response,
    principal: CurrentPrincipal,
    claims: Claims,
    service: Settlement,
) -> AcceptanceOut:
    """The member accepts with their IBAN: ``claim.offer_accepted`` with ``pay_by`` (PA-8:
    1 month, LA-6: 30 days) and one payout instruction. Accepting again with the same IBAN
    answers the same (``Idempotent-Replayed: true``) and records nothing. An IBAN other
    than the claim's payout account so far (the first one too) needs a login of less
    than 5 minutes ago (``FRESH_LOGIN_SECONDS``) and is announced to the claimant by
    e-mail (``claim.payout_account_changed``, masked); a titular acting for the claimant
    is recorded (``acted_by``) (issue 15 item 7)."""
    _claimant(principal, await visible_claim(claims, principal, claim_id))
    claim, payout, created = await service.accept_offer(
        claim_id,
        offer_id,
        body.iban,
        principal.account_id,
        acted_by=acted_by(principal),
        auth_time=principal.auth_time,
    )
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return AcceptanceOut(claim=ClaimOut.of(claim), payout=PayoutOut.of(payout))


@router.put(
    "/v1/claims/{claim_id}/payouts/{payout_id}/account",
    response_model=AcceptanceOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            401: "No valid token, or (``type`` "
            f"``{FRESH_LOGIN_TYPE}``) a login older than ``FRESH_LOGIN_SECONDS``: log in "
            "again.",
            403: "Only the claimant (or a titular acting for them).",
            409: "The payout was paid.",
            422: "Not a valid IBAN in the SEPA area.",
        },
    ),
)
@route_problems(SETTLEMENT)
async def change_payout_account(
    claim_id: str,
    payout_id: str,
    body: PayoutAccountIn,
    response: Response,
    principal: CurrentPrincipal,
    claims: Claims,
    service: Settlement,
) -> AcceptanceOut:
    """Issue 15 item 7: the claimant (or a titular acting for them) sends a payout not
    yet paid to another IBAN, with a login of less than 5 minutes ago
    (``FRESH_LOGIN_SECONDS``); ``claim.payout_account_changed`` tells the claimant by
    e-mail (masked). The same IBAN again changes nothing (``Idempotent-Replayed``)."""
    _claimant(principal, await visible_claim(claims, principal, claim_id))
    claim, changed = await service.change_payout_account(
        claim_id,
        payout_id,
        body.iban,
        principal.account_id,
        acted_by=acted_by(principal),
        auth_time=principal.auth_time,
    )
    if not changed:
        response.headers["Idempotent-Replayed"] = "true"
    payout = claim.payout(payout_id)
    assert payout is not None
    return AcceptanceOut(claim=ClaimOut.of(claim), payout=PayoutOut.of(payout))


@router.post(
    "/v1/claims/{claim_id}/payouts/{payout_id}/paid",
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
            409: "Recorded paid on another day.",
            422: "A day in the future or before the acceptance.",
        },
    ),
)
@route_problems(SETTLEMENT)
async def record_paid(
    claim_id: str, payout_id: str, body: PaidIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """Staff record the bank's execution of a payout: ``claim.paid``; the final offer's
    payout also closes the claim (``claim.closed``, reason ``paid``). Idempotent."""
    claim = await service.record_paid(claim_id, payout_id, body.paid_on, principal.subject)
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/consolidation",
    response_model=ClaimOut,
    responses=problem_responses(
        401, 403, 404, 409, 422, 503, described={422: "Not an accident claim (PA-8)."}
    ),
)
@route_problems(SETTLEMENT)
async def record_consolidation(
    claim_id: str, body: ConsolidationIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """PA-8: the consolidation report received; the final offer is due 3 months later."""
    claim = await service.record_consolidation(
        claim_id, body.report_received_on, body.expected_pct, principal.subject
    )
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/medical-assessment",
    response_model=ClaimOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={409: "Already consolidated.", 422: "Not an accident claim (PA-8)."},
    ),
)
@route_problems(SETTLEMENT)
async def record_medical_assessment(
    claim_id: str, body: MedicalAssessmentIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """PA-8: the consulting doctor expects this degree of permanent disability before
    consolidation; above 50 % a provisional offer is due 2 years after the accident."""
    claim = await service.record_medical_assessment(
        claim_id, body.assessed_on, body.expected_pct, principal.subject
    )
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/close",
    response_model=ClaimOut,
    responses=problem_responses(401, 403, 404, 409, 503, described={409: "Not rejected."}),
)
@route_problems(SETTLEMENT)
async def close(
    claim_id: str, body: CloseIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """Staff close a rejected claim: ``claim.closed`` (reason ``rejected``)."""
    claim = await service.close(claim_id, body.reason, principal.subject)
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/withdraw",
    response_model=ClaimOut,
    responses=problem_responses(
        401, 403, 404, 409, 503, described={409: "Closed, rejected, or a payout under way."}
    ),
)
@route_problems(SETTLEMENT)
async def withdraw(
    claim_id: str, principal: CurrentPrincipal, claims: Claims, service: Settlement
) -> ClaimOut:
    """The claimant withdraws: ``claim.closed`` (reason ``withdrawn``)."""
    _claimant(principal, await visible_claim(claims, principal, claim_id))
    claim = await service.close(claim_id, "withdrawn", principal.account_id, acted_by(principal))
    return ClaimOut.of(claim)


@router.get(
    "/v1/worklist",
    response_model=WorklistOut,
    responses=problem_responses(401, 403, 503, described={403: "Staff only."}),
)
async def worklist(
    principal: StaffPrincipal,
    service: Settlement,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> WorklistOut:
    """Open claims by their nearest deadline (PA-8, LA-6, LA-8, payment, documents),
    overdue first."""
    items = await service.worklist(limit=limit, offset=offset)
    return WorklistOut(
        items=[
            WorkItemOut(
                claim_id=w.claim.claim_id,
                claim_number=w.claim.claim_number,
                member_id=w.claim.member_id,
                cover=w.claim.cover,
                status=w.claim.status,
                next_deadline=DeadlineOut(
                    kind=w.deadline.kind,
                    by=w.deadline.by,
                    due_on=w.deadline.due_on,
                    rule=w.deadline.rule,
                ),
                overdue=w.overdue,
            )
            for w in items
        ],
        limit=limit,
        offset=offset,
    )
