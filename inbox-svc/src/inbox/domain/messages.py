"""Messages members send the mutuality, optionally signed with their eID (ES-1..ES-3;
issue 19 item 3). Pure: no I/O, no clock, no crypto library.

- ES-1: a message may carry a detached CMS signature over its content file's exact
  bytes; the verification (``SignatureCheck``, made by the ``SignatureVerifier`` port)
  identifies the signer (certificate subject and serial) and proves the content intact.
- ES-2: a message is stored permanently and unalterably: the store only inserts; its
  ``record_sha256`` (below) covers every stored field and the hashes of every stored
  byte string, and is chained (HMAC, ``mylm_shared.kernel.audit_chain``) so a later change to
  the message, its files, its signature, certificate or verification result, or its
  removal, is found by the integrity check (``integrity_findings``).
- ES-3: a member (a titular acting for them, or staff on their call) blocks signed
  messaging after loss or theft of the card; a signed message received while blocked
  is stored ``rejected`` with that reason, never ``valid``. The upload itself is never
  refused for a bad signature: it is stored, rejected.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Status = Literal["valid", "rejected", "unsigned"]

MAX_SUBJECT_CHARS = 200
MAX_ATTACHMENTS = 10


class InvalidMessage(ValueError):
    """The message itself is not acceptable (no subject, no content, too many files):
    a 422, unlike a bad signature, which is stored ``rejected``."""


class InvalidCursor(ValueError):
    """The cursor was not given by this service."""


@dataclass(frozen=True)
class Signer:
    subject: str  # the certificate's subject (e.g. "Serial Number: 85…, Common Name: Jan …")
    serial: str  # the certificate's serial number, hex


@dataclass(frozen=True)
class SignatureCheck:
    """What the verifier found (ES-1): ``valid`` or ``rejected`` with a reason the member
    can read; the signer and the signing time when the signature names them, and the
    signer's certificate (DER) as found in the signature (kept as evidence, ES-2)."""

    status: Literal["valid", "rejected"]
    reason: str | None
    signer: Signer | None = None
    signed_at: datetime | None = None
    certificate: bytes | None = None


@dataclass(frozen=True)
class Verification:
    status: Status
    reason: str | None = None
    signer: Signer | None = None
    signed_at: datetime | None = None


UNSIGNED = Verification("unsigned")


def blocked_reason(reason: str | None) -> str:
    why = f": {reason}" if reason else ""
    return f"signed messaging is blocked for this member (ES-3, loss or theft of the eID){why}"


def verdict(check: SignatureCheck | None, block: "SigningBlock | None") -> Verification:
    """The stored verification (ES-1, ES-3): unsigned without a signature; a blocked
    member's signature is rejected with the block's reason whatever the check said;
    otherwise the check's outcome. Never ``valid`` unless the verifier said so and no
    block holds."""
    if check is None:
        return UNSIGNED
    if block is not None and block.blocked:
        return Verification("rejected", blocked_reason(block.reason), check.signer, check.signed_at)
    return Verification(check.status, check.reason, check.signer, check.signed_at)


@dataclass(frozen=True)
class StoredFile:
    """A file as received (content or attachment): its bytes and what they hash to."""

    file_name: str
    media_type: str
    content: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Message:
    message_id: str
    member_id: str
    subject: str
    content: StoredFile
    attachments: tuple[StoredFile, ...]
    signature: bytes | None  # the DER CMS as uploaded (ES-2: kept as evidence)
    certificate: bytes | None  # the signer's certificate (DER) found in it
    verification: Verification
    received_at: datetime
    sent_by: str  # the account that sent it (a titular's when acting for a dependant)
    acting_for: str | None = None  # the dossier's member when a titular acted for them

    @property
    def content_sha256(self) -> str:
        return self.content.sha256

    @property
    def record_sha256(self) -> str:
        return record_digest(record_of(self))


def new_message(
    *,
    message_id: str,
    member_id: str,
    subject: str,
    content: StoredFile,
    attachments: Sequence[StoredFile],
    signature: bytes | None,
    check: SignatureCheck | None,
    block: "SigningBlock | None",
    received_at: datetime,
    sent_by: str,
    acting_for: str | None,
    max_attachments: int = MAX_ATTACHMENTS,
) -> Message:
    """A received message with its verification (ES-1, ES-3); ``InvalidMessage`` only
    for what makes it no message at all, never for its signature."""
    subject = subject.strip()
    if not subject:
        raise InvalidMessage("A message needs a subject.")
    if len(subject) > MAX_SUBJECT_CHARS:
        raise InvalidMessage(f"The subject is longer than {MAX_SUBJECT_CHARS} characters.")
    if not content.content:
        raise InvalidMessage("The content file is empty.")
    if len(attachments) > max_attachments:
        raise InvalidMessage(f"At most {max_attachments} attachments per message.")
    if signature is not None and check is None:
        raise ValueError("a signed message needs its signature check")
    return Message(
        message_id=message_id,
        member_id=member_id,
        subject=subject,
        content=content,
        attachments=tuple(attachments),
        signature=signature,
        certificate=check.certificate if check is not None else None,
        verification=verdict(check, block),
        received_at=received_at,
        sent_by=sent_by,
        acting_for=acting_for,
    )


# --- ES-2: what the integrity of a stored message means ---------------------------


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _file_record(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_name": stored.file_name,
        "media_type": stored.media_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }


def record_of(message: Message) -> dict[str, Any]:
    """Everything stored about a message, byte strings by their SHA-256: what its
    ``record_sha256`` covers (recomputed from the stored bytes when checking)."""
    verification = message.verification
    return {
        "message_id": message.message_id,
        "member_id": message.member_id,
        "subject": message.subject,
        "content": _file_record(message.content),
        "attachments": [_file_record(a) for a in message.attachments],
        "signature_sha256": _sha256(message.signature),
        "certificate_sha256": _sha256(message.certificate),
        "verification": {
            "status": verification.status,
            "reason": verification.reason,
            "signer": (
                {"subject": verification.signer.subject, "serial": verification.signer.serial}
                if verification.signer
                else None
            ),
            "signed_at": verification.signed_at.isoformat() if verification.signed_at else None,
        },
        "received_at": message.received_at.isoformat(),
        "sent_by": message.sent_by,
        "acting_for": message.acting_for,
    }


def record_digest(record: Mapping[str, Any]) -> str:
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def message_trail(member_id: str) -> str:
    """The chain a member's messages are linked in (``audit.checkpoint`` trail name)."""
    return f"messages/{member_id}"


FindingKind = Literal["altered", "deleted", "unchained", "rewritten", "truncated", "chain"]


@dataclass(frozen=True)
class IntegrityFinding:
    kind: FindingKind
    member_id: str
    message_id: str | None
    detail: str


def integrity_findings(
    member_id: str,
    stored: Mapping[str, str | None],
    chained: Mapping[str, str],
) -> list[IntegrityFinding]:
    """ES-2, per member: ``stored`` maps each stored message id to the SHA-256 of its
    record as recomputed from what is stored now (None: unreadable); ``chained`` maps each
    message id in the member's (HMAC-verified) chain to the record hash chained when it
    was received. A difference is an alteration; a chained message no longer stored was
    deleted; a stored message not chained was not received through this service (or a
    crash left it, which the start-up sweep chains)."""
    findings: list[IntegrityFinding] = []
    for message_id, digest in sorted(stored.items()):
        expected = chained.get(message_id)
        if expected is None:
            findings.append(
                IntegrityFinding("unchained", member_id, message_id, "not in the chain")
            )
        elif digest != expected:
            findings.append(
                IntegrityFinding(
                    "altered",
                    member_id,
                    message_id,
                    "the stored message differs from what was received",
                )
            )
    for message_id in sorted(set(chained) - set(stored)):
        findings.append(
            IntegrityFinding("deleted", member_id, message_id, "chained but no longer stored")
        )
    return findings


# --- ES-3: blocking signed messaging -----------------------------------------------


@dataclass(frozen=True)
class SigningBlock:
    """One state of a member's signing block (the newest counts): who changed it
    (``member``, ``titular:<account>``, ``staff:<account>``), when and why."""

    member_id: str
    seq: int
    blocked: bool
    reason: str | None
    changed_at: datetime
    changed_by: str


MAX_REASON_CHARS = 500


def next_block(
    previous: SigningBlock | None,
    *,
    member_id: str,
    blocked: bool,
    reason: str | None,
    at: datetime,
    changed_by: str,
) -> SigningBlock:
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON_CHARS:
        raise InvalidMessage(f"The reason is longer than {MAX_REASON_CHARS} characters.")
    seq = previous.seq + 1 if previous is not None else 1
    return SigningBlock(member_id, seq, blocked, reason, at, changed_by)


# --- listing ------------------------------------------------------------------------


def encode_cursor(message: Message) -> str:
    raw = json.dumps([message.received_at.isoformat(), message.message_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, message_id = json.loads(raw)
        return datetime.fromisoformat(at), str(message_id)
    except (ValueError, TypeError, binascii.Error) as error:
        raise InvalidCursor("the cursor is not one this service gave") from error


@dataclass(frozen=True)
class MessagePage:
    items: list[Message]
    next_cursor: str | None


def page(messages: Sequence[Message], *, limit: int, cursor: str | None) -> MessagePage:
    """Newest first, then by id; the ``limit`` after ``cursor``."""
    ordered = sorted(messages, key=lambda m: (m.received_at, m.message_id), reverse=True)
    if cursor is not None:
        after = decode_cursor(cursor)
        ordered = [m for m in ordered if (m.received_at, m.message_id) < after]
    items = ordered[:limit]
    more = len(ordered) > limit
    return MessagePage(items, encode_cursor(items[-1]) if more and items else None)
