"""inbox-svc's Mongo database: documents (with their stored letter PDFs and, for a paper
one, its print request in the document's outbox), the members' contacts and the inbox
switch of each member (issue 19 items 1, 2)."""

import contextlib
from datetime import UTC, datetime
from typing import Any, Literal

from bson import Binary
from mylm_shared.aggregates import store_indexes
from mylm_shared.events import (
    DOCUMENT_PRINT_REQUESTED,
    INBOX_SETTINGS_CHANGED,
    DocumentPrintRequestedV1,
    PostalAddressV1,
    new_event,
)
from mylm_shared.mongo import Document, IndexSpec
from mylm_shared.outbox import insert_with_events, outbox_entry
from mylm_shared.projections import apply_newer, insert_first
from mylm_shared.read_cache import ReadThroughCache
from mylm_shared.switch_store import SwitchMapper, switch_store
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from inbox.domain.documents import (
    Delivery,
    DocumentQuery,
    InboxDocument,
    MemberContact,
    PrintRequest,
)
from inbox.domain.inbox_settings import InboxState

DOCUMENTS = "documents"
CONTENTS = "document_contents"
MEMBERS = "members"
INBOX_SETTINGS = "inbox_settings"
SOURCE = "/inbox-svc"

INDEXES = [
    IndexSpec(DOCUMENTS, [("member_id", 1), ("created_at", -1)]),
    *store_indexes(INBOX_SETTINGS),
]
# Collections whose documents carry events for the relay (``mylm_shared.outbox``).
OUTBOX_COLLECTIONS = (DOCUMENTS, INBOX_SETTINGS)
# A read or archive flag written in place is checked and written again if a concurrent
# write of the other flag (FerretDB v1 applies ``$set`` between a read and a write of the
# whole document) put the old value back.
FLAG_ATTEMPTS = 5
Flag = Literal["read", "archived"]


class InboxSettingsMapper(SwitchMapper[InboxState]):
    """InboxState ↔ stored versions (no causes: only people switch it);
    ``InboxSwitched`` → ``inbox.settings_changed``."""

    def __init__(self) -> None:
        super().__init__(InboxState, INBOX_SETTINGS_CHANGED, causes=False)


class InboxRepository:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        languages: ReadThroughCache[str, str] | None = None,
    ) -> None:
        """``languages``: the members' languages kept in memory for a short while
        (``member_cache_*`` settings); none: every look-up reads the store."""
        self._documents = db[DOCUMENTS]
        self._contents = db[CONTENTS]
        self._members = db[MEMBERS]
        self._settings = switch_store(db, INBOX_SETTINGS, InboxSettingsMapper(), SOURCE)
        self._languages = (
            languages
            if languages is not None
            else ReadThroughCache[str, str](max_entries=0, ttl_seconds=0)
        )

    # ------------------------------------------------------------------ documents
    async def file(
        self,
        document: InboxDocument,
        *,
        pdf: bytes | None = None,
        print_request: PrintRequest | None = None,
    ) -> None:
        """Insert once, on its one channel (IN-3); a redelivered event finds the document
        there already. A letter's PDF is stored first (the document never shows without
        it); a paper document carries its print request in its outbox: delivered and
        requested in one write."""
        if pdf is not None:
            with contextlib.suppress(DuplicateKeyError):
                await self._contents.insert_one({"_id": document.document_id, "pdf": Binary(pdf)})
        stored = _to_document(document)
        try:
            if print_request is None:
                await self._documents.insert_one(stored)
            else:
                entry = outbox_entry(
                    DOCUMENT_PRINT_REQUESTED.topic,
                    new_event(
                        DOCUMENT_PRINT_REQUESTED,
                        _print_payload(print_request),
                        source=SOURCE,
                        subject=print_request.member_id,
                    ),
                )
                await insert_with_events(self._documents, stored, entry)
        except DuplicateKeyError:
            return

    async def find(self, member_id: str, query: DocumentQuery) -> list[InboxDocument]:
        """The member's documents in the inbox matching ``query``, newest first, then by
        id; up to ``query.limit``. Only ``member_id`` and the flags are equalities (the
        ones FerretDB v1 pushes down); the period and the cursor are ranges on top."""
        # one flat filter: FerretDB v1 pushes top-level equalities (``member_id``) down
        selection: Document = {"member_id": member_id, "channel": {"$ne": "paper"}}
        if query.kind is not None:
            selection["kind"] = query.kind
        if query.read is not None:
            selection["read"] = query.read
        if query.archived is not None:
            # documents filed before issue 19 have no flag: not archived
            selection["archived"] = True if query.archived else {"$ne": True}
        period: Document = {}
        if query.since is not None:
            period["$gte"] = query.since
        if query.until is not None:
            period["$lt"] = query.until
        if period:
            selection["created_at"] = period
        if query.after is not None:
            at, after_id = query.after.created_at, query.after.document_id
            selection["$or"] = [
                {"created_at": {"$lt": at}},
                {"created_at": at, "_id": {"$gt": after_id}},
            ]
        cursor = (
            self._documents.find(selection, {"_outbox": 0})
            .sort([("created_at", -1), ("_id", 1)])
            .limit(query.limit)
        )
        return [_from_document(d) for d in await cursor.to_list()]

    async def unread(self, member_id: str) -> int:
        """Unread documents in the inbox, not archived (the badge)."""
        return await self._documents.count_documents(
            {
                "member_id": member_id,
                "read": False,
                "channel": {"$ne": "paper"},
                "archived": {"$ne": True},
            }
        )

    async def get(self, document_id: str) -> InboxDocument | None:
        doc = await self._documents.find_one({"_id": document_id}, {"_outbox": 0})
        return _from_document(doc) if doc is not None else None

    async def set_flag(self, document_id: str, flag: Flag, value: bool) -> InboxDocument | None:
        """Idempotent: the flag is ``value`` afterwards (checked, see ``FLAG_ATTEMPTS``)."""
        for _ in range(FLAG_ATTEMPTS):
            await self._documents.update_one({"_id": document_id}, {"$set": {flag: value}})
            document = await self.get(document_id)
            if document is None or getattr(document, flag) == value:
                return document
        return await self.get(document_id)

    async def pdf_of(self, document_id: str) -> bytes | None:
        doc = await self._contents.find_one({"_id": document_id})
        return bytes(doc["pdf"]) if doc is not None else None

    # ------------------------------------------------------------------ inbox switch
    async def inbox_state(self, member_id: str) -> InboxState | None:
        return await self._settings.get(member_id)

    async def save_inbox_state(self, state: InboxState) -> None:
        """Raises ``AggregateExists`` / ``ConcurrentChange`` when another switch was
        stored first (the use case loads again and re-applies)."""
        await self._settings.save(state)

    # ------------------------------------------------------------------ members
    # The members' contacts: ``member.registered`` only inserts, only the
    # ``member.updated`` consumer (keyed by member) writes in place, never over a newer
    # state (``mylm_shared.projections``). Every write handled here drops the cached
    # language (even a refused one: the store holds the answer), so this replica files
    # in the new language at once, the others within the cache's TTL.
    async def remember_member(self, member_id: str, contact: MemberContact, as_of: str) -> None:
        try:
            await insert_first(self._members, member_id, _contact(contact), as_of)
        finally:
            self._languages.invalidate(member_id)

    async def update_member(self, member_id: str, contact: MemberContact, as_of: str) -> None:
        try:
            await apply_newer(self._members, member_id, _contact(contact), as_of)
        finally:
            self._languages.invalidate(member_id)

    async def language_of(self, member_id: str) -> str | None:
        """None while the member is not known yet (never cached: asked again next time)."""
        return await self._languages.get(member_id, lambda: self._stored_language(member_id))

    async def contact_of(self, member_id: str) -> MemberContact | None:
        """Read from the store (a paper document is rare: no cache)."""
        doc = await self._members.find_one({"_id": member_id})
        if doc is None or not isinstance(doc.get("language"), str):
            return None
        address = doc.get("address")
        return MemberContact(
            language=doc["language"],
            name=str(doc.get("name") or ""),
            mutuality=str(doc.get("mutuality") or ""),
            address=PostalAddressV1.model_validate(address) if address else None,
        )

    async def _stored_language(self, member_id: str) -> str | None:
        doc = await self._members.find_one({"_id": member_id}, {"language": 1})
        language = doc.get("language") if doc else None
        return language if isinstance(language, str) else None


def _contact(contact: MemberContact) -> Document:
    return {
        "language": contact.language,
        "name": contact.name,
        "mutuality": contact.mutuality,
        "address": contact.address.model_dump() if contact.address is not None else None,
        "updated_at": datetime.now(UTC),
    }


def _to_document(document: InboxDocument) -> Document:
    return {
        **({"body": document.body} if document.body is not None else {}),
        "_id": document.document_id,
        "member_id": document.member_id,
        "kind": document.kind,
        "title": document.title,
        "source_id": document.source_id,
        "created_at": document.created_at,
        "stored_at": datetime.now(UTC),  # insert time (benchmark's inbox stage)
        "read": document.read,
        "archived": document.archived,
        "channel": document.delivery.channel,
        "printed_by": document.delivery.printed_by,
        "has_pdf": document.has_pdf,
    }


def _from_document(d: Document) -> InboxDocument:
    printed_by: Any = d.get("printed_by")
    return InboxDocument(
        document_id=d["_id"],
        member_id=d["member_id"],
        kind=d["kind"],
        title=d["title"],
        source_id=d["source_id"],
        created_at=d["created_at"],
        read=d.get("read", False),
        body=d.get("body"),
        archived=bool(d.get("archived", False)),
        delivery=Delivery(d.get("channel", "inbox"), printed_by),
        has_pdf=bool(d.get("has_pdf", False)),
    )


def _print_payload(request: PrintRequest) -> DocumentPrintRequestedV1:
    return DocumentPrintRequestedV1(
        document_id=request.document_id,
        member_id=request.member_id,
        kind=request.kind,
        title=request.title,
        language=request.language,
        mutuality=request.mutuality,
        member_name=request.member_name,
        address=request.address,
        address_missing=request.address_missing,
        content=request.content.path,
        content_service=request.content.service,
        created_at=request.created_at,
    )
