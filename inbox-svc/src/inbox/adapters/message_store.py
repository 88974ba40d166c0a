"""inbox-svc's store of messages to the mutuality (ES-1..ES-3; issue 19 item 3).

Append-only (ES-2): ``messages`` is only inserted into (``_id`` = the message id), one
document holding the message, its content and attachments, the signature as uploaded,
the signer's certificate, the verification result and the hashes; no code path updates
or deletes one, the outbox relay included: the ``message.received`` event goes in a
document of its own (``message_events``, ``_id`` = the message id), never in the
message's. (On FerretDB v1 an update is a read-then-write of the whole document in Go:
the relay's ``$pullAll`` on a message's own ``_outbox`` rewrote the whole message from
the copy it had read, silently undoing a change written meanwhile, e.g. the very change
the integrity check exists to find; issue 19's last defect.) Each message is then
chained, by its record hash, into the member's HMAC chain (``message_chain``, via
``mylm_shared.audit_trail``; the key from ``MESSAGE_CHAIN_KEY_FILE``, never the
database): whoever can write the database cannot change a message, or remove one from
the middle of a member's messages, without the integrity check reporting it. Order:
message, then its event, then its chain entry; a crash in between leaves the message
unchained, and ``chain_unchained`` (run at start) announces it (once: the event's
``_id``) and chains it.

Signing blocks (ES-3): insert-only states ``<member>:<seq>``, the newest counts; two
changes at once both claim the next ``seq``, the unique ``_id`` lets one win and the
other re-reads and goes after it.
"""

import contextlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from mylm_shared.audit_trail import MongoAuditTrail, trail_indexes
from mylm_shared.events import MESSAGE_RECEIVED, MessageReceivedV1, new_event
from mylm_shared.kernel.audit_chain import AuditKeys, Checkpoint, Operation, verify
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.outbox import insert_with_events, outbox_entry
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from inbox.domain.messages import (
    FindingKind,
    IntegrityFinding,
    Message,
    Signer,
    SigningBlock,
    StoredFile,
    Verification,
    integrity_findings,
    message_trail,
    record_digest,
    record_of,
)

MESSAGES = "messages"
MESSAGE_EVENTS = "message_events"  # one per message: its message.received (the outbox)
MESSAGE_CHAIN = "message_chain"
MESSAGE_CHAIN_DUE = "message_chain_due"
SIGNING_BLOCKS = "signing_blocks"
MESSAGE_INDEXES = [
    IndexSpec(MESSAGES, [("member_id", 1)]),
    IndexSpec(SIGNING_BLOCKS, [("member_id", 1)]),
    *trail_indexes(MESSAGE_CHAIN),
]
# ES-2: the relay writes only the events' documents, never a stored message.
OUTBOX_COLLECTIONS = [MESSAGE_EVENTS]
RECEIVED = "message.received"
PREFIX = message_trail("")
# What the chain's own verification finds, as the integrity check names it.
CHAIN_FINDINGS: dict[str, FindingKind] = {
    "rewritten": "rewritten",
    "truncated": "truncated",
    "emptied": "truncated",
}
log = logging.getLogger(__name__)


def _file_document(stored: StoredFile) -> Document:
    return {
        "file_name": stored.file_name,
        "media_type": stored.media_type,
        "content": stored.content,
        "sha256": stored.sha256,
        "size": stored.size,
    }


def _file(doc: Document) -> StoredFile:
    return StoredFile(doc["file_name"], doc["media_type"], bytes(doc["content"]))


def _document(message: Message) -> Document:
    verification = message.verification
    signer = verification.signer
    return {
        "_id": message.message_id,
        "member_id": message.member_id,
        "subject": message.subject,
        "content": _file_document(message.content),
        "attachments": [_file_document(a) for a in message.attachments],
        "signature": message.signature,
        "certificate": message.certificate,
        "verification": {
            "status": verification.status,
            "reason": verification.reason,
            "signer": {"subject": signer.subject, "serial": signer.serial} if signer else None,
            "signed_at": verification.signed_at.isoformat() if verification.signed_at else None,
        },
        # ISO strings, as received: the record hash must not depend on BSON's precision.
        "received_at": message.received_at.isoformat(),
        "sent_by": message.sent_by,
        "acting_for": message.acting_for,
        "content_sha256": message.content_sha256,
        "record_sha256": message.record_sha256,
    }


def _message(doc: Document) -> Message:
    v = doc["verification"]
    signer = v.get("signer")
    signed_at = v.get("signed_at")
    signature = doc.get("signature")
    certificate = doc.get("certificate")
    return Message(
        message_id=doc["_id"],
        member_id=doc["member_id"],
        subject=doc["subject"],
        content=_file(doc["content"]),
        attachments=tuple(_file(a) for a in doc.get("attachments") or []),
        signature=bytes(signature) if signature is not None else None,
        certificate=bytes(certificate) if certificate is not None else None,
        verification=Verification(
            v["status"],
            v.get("reason"),
            Signer(signer["subject"], signer["serial"]) if signer else None,
            datetime.fromisoformat(signed_at) if signed_at else None,
        ),
        received_at=datetime.fromisoformat(doc["received_at"]),
        sent_by=doc["sent_by"],
        acting_for=doc.get("acting_for"),
    )


def _stored_digest(doc: Document) -> str | None:
    """The record hash of a stored document as it is now (None: unreadable)."""
    try:
        return record_digest(record_of(_message(doc)))
    except (KeyError, TypeError, ValueError):
        return None


def _block(doc: Document) -> SigningBlock:
    return SigningBlock(
        member_id=doc["member_id"],
        seq=doc["seq"],
        blocked=doc["blocked"],
        reason=doc.get("reason"),
        changed_at=datetime.fromisoformat(doc["changed_at"]),
        changed_by=doc["changed_by"],
    )


def received_event(message: Message, *, source: str) -> Any:
    verification = message.verification
    return new_event(
        MESSAGE_RECEIVED,
        MessageReceivedV1(
            message_id=message.message_id,
            member_id=message.member_id,
            subject=message.subject,
            verification=verification.status,
            reason=verification.reason,
            signer_subject=verification.signer.subject if verification.signer else None,
            content_sha256=message.content_sha256,
            attachments=len(message.attachments),
            received_at=message.received_at,
            sent_by=message.sent_by,
            acting_for=message.acting_for,
        ),
        source=source,
        subject=message.member_id,
    )


class MessageStore:
    """``MessageStore`` port over MongoDB (see the module docstring)."""

    MAX_BLOCK_ATTEMPTS = 50

    def __init__(
        self,
        db: AsyncDatabase[Document],
        keys: AuditKeys,
        *,
        source: str,
        checkpoints: Callable[[], Awaitable[Mapping[str, Checkpoint]]] | None = None,
    ) -> None:
        """``checkpoints``: the newest published checkpoint of every chain (read from
        ``message.checkpoint``, outside the database); None: the chains are checked by
        their HMACs only (a removed newest message then goes unnoticed)."""
        self._checkpoints = checkpoints
        self._messages = db[MESSAGES]
        self._events = db[MESSAGE_EVENTS]
        self._blocks = db[SIGNING_BLOCKS]
        self._keys = keys
        self._chain = MongoAuditTrail(
            db, keys, collection=MESSAGE_CHAIN, due_collection=MESSAGE_CHAIN_DUE
        )
        self._source = source

    @property
    def chain(self) -> MongoAuditTrail:
        """The members' chains (their checkpoint publisher takes their heads)."""
        return self._chain

    def _record_mac(self, message_id: str, record_sha256: str, key_id: str | None) -> str | None:
        key = self._keys.get(key_id)
        if key is None:
            return None
        return key.mac({"message_id": message_id, "record_sha256": record_sha256})

    async def add(self, message: Message) -> None:
        """Insert the message, then its ``message.received``, then chain it (ES-2). The
        message's document is never written again (no ``_outbox`` in it: see the module
        docstring). It carries an HMAC of its record hash (``record_mac``): only a message
        written here can be announced and chained later by ``chain_unchained``."""
        document = _document(message)
        key_id = self._keys.current.key_id
        document["record_key_id"] = key_id
        document["record_mac"] = self._record_mac(message.message_id, message.record_sha256, key_id)
        await self._messages.insert_one(document)
        await self._announce(message)
        await self._chain_one(message.member_id, message.message_id, message.record_sha256)

    async def _announce(self, message: Message) -> None:
        """``message.received`` in the message's own event document (the outbox the relay
        publishes and empties); once per message: its ``_id`` is the message id."""
        event = received_event(message, source=self._source)
        with contextlib.suppress(DuplicateKeyError):  # announced before a crash
            await insert_with_events(
                self._events,
                {"_id": message.message_id, "member_id": message.member_id},
                outbox_entry(RECEIVED, event),
            )

    async def _chain_one(self, member_id: str, message_id: str, record_sha256: str) -> None:
        operation = Operation(
            action=RECEIVED,
            by=None,
            source=None,
            details={"message_id": message_id, "record_sha256": record_sha256},
        )
        await self._chain.record(message_trail(member_id), operation, op_id=message_id)

    async def get(self, message_id: str) -> Message | None:
        doc = await self._messages.find_one({"_id": message_id})
        return _message(doc) if doc is not None else None

    async def of_member(self, member_id: str) -> list[Message]:
        docs = await self._messages.find({"member_id": member_id}).to_list()
        return [_message(doc) for doc in docs]

    async def chain_unchained(self) -> int:
        """Announce (if not yet) and chain the stored messages a crash left out of the
        chain (at start); how many. Only a message whose stored record still matches the
        HMAC written with it: one put into (or changed in) the database by anyone else is
        neither announced nor chained, and the integrity check reports it."""
        chained = 0
        async for doc in self._messages.find({}, {"_outbox": 0}):
            if await self._chain.has(doc["_id"]):
                continue
            digest = _stored_digest(doc)
            expected = (
                self._record_mac(doc["_id"], digest, doc.get("record_key_id"))
                if digest is not None
                else None
            )
            if (
                digest is None
                or expected is None
                or not hmac.compare_digest(expected, str(doc.get("record_mac")))
            ):
                log.error(
                    "message not chained: its record does not match its HMAC",
                    extra={"message_id": doc["_id"]},
                )
                continue
            await self._announce(_message(doc))
            await self._chain_one(doc["member_id"], doc["_id"], digest)
            chained += 1
        return chained

    async def integrity(self, member_id: str | None = None) -> tuple[int, list[IntegrityFinding]]:
        """ES-2: every message (of ``member_id``) recomputed from what is stored and
        compared with its chained record hash; every chain verified (HMAC and links)."""
        query: Document = {} if member_id is None else {"member_id": member_id}
        stored: dict[str, dict[str, str | None]] = {}
        count = 0
        async for doc in self._messages.find(query, {"_outbox": 0}):
            count += 1
            stored.setdefault(str(doc.get("member_id")), {})[doc["_id"]] = _stored_digest(doc)
        known = dict(await self._checkpoints()) if self._checkpoints is not None else {}
        members = set(stored)
        if member_id is None:
            trails = {*await self._chain.collection.distinct("trail"), *known}
            members |= {t.removeprefix(PREFIX) for t in trails if t.startswith(PREFIX)}
        else:
            members.add(member_id)
        findings: list[IntegrityFinding] = []
        for member in sorted(members):
            checkpoint = known.get(message_trail(member))
            findings += await self._member_integrity(member, stored.get(member, {}), checkpoint)
        return count, findings

    async def _member_integrity(
        self, member_id: str, stored: dict[str, str | None], checkpoint: Checkpoint | None
    ) -> list[IntegrityFinding]:
        entries = await self._chain.entries(message_trail(member_id))
        findings = [
            IntegrityFinding(
                CHAIN_FINDINGS.get(f.kind, "chain"),
                member_id,
                None,
                f"chain entry {f.seq}: {f.kind}: {f.detail}",
            )
            for f in verify(entries, self._keys, checkpoint).findings
        ]
        chained = {
            str(e.operation.details.get("message_id")): str(
                e.operation.details.get("record_sha256")
            )
            for e in entries
        }
        return findings + integrity_findings(member_id, stored, chained)

    async def block_of(self, member_id: str) -> SigningBlock | None:
        docs = await self._blocks.find({"member_id": member_id}).to_list()
        newest = max(docs, key=lambda d: d["seq"], default=None)
        return _block(newest) if newest is not None else None

    async def save_block(self, block: SigningBlock) -> bool:
        """Insert ``block`` as its member's state ``seq``; False if a concurrent change
        took that ``seq`` first (the caller re-reads and goes after it)."""
        try:
            await self._blocks.insert_one(
                {
                    "_id": f"{block.member_id}:{block.seq:06d}",
                    "member_id": block.member_id,
                    "seq": block.seq,
                    "blocked": block.blocked,
                    "reason": block.reason,
                    "changed_at": block.changed_at.isoformat(),
                    "changed_by": block.changed_by,
                }
            )
        except DuplicateKeyError:
            return False
        return True
