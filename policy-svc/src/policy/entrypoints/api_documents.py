"""policy-svc HTTP API: documents — the special conditions of a policy as a PDF (PC-1)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from mylm_shared.auth import CurrentPrincipal
from mylm_shared.problems import problem_responses

from policy.adapters.conditions_pdf import render
from policy.domain.conditions import Language
from policy.entrypoints.access import visible_policy
from policy.entrypoints.deps import Policies

router = APIRouter(tags=["documents"])

PDF = "application/pdf"


@router.get(
    "/v1/policies/{policy_id}/conditions",
    response_class=Response,
    responses={
        200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}},
        **problem_responses(401, 404, 503),
    },
)
async def conditions(
    policy_id: str,
    principal: CurrentPrincipal,
    service: Policies,
    language: Annotated[
        Language | None, Query(description="nl, fr or de; default: the policyholder's.")
    ] = None,
) -> Response:
    """The special conditions ("bijzondere voorwaarden") as a PDF, for the policyholder
    (or a titular acting for them) and staff; 404 for anyone else (AC-1). A proposal not
    accepted yet gets the same document titled "proposal", with no signature date: the
    member reads what they are asked to sign."""
    policy = await visible_policy(service, principal, policy_id)
    found = await service.conditions(policy, language)
    pdf = render(found, policy.signed_on or policy.proposed_on)
    name = f"conditions-{policy.policy_id}-{found.language}.pdf"
    return Response(
        pdf,
        media_type=PDF,
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Content-Language": found.language,
            "Cache-Control": "private, no-store",
        },
    )
