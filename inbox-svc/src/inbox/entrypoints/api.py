"""inbox-svc HTTP API: a member lists their own documents."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from mylm_shared.auth import CurrentPrincipal, ensure_member_access
from mylm_shared.service import use_case
from pydantic import BaseModel

from inbox.service.handlers import InboxService

router = APIRouter(tags=["documents"])


Inbox = Annotated[InboxService, use_case("inbox", InboxService)]


class DocumentOut(BaseModel):
    document_id: str
    kind: str
    title: str
    source_id: str
    created_at: datetime
    read: bool


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    limit: int
    offset: int


@router.get("/v1/members/{member_id}/documents", response_model=DocumentPage)
async def list_documents(
    member_id: str,
    principal: CurrentPrincipal,
    service: Inbox,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentPage:
    """The member's inbox, newest first (IN-1)."""
    ensure_member_access(principal, member_id)
    documents = await service.repository.list_for(member_id, limit=limit, offset=offset)
    return DocumentPage(
        items=[DocumentOut.model_validate(d, from_attributes=True) for d in documents],
        limit=limit,
        offset=offset,
    )
