"""A member's e-invoicing state (issue 18 item 3; EI-2, EI-3): read and switched by the
member, a titular acting for them (a token exchanged with ``act``), or staff."""

from fastapi import APIRouter
from mylm_shared.auth import DossierPrincipal, actor_of
from mylm_shared.problems import problem_responses
from mylm_shared.switch_api import SwitchIn, SwitchOut
from pydantic import Field

from billing.entrypoints.deps import UseCases

router = APIRouter(tags=["e-invoicing"])


class EInvoicingIn(SwitchIn):
    enabled: bool = Field(
        description="true: invoices arrive in My LM, no paper (EI-2); false: paper (EI-3)."
    )


class EInvoicingOut(SwitchOut):
    DEFAULT = False  # no account: paper (EI-2)

    enabled: bool = Field(description="Off (paper) for a member who never had an account.")


@router.get(
    "/v1/members/{member_id}/einvoicing",
    response_model=EInvoicingOut,
    responses=problem_responses(401, 403, 503),
)
async def get_einvoicing(
    member_id: str, principal: DossierPrincipal, use_cases: UseCases
) -> EInvoicingOut:
    """The member's e-invoicing state (EI-2, EI-3)."""
    return EInvoicingOut.of(await use_cases.einvoicing.state(member_id))


@router.put(
    "/v1/members/{member_id}/einvoicing",
    response_model=EInvoicingOut,
    responses=problem_responses(401, 403, 422, 503),
)
async def put_einvoicing(
    member_id: str, body: EInvoicingIn, principal: DossierPrincipal, use_cases: UseCases
) -> EInvoicingOut:
    """Switch e-invoicing on or off (EI-3: off means paper from the next invoice; invoices
    already issued keep their channel). Recorded with time and actor, ``einvoicing.changed``
    follows; the state already in force changes nothing (idempotent)."""
    state = await use_cases.einvoicing.switch(
        member_id, body.enabled, actor_of(principal, member_id)
    )
    return EInvoicingOut.of(state)
