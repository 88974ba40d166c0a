"""Settling a claim: staff offers (PA-8; within PA-5/LA-11 ceilings and the insurance
year's maximum, LA-6/LA-8/LA-11), the member's acceptance with their IBAN (one payout
instruction, idempotent), payouts recorded paid by staff (the bank executes the transfer),
the consolidation report (PA-8), closing and withdrawing, and the staff worklist."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from mylm_shared.auth import CurrentPrincipal, StaffPrincipal
from mylm_shared.failures import Unavailable
from mylm_shared.problems import Problem, problem_responses
from mylm_shared.service import use_case

from claims.domain.claim import Claim, OfferRefused, WrongStatus
from claims.domain.offers import InvalidIban
from claims.entrypoints.api_claims import Claims, _load, acted_by
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
from claims.service.handlers import UnknownClaim, UnknownPolicy
from claims.service.settlement import (
    FreshLoginRequired,
    SettlementService,
    UnknownOffer,
    UnknownPayout,
)

router = APIRouter(tags=["settlement"])

Settlement = Annotated[SettlementService, use_case("settlement", SettlementService)]
_NO_CLAIM = "No such claim."
MAX_OFFSET = 100_000
# Issue 15 item 7: the problem type telling a client to log in again before it retries.
FRESH_LOGIN_TYPE = "urn:mylm:problem:fresh-login-required"


def fresh_login_required(service: SettlementService) -> Problem:
    """401 with RFC 9470's step-up challenge (``insufficient_user_authentication``,
    ``max_age``): the client logs the member in again, then repeats the request."""
    max_age = int(service.fresh_login.total_seconds())
    return Problem(
        401,
        f"Setting or changing the payout account needs a login of less than {max_age} "
        "seconds ago: log in again, then repeat this request.",
        title="Log in again",
        type_=FRESH_LOGIN_TYPE,
        headers={
            "WWW-Authenticate": 'Bearer realm="mylm", error="insufficient_user_authentication",'
            f' error_description="A more recent login is required", max_age={max_age}'
        },
        max_age=max_age,
    )


def _problem(error: Exception) -> Problem:
    """The domain's refusals as problems (404, 409, 422 naming the rule, 503)."""
    match error:
        case UnknownClaim():
            return Problem(404, _NO_CLAIM)
        case UnknownOffer():
            return Problem(404, "No such offer.")
        case UnknownPayout():
            return Problem(404, "No such payout.")
        case WrongStatus():
            return Problem(409, str(error), title="Not possible in this status")
        case OfferRefused(rule=rule):
            return Problem(422, str(error), title="Not allowed by the conditions", rule=rule)
        case InvalidIban():
            return Problem(422, f"iban: {error}", title="Invalid IBAN")
        case UnknownPolicy() | Unavailable():
            return Problem(
                503, "The contract cannot be read now; retry later.", headers={"Retry-After": "5"}
            )
        case ValueError():
            return Problem(422, str(error))
    raise error


_SETTLED = (UnknownClaim, UnknownOffer, UnknownPayout, WrongStatus, ValueError, Unavailable)


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
async def make_offer(
    claim_id: str, body: OfferIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """Staff offer an amount on an accepted claim: ``claim.offer_made``. A new offer of a
    kind replaces an open one of that kind (``superseded``)."""
    try:
        claim = await service.make_offer(
            claim_id, body.kind, body.amount, body.respond_by, principal.subject
        )
    except (*_SETTLED, UnknownPolicy) as error:
        raise _problem(error) from None
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
    _claimant(principal, await _load(claims, principal, claim_id))
    try:
        claim, payout, created = await service.accept_offer(
            claim_id,
            offer_id,
            body.iban,
            principal.account_id,
            acted_by=acted_by(principal),
            auth_time=principal.auth_time,
        )
    except FreshLoginRequired:
        raise fresh_login_required(service) from None
    except _SETTLED as error:
        raise _problem(error) from None
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
    _claimant(principal, await _load(claims, principal, claim_id))
    try:
        claim, changed = await service.change_payout_account(
            claim_id,
            payout_id,
            body.iban,
            principal.account_id,
            acted_by=acted_by(principal),
            auth_time=principal.auth_time,
        )
    except FreshLoginRequired:
        raise fresh_login_required(service) from None
    except _SETTLED as error:
        raise _problem(error) from None
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
async def record_paid(
    claim_id: str, payout_id: str, body: PaidIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """Staff record the bank's execution of a payout: ``claim.paid``; the final offer's
    payout also closes the claim (``claim.closed``, reason ``paid``). Idempotent."""
    try:
        claim = await service.record_paid(claim_id, payout_id, body.paid_on, principal.subject)
    except _SETTLED as error:
        raise _problem(error) from None
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/consolidation",
    response_model=ClaimOut,
    responses=problem_responses(
        401, 403, 404, 409, 422, 503, described={422: "Not an accident claim (PA-8)."}
    ),
)
async def record_consolidation(
    claim_id: str, body: ConsolidationIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """PA-8: the consolidation report received; the final offer is due 3 months later."""
    try:
        claim = await service.record_consolidation(
            claim_id, body.report_received_on, body.expected_pct, principal.subject
        )
    except _SETTLED as error:
        raise _problem(error) from None
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
async def record_medical_assessment(
    claim_id: str, body: MedicalAssessmentIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """PA-8: the consulting doctor expects this degree of permanent disability before
    consolidation; above 50 % a provisional offer is due 2 years after the accident."""
    try:
        claim = await service.record_medical_assessment(
            claim_id, body.assessed_on, body.expected_pct, principal.subject
        )
    except _SETTLED as error:
        raise _problem(error) from None
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/close",
    response_model=ClaimOut,
    responses=problem_responses(401, 403, 404, 409, 503, described={409: "Not rejected."}),
)
async def close(
    claim_id: str, body: CloseIn, principal: StaffPrincipal, service: Settlement
) -> ClaimOut:
    """Staff close a rejected claim: ``claim.closed`` (reason ``rejected``)."""
    try:
        claim = await service.close(claim_id, body.reason, principal.subject)
    except _SETTLED as error:
        raise _problem(error) from None
    return ClaimOut.of(claim)


@router.post(
    "/v1/claims/{claim_id}/withdraw",
    response_model=ClaimOut,
    responses=problem_responses(
        401, 403, 404, 409, 503, described={409: "Closed, rejected, or a payout under way."}
    ),
)
async def withdraw(
    claim_id: str, principal: CurrentPrincipal, claims: Claims, service: Settlement
) -> ClaimOut:
    """The claimant withdraws: ``claim.closed`` (reason ``withdrawn``)."""
    _claimant(principal, await _load(claims, principal, claim_id))
    try:
        claim = await service.close(
            claim_id, "withdrawn", principal.account_id, acted_by(principal)
        )
    except _SETTLED as error:
        raise _problem(error) from None
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
