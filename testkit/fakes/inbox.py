"""The fake of inbox-svc's port (``inbox.service.handlers.Inbox``)."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from inbox.adapters.repository import InboxSettingsMapper
from inbox.bootstrap import bootstrap
from inbox.domain.documents import (
    DocumentQuery,
    InboxDocument,
    MemberContact,
    PrintRequest,
    listing_order,
)
from inbox.domain.inbox_settings import InboxState
from inbox.domain.messages import (
    IntegrityFinding,
    SignatureCheck,
    Signer,
    SigningBlock,
    integrity_findings,
)
from inbox.domain.messages import Message as MemberMessage
from inbox.service.handlers import Flag
from inbox.service.use_cases import InboxUseCases
from inbox.settings import InboxSettings
from mylm_shared.aggregates import Message
from mylm_shared.auth import Clock, utc_now

from testkit.fakes.shared import InMemoryAggregates, apply_in_memory


@dataclass
class FakeInbox:
    """Documents by id (a second insert of an id keeps the first), their stored PDFs,
    the print requests that would have gone to the bus, the inbox switches (the Mongo
    store's versioning, ``InMemoryAggregates``) and the members' contacts, ``as_of``
    ordering them as ``mylm_shared.projections`` does."""

    documents: dict[str, InboxDocument] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    print_requests: list[PrintRequest] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: InMemoryAggregates[InboxState] = field(
        default_factory=lambda: InMemoryAggregates(InboxSettingsMapper())
    )

    async def file(
        self,
        document: InboxDocument,
        *,
        pdf: bytes | None = None,
        print_request: PrintRequest | None = None,
    ) -> None:
        if pdf is not None:
            self.pdfs.setdefault(document.document_id, pdf)
        if document.document_id in self.documents:
            return
        self.documents[document.document_id] = document
        if print_request is not None:
            self.print_requests.append(print_request)

    async def find(self, member_id: str, query: DocumentQuery) -> list[InboxDocument]:
        mine = [d for d in self.documents.values() if d.member_id == member_id]
        return sorted((d for d in mine if query.matches(d)), key=listing_order)[: query.limit]

    async def unread(self, member_id: str) -> int:
        return sum(
            1
            for d in self.documents.values()
            if d.member_id == member_id and d.in_inbox and not d.read and not d.archived
        )

    async def get(self, document_id: str) -> InboxDocument | None:
        return self.documents.get(document_id)

    async def set_flag(self, document_id: str, flag: Flag, value: bool) -> InboxDocument | None:
        document = self.documents.get(document_id)
        if document is None:
            return None
        changed = (
            replace(document, read=value) if flag == "read" else replace(document, archived=value)
        )
        self.documents[document_id] = changed
        return changed

    async def pdf_of(self, document_id: str) -> bytes | None:
        return self.pdfs.get(document_id)

    async def inbox_state(self, member_id: str) -> InboxState | None:
        return await self.settings.get(member_id)

    async def save_inbox_state(self, state: InboxState) -> None:
        await self.settings.save(state)

    @property
    def published(self) -> list[Message]:
        """The ``inbox.settings_changed`` messages the switches raised."""
        return self.settings.published

    async def remember_member(self, member_id: str, contact: MemberContact, as_of: str) -> None:
        apply_in_memory(self.members, member_id, {"contact": contact}, as_of, first=True)

    async def update_member(self, member_id: str, contact: MemberContact, as_of: str) -> None:
        apply_in_memory(self.members, member_id, {"contact": contact}, as_of, first=False)

    async def language_of(self, member_id: str) -> str | None:
        contact = await self.contact_of(member_id)
        return contact.language if contact is not None else None

    async def contact_of(self, member_id: str) -> MemberContact | None:
        contact = self.members.get(member_id, {}).get("contact")
        return contact if isinstance(contact, MemberContact) else None


@dataclass
class FakeMessageStore:
    """``inbox.service.messages.MessageStore`` in memory (ES-1..ES-3): messages by id
    (append-only: a second add of an id is refused), the record hash "chained" when each
    was added (a test alters ``messages`` to simulate a change in the database), the
    ``message.received`` events that would have gone to the bus, the signing blocks."""

    messages: dict[str, MemberMessage] = field(default_factory=dict)
    chained: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (member, hash)
    received: list[MemberMessage] = field(default_factory=list)
    blocks: dict[tuple[str, int], SigningBlock] = field(default_factory=dict)

    async def add(self, message: MemberMessage) -> None:
        if message.message_id in self.messages:
            raise KeyError(f"message {message.message_id} exists (append-only)")
        self.messages[message.message_id] = message
        self.received.append(message)
        self.chained[message.message_id] = (message.member_id, message.record_sha256)

    async def get(self, message_id: str) -> MemberMessage | None:
        return self.messages.get(message_id)

    async def of_member(self, member_id: str) -> list[MemberMessage]:
        return [m for m in self.messages.values() if m.member_id == member_id]

    async def block_of(self, member_id: str) -> SigningBlock | None:
        mine = [b for (member, _), b in self.blocks.items() if member == member_id]
        return max(mine, key=lambda b: b.seq, default=None)

    async def save_block(self, block: SigningBlock) -> bool:
        key = (block.member_id, block.seq)
        if key in self.blocks:
            return False
        self.blocks[key] = block
        return True

    async def integrity(self, member_id: str | None = None) -> tuple[int, list[IntegrityFinding]]:
        members = {m.member_id for m in self.messages.values()} | {
            member for member, _ in self.chained.values()
        }
        if member_id is not None:
            members &= {member_id}
        findings: list[IntegrityFinding] = []
        count = 0
        for member in sorted(members):
            stored: dict[str, str | None] = {
                m.message_id: m.record_sha256
                for m in self.messages.values()
                if m.member_id == member
            }
            count += len(stored)
            chained = {i: h for i, (owner, h) in self.chained.items() if owner == member}
            findings += integrity_findings(member, stored, chained)
        return count, findings


@dataclass
class FakeVerifier:
    """``inbox.service.messages.SignatureVerifier``: answers ``check`` for every
    signature (the real CMS checks are integration-tested against openssl)."""

    check: SignatureCheck = field(
        default_factory=lambda: SignatureCheck("valid", None, Signer("CN=Jan", "01"), None, b"c")
    )
    seen: list[tuple[bytes, bytes, datetime]] = field(default_factory=list)

    async def verify(
        self, content: bytes, signature: bytes, received_at: datetime
    ) -> SignatureCheck:
        self.seen.append((content, signature, received_at))
        return self.check


class InboxFakes:
    """inbox's ports faked; ``use_cases()`` wires them with ``inbox.bootstrap.bootstrap``."""

    def __init__(self, settings: InboxSettings | None = None, *, clock: Clock = utc_now) -> None:
        self.settings = settings or InboxSettings(profile="test")
        self.inbox = FakeInbox()
        self.messages = FakeMessageStore()
        self.verifier = FakeVerifier()
        self.clock = clock

    def use_cases(self) -> InboxUseCases:
        return bootstrap(
            self.settings,
            inbox=self.inbox,
            messages=self.messages,
            verifier=self.verifier,
            clock=self.clock,
        )
