"""A fake of the portal's inbox port (``portal.upstream.inbox.InboxPort``), in memory
(issue 20 item 2): documents with read/archived marks, their PDFs, sent messages with a
verification the test decides, the inbox switch (IN-3). Access as inbox-svc checks it:
another member's dossier is a 403, another member's document or message a 404."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from portal.ports import Download, ServiceProblem
from portal.upstream.inbox import (
    DocumentPage,
    InboxDocument,
    Mark,
    MessagePage,
    SentFile,
    SentMessage,
    Upload,
    Verification,
)

from testkit.fakes.portal import FakeIdentity


def document(
    document_id: str,
    title: str,
    *,
    kind: str = "invoice",
    days_ago: int = 0,
    read: bool = False,
    archived: bool = False,
    body: str | None = None,
) -> InboxDocument:
    return InboxDocument(
        document_id=document_id,
        kind=kind,
        title=title,
        source="billing" if kind.startswith("invoice") else "claims",
        source_id=f"src-{document_id}",
        created_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC) - timedelta(days=days_ago),
        read=read,
        archived=archived,
        body=body,
        download=f"/v1/invoices/src-{document_id}.pdf" if kind == "invoice" else None,
        content=f"/v1/documents/{document_id}/content",
    )


def _flag(value: bool | None, actual: bool) -> bool:
    return value is None or value == actual


@dataclass
class FakeInbox:
    identity: FakeIdentity
    documents_of: dict[str, list[InboxDocument]] = field(default_factory=dict)  # newest first
    pdf: bytes = b"%PDF-1.7 fake letter"
    # the verification the next signed message gets (unsigned ones: "unsigned")
    verdict: Verification = field(default_factory=lambda: Verification("valid"))
    sent: dict[str, list[SentMessage]] = field(default_factory=dict)
    uploads: list[tuple[str, Upload, list[Upload], Upload | None]] = field(default_factory=list)
    enabled: dict[str, bool] = field(default_factory=dict)
    failure: ServiceProblem | None = None  # raised by send_message when set

    def _dossier(self, access_token: str, member_id: str) -> None:
        if self.identity.member_of(access_token).member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")

    def _own(self, access_token: str, document_id: str) -> tuple[list[InboxDocument], int]:
        member = self.identity.member_of(access_token)
        mine = self.documents_of.get(member.member_id, [])
        for at, found in enumerate(mine):
            if found.document_id == document_id:
                return mine, at
        return mine, -1

    async def documents(
        self,
        access_token: str,
        member_id: str,
        *,
        read: bool | None = None,
        archived: bool | None = None,
        kind: str | None = None,
        cursor: str | None = None,
        limit: int = 20,
    ) -> DocumentPage:
        self._dossier(access_token, member_id)
        mine = self.documents_of.get(member_id, [])
        found = [
            d
            for d in mine
            if _flag(read, d.read)
            and _flag(archived, d.archived)
            and (kind is None or d.kind == kind)
        ]
        start = 0
        if cursor is not None:
            if not cursor.startswith("at-") or not cursor[3:].isdigit():
                raise ServiceProblem(422, "not a cursor this listing handed out")
            start = int(cursor[3:])
        page = found[start : start + limit]
        more = start + limit < len(found)
        return DocumentPage(
            items=tuple(page),
            unread=sum(1 for d in mine if not d.read and not d.archived),
            next_cursor=f"at-{start + limit}" if more else None,
        )

    async def unread_count(self, access_token: str, member_id: str) -> int:
        return (await self.documents(access_token, member_id, limit=1)).unread

    async def mark(
        self, access_token: str, document_id: str, mark: Mark, on: bool
    ) -> InboxDocument | None:
        mine, at = self._own(access_token, document_id)
        if at < 0:
            return None
        found = mine[at]
        changed = replace(found, read=on) if mark == "read" else replace(found, archived=on)
        mine[at] = changed
        return changed

    async def content(self, access_token: str, document_id: str) -> Download | None:
        _, at = self._own(access_token, document_id)
        if at < 0:
            return None
        data = self.pdf

        async def chunks() -> AsyncIterator[bytes]:
            yield data[:4]
            yield data[4:]

        return Download(
            "application/pdf", f'inline; filename="document-{document_id}.pdf"', chunks()
        )

    async def send_message(
        self,
        access_token: str,
        member_id: str,
        subject: str,
        content: Upload,
        attachments: list[Upload],
        signature: Upload | None,
    ) -> SentMessage:
        self._dossier(access_token, member_id)
        if self.failure is not None:
            raise self.failure
        if not content.data:
            raise ServiceProblem(422, "The content file is empty.")
        self.uploads.append((subject, content, attachments, signature))
        mine = self.sent.setdefault(member_id, [])
        message = SentMessage(
            message_id=f"msg-{member_id}-{len(mine) + 1}",
            subject=subject,
            verification=self.verdict if signature is not None else Verification("unsigned"),
            received_at=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
            content=SentFile(content.file_name, content.media_type, len(content.data)),
            attachments=tuple(
                SentFile(a.file_name, a.media_type, len(a.data)) for a in attachments
            ),
            signed=signature is not None,
        )
        mine.insert(0, message)
        return message

    async def messages(
        self, access_token: str, member_id: str, cursor: str | None = None, limit: int = 20
    ) -> MessagePage:
        self._dossier(access_token, member_id)
        mine = self.sent.get(member_id, [])
        start = int(cursor[3:]) if cursor else 0
        more = start + limit < len(mine)
        return MessagePage(
            tuple(mine[start : start + limit]), f"at-{start + limit}" if more else None
        )

    async def message(self, access_token: str, message_id: str) -> SentMessage | None:
        member = self.identity.member_of(access_token)
        mine = self.sent.get(member.member_id, [])
        return next((m for m in mine if m.message_id == message_id), None)

    async def inbox_settings(self, access_token: str, member_id: str) -> bool:
        self._dossier(access_token, member_id)
        return self.enabled.get(member_id, True)  # IN-2: on for a member who never switched

    async def set_inbox_settings(self, access_token: str, member_id: str, enabled: bool) -> bool:
        self._dossier(access_token, member_id)
        self.enabled[member_id] = enabled
        return enabled
