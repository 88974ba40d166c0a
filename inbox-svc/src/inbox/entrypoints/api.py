"""inbox-svc HTTP API: a member lists their own documents."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from mylm_shared.auth import CurrentPrincipal, ensure_member_access
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, Field

from inbox.entrypoints.deps import Inbox

router = APIRouter(tags=["documents"])


# Bounded so that a huge offset is a 422, not a database error (skip is a 64-bit integer).
MAX_OFFSET = 1_000_000


class DocumentOut(BaseModel):
    document_id: str
    kind: str = Field(
        description="invoice, policy_conditions, or a claim letter: claim_acknowledgement, "
        "claim_documents_requested, claim_decision, claim_offer, claim_offer_accepted, "
        "claim_payment, claim_closed (filter on the claim_ prefix for all claim letters)."
    )
    title: str
    source_id: str
    created_at: datetime
    read: bool
    body: str | None = Field(
        default=None,
        description="The letter's plain text (claim letters, kinds claim_*); absent otherwise.",
    )
    download: str | None = Field(
        default=None,
        description="Path of the document's PDF (policy_conditions: on policy-svc; invoice: "
        "on billing-svc), if any.",
    )


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    limit: int
    offset: int


@router.get(
    "/v1/members/{member_id}/documents",
    response_model=DocumentPage,
    responses=problem_responses(401, 403, 503),
)
async def list_documents(
    member_id: str,
    principal: CurrentPrincipal,
    service: Inbox,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> DocumentPage:
    """The member's inbox, newest first (IN-1)."""
    ensure_member_access(principal, member_id)
    documents = await service.documents_of(member_id, limit=limit, offset=offset)
    return DocumentPage(
        items=[DocumentOut.model_validate(d, from_attributes=True) for d in documents],
        limit=limit,
        offset=offset,
    )
