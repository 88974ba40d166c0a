"""A member's e-invoicing state (issue 18 item 3; EI-2, EI-3): read and switched by the
member, a titular acting for them (a token exchanged with ``act``), or staff."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from mylm_shared.auth import CurrentPrincipal, Principal, ensure_member_access
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, ConfigDict, Field

from billing.domain.einvoicing import Actor, EInvoicing
from billing.entrypoints.deps import UseCases

router = APIRouter(tags=["e-invoicing"])


async def dossier_access(member_id: str, principal: CurrentPrincipal) -> Principal:
    """AC-1..AC-5, before the body is read: 403 for anyone else, whether or not the
    member exists."""
    ensure_member_access(principal, member_id)
    return principal


DossierPrincipal = Annotated[Principal, Depends(dossier_access)]


class EInvoicingIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = Field(
        description="true: invoices arrive in My LM, no paper (EI-2); false: paper (EI-3)."
    )


class EInvoicingOut(BaseModel):
    enabled: bool = Field(description="Off (paper) for a member who never had an account.")
    since: datetime | None = Field(
        default=None, description="When the state in force began (null: never switched on)."
    )
    changed_by: str | None = Field(
        default=None,
        description="Who made that switch: `member`, `titular:<member id>`, `staff:<id>` "
        "or `system` (the account's creation or end).",
        examples=["member", "system"],
    )

    @classmethod
    def of(cls, state: EInvoicing | None) -> "EInvoicingOut":
        last = state.last if state is not None else None
        if last is None:
            return cls(enabled=False)
        return cls(enabled=last.enabled, since=last.at, changed_by=last.actor.changed_by)


def actor_of(principal: Principal, member_id: str) -> Actor:
    """Who switches: staff, the titular acting for the member (``act``), or the member."""
    if principal.is_staff:
        return Actor("staff", principal.subject)
    if principal.actor is not None:
        return Actor("titular", principal.actor.member_id or principal.actor.account_id)
    return Actor("member", member_id)


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
