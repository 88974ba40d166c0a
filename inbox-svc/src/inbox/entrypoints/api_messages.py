"""Messages to the mutuality, optionally eID-signed (ES-1..ES-3; issue 19 item 3).

- ``POST /v1/members/{member_id}/messages`` (multipart ``subject``, ``content``, optional
  ``attachments`` and ``signature``: DER detached CMS over ``content``'s exact bytes):
  the member, or a titular acting for them (exchanged token). Staff do not write in a
  member's name (403). A bad signature never refuses the upload: stored ``rejected``.
- ``GET /v1/members/{member_id}/messages`` (cursor pagination), ``GET
  /v1/messages/{message_id}``: the member (a titular acting for them) and staff; 404 for
  anyone else, so nothing leaks.
- ``PUT /v1/members/{member_id}/signing-block`` (ES-3): the member, a titular acting for
  them, or staff on their call.
- ``GET /v1/messages/integrity`` (ES-2): staff; every stored message recomputed and
  compared with its chained record hash.
"""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from mylm_shared.audit_trail import CheckpointUnavailable
from mylm_shared.auth import CurrentPrincipal, Principal, StaffPrincipal, ensure_member_access
from mylm_shared.inputs import InputModel, clean_file_name
from mylm_shared.problems import Problem, forbidden, problem_responses
from mylm_shared.service import use_cases
from pydantic import BaseModel, Field

from inbox.domain.messages import (
    InvalidCursor,
    InvalidMessage,
    Message,
    SigningBlock,
    StoredFile,
    Verification,
)
from inbox.service.messages import Messages, Sender
from inbox.service.use_cases import InboxUseCases

router = APIRouter(tags=["messages"])

NO_MESSAGE = "No such message."
OCTETS = "application/octet-stream"


def _messages(wired: Annotated[InboxUseCases, use_cases(InboxUseCases)]) -> Messages:
    return wired.messages


MessagesService = Annotated[Messages, Depends(_messages)]


class SignerOut(BaseModel):
    subject: str
    serial: str = Field(description="The certificate's serial number, hexadecimal.")


class VerificationOut(BaseModel):
    status: Literal["valid", "rejected", "unsigned"] = Field(
        description="valid: the eID signature over the content verified (ES-1); rejected: "
        "signed but not acceptable, see reason (never valid); unsigned: no signature."
    )
    reason: str | None = None
    signer: SignerOut | None = None
    signed_at: datetime | None = Field(
        default=None, description="The signingTime the signature carries, if any."
    )

    @classmethod
    def of(cls, verification: Verification) -> "VerificationOut":
        signer = verification.signer
        return cls(
            status=verification.status,
            reason=verification.reason,
            signer=SignerOut(subject=signer.subject, serial=signer.serial) if signer else None,
            signed_at=verification.signed_at,
        )


class MessageReceipt(BaseModel):
    message_id: str
    verification: VerificationOut
    content_sha256: str


class FileOut(BaseModel):
    file_name: str
    media_type: str
    size: int
    sha256: str

    @classmethod
    def of(cls, stored: StoredFile) -> "FileOut":
        return cls(
            file_name=stored.file_name,
            media_type=stored.media_type,
            size=stored.size,
            sha256=stored.sha256,
        )


class MessageOut(BaseModel):
    message_id: str
    member_id: str
    subject: str
    content: FileOut
    attachments: list[FileOut]
    signed: bool
    verification: VerificationOut
    content_sha256: str
    received_at: datetime
    acting_for: str | None = Field(
        default=None, description="Set when a titular sent it for this dependant."
    )

    @classmethod
    def of(cls, message: Message) -> "MessageOut":
        return cls(
            message_id=message.message_id,
            member_id=message.member_id,
            subject=message.subject,
            content=FileOut.of(message.content),
            attachments=[FileOut.of(a) for a in message.attachments],
            signed=message.signature is not None,
            verification=VerificationOut.of(message.verification),
            content_sha256=message.content_sha256,
            received_at=message.received_at,
            acting_for=message.acting_for,
        )


class MessagePageOut(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


class MessageForm(InputModel):
    """The message's text fields (multipart form; the files are their own parts)."""

    subject: str = Field(max_length=1000, description="The message's subject (ES-1).")


class SigningBlockIn(InputModel):
    blocked: bool
    reason: str | None = Field(default=None, max_length=500)


class SigningBlockOut(BaseModel):
    member_id: str
    blocked: bool
    reason: str | None
    changed_at: datetime
    changed_by: str

    @classmethod
    def of(cls, block: SigningBlock) -> "SigningBlockOut":
        return cls(
            member_id=block.member_id,
            blocked=block.blocked,
            reason=block.reason,
            changed_at=block.changed_at,
            changed_by=block.changed_by,
        )


class FindingOut(BaseModel):
    kind: str = Field(
        description="altered (differs from what was received), deleted (chained, no longer "
        "stored), unchained (stored, never chained), rewritten / chain (the chain itself "
        "does not verify)."
    )
    member_id: str
    message_id: str | None
    detail: str


class IntegrityOut(BaseModel):
    valid: bool
    messages: int
    findings: list[FindingOut]


def _visible(principal: Principal, message: Message | None) -> Message:
    """AC-1: the member (a titular with the token exchanged for them) and staff; 404
    for anyone else, whether or not the message exists."""
    if message is None or not (principal.is_staff or principal.member_id == message.member_id):
        raise Problem(404, NO_MESSAGE)
    return message


def _changed_by(principal: Principal) -> str:
    if principal.is_staff:
        return f"staff:{principal.subject}"
    if principal.actor is not None:
        return f"titular:{principal.actor.account_id}"
    return "member"


async def _stored(upload: UploadFile) -> StoredFile:
    content = await upload.read()  # the request body is bounded before (413)
    return StoredFile(
        clean_file_name(upload.filename) or "content",
        # what the store can hold (issue 15 item 5): printable, bounded
        "".join(c for c in (upload.content_type or OCTETS) if c.isprintable())[:100] or OCTETS,
        content,
    )


@router.post(
    "/v1/members/{member_id}/messages",
    status_code=201,
    response_model=MessageReceipt,
    responses=problem_responses(
        401,
        403,
        413,
        503,
        described={
            403: "Not the member (or a titular acting for them); staff do not send.",
            413: "Larger than the upload limit (MAX_UPLOAD_BODY_BYTES).",
        },
    ),
)
async def send_message(
    member_id: str,
    principal: CurrentPrincipal,
    service: MessagesService,
    form: Annotated[MessageForm, Form()],
    content: Annotated[UploadFile, File(description="The message's content file.")],
    attachments: Annotated[list[UploadFile] | None, File()] = None,
    signature: Annotated[
        UploadFile | None,
        File(description="DER detached CMS/PKCS#7 signature over content's exact bytes."),
    ] = None,
) -> MessageReceipt:
    """ES-1..ES-3: the message is stored with its verification: ``valid``, ``rejected``
    with the reason (tampered content, another root, an expired certificate, no
    non-repudiation, a blocked member), or ``unsigned``."""
    ensure_member_access(principal, member_id)
    if principal.is_staff:
        raise forbidden("Staff do not send messages in a member's name.")
    try:
        message = await service.send(
            member_id,
            subject=form.subject,
            content=await _stored(content),
            attachments=[await _stored(a) for a in attachments or []],
            signature=(await signature.read()) if signature is not None else None,
            sender=Sender(principal.account_id, member_id if principal.actor is not None else None),
        )
    except InvalidMessage as error:
        raise Problem(422, str(error)) from error
    return MessageReceipt(
        message_id=message.message_id,
        verification=VerificationOut.of(message.verification),
        content_sha256=message.content_sha256,
    )


@router.get(
    "/v1/members/{member_id}/messages",
    response_model=MessagePageOut,
    responses=problem_responses(401, 403, 503),
)
async def list_messages(
    member_id: str,
    principal: CurrentPrincipal,
    service: MessagesService,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> MessagePageOut:
    """The member's messages, newest first; ``next_cursor`` is None on the last page."""
    ensure_member_access(principal, member_id)
    try:
        found = await service.messages_of(member_id, limit=limit, cursor=cursor)
    except InvalidCursor as error:
        raise Problem(422, str(error)) from error
    return MessagePageOut(
        items=[MessageOut.of(m) for m in found.items], next_cursor=found.next_cursor
    )


@router.get(
    "/v1/messages/integrity",
    response_model=IntegrityOut,
    responses=problem_responses(401, 403, 503),
)
async def check_integrity(
    principal: StaffPrincipal,
    service: MessagesService,
    member_id: Annotated[str | None, Query(max_length=100)] = None,
) -> IntegrityOut:
    """ES-2 (staff): every stored message (of ``member_id``) recomputed from what is
    stored and compared with the record hash chained (HMAC) when it was received; each
    chain verified (HMACs, links, and its head against the newest checkpoint published
    to ``message.checkpoint``). ``valid`` false names every finding."""
    try:
        count, findings = await service.integrity(member_id)
    except CheckpointUnavailable as error:  # cannot conclude without the anchors
        raise Problem(
            503, "The chains' checkpoints cannot be read now.", headers={"Retry-After": "5"}
        ) from error
    return IntegrityOut(
        valid=not findings,
        messages=count,
        findings=[
            FindingOut(kind=f.kind, member_id=f.member_id, message_id=f.message_id, detail=f.detail)
            for f in findings
        ],
    )


@router.get(
    "/v1/messages/{message_id}",
    response_model=MessageOut,
    responses=problem_responses(401, 404, 503),
)
async def get_message(
    message_id: str, principal: CurrentPrincipal, service: MessagesService
) -> MessageOut:
    return MessageOut.of(_visible(principal, await service.message(message_id)))


@router.put(
    "/v1/members/{member_id}/signing-block",
    response_model=SigningBlockOut,
    responses=problem_responses(401, 403, 503),
)
async def put_signing_block(
    member_id: str,
    body: SigningBlockIn,
    principal: CurrentPrincipal,
    service: MessagesService,
) -> SigningBlockOut:
    """ES-3: after loss or theft of the eID, the member (a titular acting for them, or
    staff on their call) blocks signed messages: from then on a signed message is stored
    ``rejected`` with this reason. ``blocked: false`` lifts it (a new card)."""
    ensure_member_access(principal, member_id)
    try:
        block = await service.set_block(
            member_id, blocked=body.blocked, reason=body.reason, changed_by=_changed_by(principal)
        )
    except InvalidMessage as error:
        raise Problem(422, str(error)) from error
    return SigningBlockOut.of(block)
