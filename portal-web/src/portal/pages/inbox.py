"""The member's inbox and messages to the mutuality (issue 20 item 2; IN-1, ES-1..ES-3):
documents with the unread count, filters (inbox, unread, archive) and cursor pages; one
document opened (which marks it read) and its PDF streamed; read/unread and
archive/unarchive as small forms; messages sent with an optional eID signature, their
verification in the member's words."""

import re
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from mylm_shared.kernel.formatting import day
from mylm_shared.kernel.periods import BRUSSELS
from mylm_shared.texts.portal import WORDS, portal_text
from starlette.datastructures import FormData, UploadFile

from portal.ports import Language, ServiceProblem
from portal.upstream.inbox import Mark, Upload, Verification
from portal.web import Web, problem_message

PAGE_SIZE = 20
# inbox-svc's MAX_MESSAGE_ATTACHMENTS default; the service's 422 stays the final word
MAX_ATTACHMENTS = 10
# the views of the inbox: (read, archived) filters of inbox-svc's listing
VIEWS: dict[str, tuple[bool | None, bool]] = {
    "inbox": (None, False),
    "unread": (False, False),
    "archived": (None, True),
}
DONE = ("read", "unread", "archive", "unarchive")
OCTETS = "application/octet-stream"

# inbox-svc's verification reasons (adapters/cms.py, domain/messages.py), by how they
# begin, as the member reads them; anything else: "not accepted" with the service's words.
REASONS: tuple[tuple[str, str], ...] = (
    ("the content does not match", "message_reason_changed"),
    ("the signature encapsulates other content", "message_reason_changed"),
    ("the certificate does not chain", "message_reason_untrusted"),
    ("the certificate chain is not trusted", "message_reason_untrusted"),
    ("the certificate had expired", "message_reason_expired"),
    ("the certificate was not yet valid", "message_reason_not_yet"),
    ("the certificate is not for signing", "message_reason_not_signing"),
    ("the signing time is later", "message_reason_later"),
    ("the signature is not a der", "message_reason_not_cms"),
)
BLOCKED = "signed messaging is blocked"


def reason_text(verification: Verification, language: Language) -> str | None:
    """Why a signature was not accepted (ES-1, ES-3), in the member's words."""
    reason = verification.reason
    if verification.status != "rejected" or not reason:
        return None
    lowered = reason.lower()
    if lowered.startswith(BLOCKED):
        _, _, why = reason.partition("): ")
        return portal_text("message_reason_blocked", language, why=f": {why}" if why else "")
    for start, key in REASONS:
        if lowered.startswith(start):
            return portal_text(key, language)
    return portal_text("message_reason_other", language, reason=reason)


def signer_name(subject: str | None) -> str:
    """The signer's name from the certificate's subject (its Common Name), else all of it."""
    found = re.search(r"Common Name: ([^,]+)", subject or "")
    return found[1].strip() if found else (subject or "")


def kind_text(kind: str, language: Language) -> str:
    key = f"inbox_kind_{kind}"
    return portal_text(key if key in WORDS else "inbox_kind_other", language)


def megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def belgian_day(moment: datetime | None) -> str:
    """The day a moment falls on in Belgium, as ``day`` prints it (dd/mm/yyyy)."""
    if moment is None:
        return ""
    return day((moment.astimezone(BRUSSELS) if moment.tzinfo else moment).date())


def _inbox_url(view: str, cursor: str | None = None, done: str | None = None) -> str:
    query = {"show": view} if view != "inbox" else {}
    if cursor:
        query["cursor"] = cursor
    if done:
        query["done"] = done
    return "/inbox" + (f"?{urlencode(query)}" if query else "")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _upload(value: object) -> Upload | None:
    """A file the member chose; an input left empty (no name, no bytes) is none."""
    if not isinstance(value, UploadFile):
        return None
    data = await value.read()
    if not value.filename and not data:
        return None
    return Upload(value.filename or "file", value.content_type or OCTETS, data)


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    inbox = web.services.inbox
    upload_limit = web.settings.max_upload_body_bytes

    @router.get("/inbox", response_class=HTMLResponse)
    async def documents(request: Request) -> Response:
        caller = await web.caller(request)
        view = request.query_params.get("show", "inbox")
        if view not in VIEWS:
            view = "inbox"
        cursor = request.query_params.get("cursor") or None
        done = request.query_params.get("done")
        read, archived = VIEWS[view]
        error = None
        try:
            page = await inbox.documents(
                caller.access_token,
                caller.member_id,
                read=read,
                archived=archived,
                cursor=cursor,
                limit=PAGE_SIZE,
            )
        except ServiceProblem as problem:
            if problem.status not in (403, 422):
                raise
            known = {403: "inbox_403", 422: "inbox_422"}
            error = problem_message(problem, caller.language, known)
            page = None
        return web.page(
            request,
            "inbox.html",
            200 if error is None else 422,
            view=view,
            views=tuple(VIEWS),
            cursor=cursor,
            page=page,
            error=error,
            notice=portal_text(f"inbox_done_{done}", caller.language) if done in DONE else None,
            inbox_unread=page.unread if page else None,
            next_url=_inbox_url(view, page.next_cursor) if page and page.next_cursor else None,
            first_url=_inbox_url(view) if cursor else None,
            view_url=_inbox_url,
            kind_text=lambda kind: kind_text(kind, caller.language),
            day_of=lambda d: belgian_day(d.created_at),
        )

    async def _mark(request: Request, document_id: str, mark: Mark) -> Response:
        form = await web.checked_form(request)
        caller = await web.caller(request)
        on = _text(form, "on") != "0"
        view = _text(form, "show")
        view = view if view in VIEWS else "inbox"
        cursor = _text(form, "cursor") or None
        marked = await inbox.mark(caller.access_token, document_id, mark, on)
        if marked is None:
            return web.not_found(request)
        done = {("read", True): "read", ("read", False): "unread"}.get(
            (mark, on), "archive" if on else "unarchive"
        )
        return RedirectResponse(_inbox_url(view, cursor, done), status_code=303)

    @router.post("/inbox/{document_id}/read")
    async def mark_read(document_id: str, request: Request) -> Response:
        return await _mark(request, document_id, "read")

    @router.post("/inbox/{document_id}/archive")
    async def archive(document_id: str, request: Request) -> Response:
        return await _mark(request, document_id, "archive")

    @router.get("/inbox/{document_id}/content")
    async def content(document_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        download = await inbox.content(caller.access_token, document_id)
        if download is None:
            return web.not_found(request)
        return StreamingResponse(
            download.chunks,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )

    @router.get("/inbox/{document_id}", response_class=HTMLResponse)
    async def document(document_id: str, request: Request) -> Response:
        """Opening a document marks it read (inbox-svc has no route reading one document
        without marking it: ``POST /v1/documents/{id}/read`` answers the document)."""
        caller = await web.caller(request)
        found = await inbox.mark(caller.access_token, document_id, "read", True)
        if found is None:
            return web.not_found(request)
        return web.page(
            request,
            "inbox_document.html",
            document=found,
            kind=kind_text(found.kind, caller.language),
            received=belgian_day(found.created_at),
        )

    # ------------------------------------------------------------------------ messages
    @router.get("/messages", response_class=HTMLResponse)
    async def messages(request: Request) -> Response:
        caller = await web.caller(request)
        cursor = request.query_params.get("cursor") or None
        sent_id = request.query_params.get("sent")
        try:
            page = await inbox.messages(caller.access_token, caller.member_id, cursor, PAGE_SIZE)
        except ServiceProblem as problem:
            if problem.status != 422:
                raise
            page = await inbox.messages(caller.access_token, caller.member_id, None, PAGE_SIZE)
        sent = await inbox.message(caller.access_token, sent_id) if sent_id else None
        lang = caller.language
        return web.page(
            request,
            "messages.html",
            page=page,
            sent=sent,
            reason=lambda verification: reason_text(verification, lang),
            signer_name=signer_name,
            next_url=(f"/messages?{urlencode({'cursor': page.next_cursor})}")
            if page.next_cursor
            else None,
            first_url="/messages" if cursor else None,
            sent_day=lambda m: belgian_day(m.received_at),
        )

    def message_form(
        request: Request,
        status: int = 200,
        *,
        subject: str = "",
        error: str | None = None,
        invalid: tuple[str, ...] = (),
    ) -> Response:
        return web.page(
            request,
            "message_new.html",
            status,
            subject=subject,
            error=error,
            invalid=invalid,
            max_attachments=MAX_ATTACHMENTS,
            max_size=megabytes(upload_limit),
        )

    @router.get("/messages/new", response_class=HTMLResponse)
    async def new_message(request: Request) -> Response:
        await web.caller(request)
        return message_form(request)

    @router.post("/messages/new", response_class=HTMLResponse)
    async def send_message(request: Request) -> Response:
        """ES-1: subject, content file, attachments, an optional detached signature.
        A body above inbox-svc's (and the gateway's) upload limit is refused before it
        is read."""
        caller = await web.caller(request)
        lang = caller.language
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > upload_limit:
            size = megabytes(upload_limit)
            error = portal_text("message_413", lang, size=size)
            return message_form(request, 413, error=error, invalid=("content", "attachments"))
        form = await web.checked_form(request)
        subject = _text(form, "subject")
        content = await _upload(form.get("content"))
        attachments = [a for a in [await _upload(v) for v in form.getlist("attachments")] if a]
        signature = await _upload(form.get("signature"))
        if not subject:
            error = portal_text("message_subject_missing", lang)
            return message_form(request, 422, error=error, invalid=("subject",))
        if content is None or not content.data:
            error = portal_text("message_content_missing", lang)
            return message_form(request, 422, subject=subject, error=error, invalid=("content",))
        if len(attachments) > MAX_ATTACHMENTS:
            error = portal_text("message_too_many", lang, count=MAX_ATTACHMENTS)
            return message_form(
                request, 422, subject=subject, error=error, invalid=("attachments",)
            )
        if signature is not None:
            signature = Upload(signature.file_name, "application/pkcs7-signature", signature.data)
        try:
            sent = await inbox.send_message(
                caller.access_token, caller.member_id, subject, content, attachments, signature
            )
        except ServiceProblem as problem:
            if problem.status not in (403, 413, 422):
                raise
            if problem.status == 413:
                message = portal_text("message_413", lang, size=megabytes(upload_limit))
            else:
                message = problem_message(problem, lang, {403: "message_403"})
            return message_form(request, problem.status, subject=subject, error=message)
        return RedirectResponse(f"/messages?{urlencode({'sent': sent.message_id})}", 303)

    return router
