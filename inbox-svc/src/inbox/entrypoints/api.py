"""inbox-svc HTTP API (issue 19 items 1, 2): a member's documents (list with filters and
a cursor, read / unread, archive / unarchive, the content) and the inbox switch (IN-3).

Who: the member, a titular acting for a dependant (the token exchanged at identity-svc
for that dossier: its ``member_id`` is the dependant's, AC-2/AC-5) and staff. Another
member's document answers exactly as one that does not exist (404), another member's
dossier 403 whether or not it exists, so nothing leaks.
"""

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import RedirectResponse
from mylm_shared.auth import (
    CurrentPrincipal,
    DossierPrincipal,
    Principal,
    actor_of,
    ensure_member_access,
)
from mylm_shared.kernel.periods import BRUSSELS
from mylm_shared.problems import Problem, problem_responses
from mylm_shared.switch_api import SwitchIn, SwitchOut
from pydantic import BaseModel, Field

from inbox.domain.documents import DocumentQuery, InboxDocument, InvalidCursor, Position
from inbox.entrypoints.deps import Inbox

router = APIRouter(tags=["documents"])

NO_SUCH_DOCUMENT = "No such document."


class DocumentOut(BaseModel):
    document_id: str
    kind: str = Field(
        description="invoice, invoice_reminder, policy_conditions, terms_changed, "
        "maintenance_announced, or a claim letter: claim_acknowledgement, "
        "claim_documents_requested, claim_decision, claim_offer, claim_offer_accepted, "
        "claim_payment, claim_closed."
    )
    title: str = Field(description="In the member's language when it was filed.")
    source: str = Field(description="The service whose event filed it: billing, policy, claims.")
    source_id: str
    created_at: datetime
    read: bool
    archived: bool
    body: str | None = Field(
        default=None,
        description="A letter's plain text (claim letters, EI-6/EI-7 notices); absent otherwise.",
    )
    download: str | None = Field(
        default=None,
        description="Path of the document's PDF on the service that owns it (invoice, "
        "invoice_reminder: billing-svc; policy_conditions: policy-svc), if any.",
    )
    content: str | None = Field(
        default=None,
        description="`/v1/documents/{document_id}/content` when the document has content "
        "(a stored letter PDF, or a redirect to the owning service's download).",
    )

    @classmethod
    def of(cls, document: InboxDocument) -> "DocumentOut":
        return cls(
            document_id=document.document_id,
            kind=document.kind,
            title=document.title,
            source=document.source,
            source_id=document.source_id,
            created_at=document.created_at,
            read=document.read,
            archived=document.archived,
            body=document.body,
            download=document.download,
            content=(
                f"/v1/documents/{document.document_id}/content"
                if document.content is not None
                else None
            ),
        )


class DocumentListOut(BaseModel):
    items: list[DocumentOut]
    unread: int = Field(
        description="The member's unread documents in the inbox, not archived, whatever "
        "the filters (the badge)."
    )
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


def readable(
    document: InboxDocument | None, principal: Principal, *, paper_for_staff: bool = False
) -> InboxDocument:
    """The document in its member's inbox, for that member (or a titular acting for
    them) and staff; 404 for anyone else, the answer for a document that does not exist.
    A paper document (IN-3) is not in the inbox: 404 too, except the content for staff
    (the print shop fetches the letter it prints)."""
    if document is None or not (principal.is_staff or principal.member_id == document.member_id):
        raise Problem(404, NO_SUCH_DOCUMENT)
    if not document.in_inbox and not (paper_for_staff and principal.is_staff):
        raise Problem(404, NO_SUCH_DOCUMENT)
    return document


def markable(document: InboxDocument | None, principal: Principal) -> InboxDocument:
    """Read and archived are the member's own marks: staff do not set them (403 once the
    document is known to be theirs to see; 404 as above otherwise)."""
    found = readable(document, principal)
    if principal.is_staff:
        raise Problem(403, "Only the member (or a titular acting for them) marks documents.")
    return found


# Days outside these bounds leave that end of the period open (no date overflow).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 1, 1)


def _since(day: date | None) -> datetime | None:
    """Midnight in Belgium (the member's calendar day) starting ``day``."""
    if day is None or day <= EARLIEST_DAY:
        return None
    return datetime.combine(day, time(), BRUSSELS)


def _until(day: date | None) -> datetime | None:
    """Midnight in Belgium ending ``day`` (inclusive)."""
    if day is None or day >= LATEST_DAY:
        return None
    return datetime.combine(day + timedelta(days=1), time(), BRUSSELS)


@router.get(
    "/v1/members/{member_id}/documents",
    response_model=DocumentListOut,
    responses=problem_responses(401, 403, 503),
)
async def list_documents(
    member_id: str,
    principal: CurrentPrincipal,
    service: Inbox,
    kind: Annotated[str | None, Query(max_length=64, description="One kind only.")] = None,
    read: bool | None = None,
    archived: Annotated[
        bool | None, Query(description="true: the archive; false: the inbox; absent: both.")
    ] = None,
    from_: Annotated[
        date | None,
        Query(alias="from", description="Filed on or after this day (Belgian time)."),
    ] = None,
    to: Annotated[
        date | None, Query(description="Filed on or before this day (Belgian time).")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DocumentListOut:
    """The member's inbox, newest first (IN-1), filtered, one page at a time."""
    ensure_member_access(principal, member_id)
    try:
        after = Position.decode(cursor) if cursor is not None else None
    except InvalidCursor:
        raise Problem(
            422,
            "The request is not valid; see errors.",
            errors=[
                {
                    "location": ["query", "cursor"],
                    "message": "not a cursor this listing handed out",
                    "type": "value_error",
                }
            ],
        ) from None
    query = DocumentQuery(
        kind=kind,
        read=read,
        archived=archived,
        since=_since(from_),
        until=_until(to),
        after=after,
        limit=limit,
    )
    page = await service.documents_of(member_id, query)
    return DocumentListOut(
        items=[DocumentOut.of(d) for d in page.items],
        unread=page.unread,
        next_cursor=page.next_cursor,
    )


async def _mark(
    document_id: str, principal: Principal, service: Inbox, flag: str, value: bool
) -> DocumentOut:
    markable(await service.document(document_id), principal)
    marked = await service.mark(document_id, "read" if flag == "read" else "archived", value)
    return DocumentOut.of(readable(marked, principal))


MARK_RESPONSES = problem_responses(401, 403, 404, 503)


@router.post(
    "/v1/documents/{document_id}/read", response_model=DocumentOut, responses=MARK_RESPONSES
)
async def mark_read(document_id: str, principal: CurrentPrincipal, service: Inbox) -> DocumentOut:
    """Mark read (idempotent)."""
    return await _mark(document_id, principal, service, "read", True)


@router.delete(
    "/v1/documents/{document_id}/read", response_model=DocumentOut, responses=MARK_RESPONSES
)
async def mark_unread(document_id: str, principal: CurrentPrincipal, service: Inbox) -> DocumentOut:
    """Mark unread again (idempotent)."""
    return await _mark(document_id, principal, service, "read", False)


@router.post(
    "/v1/documents/{document_id}/archive", response_model=DocumentOut, responses=MARK_RESPONSES
)
async def archive(document_id: str, principal: CurrentPrincipal, service: Inbox) -> DocumentOut:
    """Move to the archive (idempotent); it stays listed with `archived=true`."""
    return await _mark(document_id, principal, service, "archived", True)


@router.delete(
    "/v1/documents/{document_id}/archive", response_model=DocumentOut, responses=MARK_RESPONSES
)
async def unarchive(document_id: str, principal: CurrentPrincipal, service: Inbox) -> DocumentOut:
    """Back from the archive into the inbox (idempotent)."""
    return await _mark(document_id, principal, service, "archived", False)


@router.get(
    "/v1/documents/{document_id}/content",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "A letter's stored PDF."},
        303: {
            "description": "Served by the service that owns the document: `Location` is "
            "its download (billing-svc's invoice PDF, policy-svc's conditions). Behind the "
            "gateway the same origin, so the client's credentials go along."
        },
        **problem_responses(401, 404, 503),
    },
)
async def content(document_id: str, principal: CurrentPrincipal, service: Inbox) -> Response:
    """The document's content (issue 19 item 1). A letter's PDF is stored with it (the
    bytes the print shop gets too); an invoice or the policy conditions are the owning
    service's: 303 to its download, which checks the caller's access again. 404 for a
    document without content (a title only), as for one that is not the caller's."""
    document = readable(await service.document(document_id), principal, paper_for_staff=True)
    link = document.content
    if link is None:
        raise Problem(404, "This document has no content.")
    if link.service != "inbox":
        return RedirectResponse(service.url_of(link), status_code=303)
    pdf = await service.pdf_of(document.document_id)
    if pdf is None:
        raise Problem(404, "This document has no content.")
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="document-{document.document_id}.pdf"'},
    )


# ---------------------------------------------------------------- the inbox switch (IN-3)
class InboxSettingsIn(SwitchIn):
    enabled: bool = Field(
        description="true: new documents arrive in the inbox (IN-1); false: by post (IN-3)."
    )


class InboxSettingsOut(SwitchOut):
    DEFAULT = True  # IN-2

    enabled: bool = Field(description="On for a member who never switched it (IN-2).")


@router.get(
    "/v1/members/{member_id}/inbox-settings",
    response_model=InboxSettingsOut,
    responses=problem_responses(401, 403, 503),
    tags=["inbox settings"],
)
async def get_inbox_settings(
    member_id: str, principal: DossierPrincipal, service: Inbox
) -> InboxSettingsOut:
    """The member's inbox on or off (IN-3)."""
    return InboxSettingsOut.of(await service.inbox_state(member_id))


@router.put(
    "/v1/members/{member_id}/inbox-settings",
    response_model=InboxSettingsOut,
    responses=problem_responses(401, 403, 422, 503),
    tags=["inbox settings"],
)
async def put_inbox_settings(
    member_id: str, body: InboxSettingsIn, principal: DossierPrincipal, service: Inbox
) -> InboxSettingsOut:
    """Switch the inbox on or off (IN-3): off, documents filed from now on go by post
    (`document.print_requested`); on again, they arrive in the inbox. Documents already
    delivered stay where they are. Recorded with time and actor, `inbox.settings_changed`
    follows; the state already in force changes nothing (idempotent)."""
    state = await service.switch_inbox(member_id, body.enabled, actor_of(principal, member_id))
    return InboxSettingsOut.of(state)
