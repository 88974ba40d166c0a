"""inbox-svc as the portal uses it (issue 20 item 2; docs/services/inbox.md): the member's
documents (the unread count, a page with filters and a cursor, read/unread,
archive/unarchive, the content), messages to the mutuality (sent multipart with an
optional eID signature, listed, one), and the inbox switch (IN-3) the settings use."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

import httpx

from portal.ports import Download, ServiceProblem
from portal.upstream.http import bearer, download, problem, send

Mark = Literal["read", "archive"]


@dataclass(frozen=True)
class InboxDocument:
    document_id: str
    kind: str
    title: str  # in the member's language when it was filed
    source: str  # billing, policy, claims
    source_id: str
    created_at: datetime
    read: bool
    archived: bool
    body: str | None = None  # a letter's text
    download: str | None = None  # the owning service's PDF path
    content: str | None = None  # set when /v1/documents/{id}/content serves something


@dataclass(frozen=True)
class DocumentPage:
    items: tuple[InboxDocument, ...]
    unread: int  # unread and not archived, whatever the filters (the badge)
    next_cursor: str | None


@dataclass(frozen=True)
class Upload:
    """A file the member gave in a form, passed on as it came."""

    file_name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Verification:
    status: str  # valid | rejected | unsigned
    reason: str | None = None
    signer: str | None = None  # the signer certificate's subject
    signed_at: datetime | None = None


@dataclass(frozen=True)
class SentFile:
    file_name: str
    media_type: str
    size: int


@dataclass(frozen=True)
class SentMessage:
    message_id: str
    subject: str
    verification: Verification
    received_at: datetime | None = None
    content: SentFile | None = None
    attachments: tuple[SentFile, ...] = field(default=())
    signed: bool = False


@dataclass(frozen=True)
class MessagePage:
    items: tuple[SentMessage, ...]
    next_cursor: str | None


class InboxPort(Protocol):
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
    ) -> DocumentPage: ...

    async def unread_count(self, access_token: str, member_id: str) -> int: ...

    async def mark(
        self, access_token: str, document_id: str, mark: Mark, on: bool
    ) -> InboxDocument | None:
        """Set (``on``) or clear a mark; the document back, None when not the member's."""
        ...

    async def content(self, access_token: str, document_id: str) -> Download | None: ...

    async def send_message(
        self,
        access_token: str,
        member_id: str,
        subject: str,
        content: Upload,
        attachments: list[Upload],
        signature: Upload | None,
    ) -> SentMessage: ...

    async def messages(
        self, access_token: str, member_id: str, cursor: str | None = None, limit: int = 20
    ) -> MessagePage: ...

    async def message(self, access_token: str, message_id: str) -> SentMessage | None: ...

    async def inbox_settings(self, access_token: str, member_id: str) -> bool:
        """IN-2/IN-3: the member's inbox on (True) or off (documents by post)."""
        ...

    async def set_inbox_settings(self, access_token: str, member_id: str, enabled: bool) -> bool:
        """IN-3: switch the inbox on or off; the state in force after it."""
        ...


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _document(body: dict[str, Any]) -> InboxDocument:
    return InboxDocument(
        document_id=str(body["document_id"]),
        kind=str(body["kind"]),
        title=str(body["title"]),
        source=str(body.get("source", "")),
        source_id=str(body.get("source_id", "")),
        created_at=datetime.fromisoformat(body["created_at"]),
        read=bool(body["read"]),
        archived=bool(body["archived"]),
        body=body.get("body"),
        download=body.get("download"),
        content=body.get("content"),
    )


def _file(body: dict[str, Any]) -> SentFile:
    return SentFile(str(body["file_name"]), str(body["media_type"]), int(body["size"]))


def _verification(body: dict[str, Any]) -> Verification:
    signer = body.get("signer") or {}
    return Verification(
        status=str(body["status"]),
        reason=body.get("reason"),
        signer=signer.get("subject"),
        signed_at=_when(body.get("signed_at")),
    )


def _message(body: dict[str, Any]) -> SentMessage:
    return SentMessage(
        message_id=str(body["message_id"]),
        subject=str(body.get("subject", "")),
        verification=_verification(body["verification"]),
        received_at=_when(body.get("received_at")),
        content=_file(body["content"]) if body.get("content") else None,
        attachments=tuple(_file(a) for a in body.get("attachments", [])),
        signed=bool(body.get("signed", False)),
    )


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


class HttpInbox:
    """inbox-svc's member routes, called with the member's own access token.

    Content served by its owner (an invoice, a reminder, policy conditions) answers 303:
    the portal follows it server-side, but to the owner at the portal's own configured
    URL (``owners``: the Location's ``/v1/invoices/…`` → billing, ``/v1/policies/…`` →
    policy), never to the host the Location names — inbox-svc's public base URLs are a
    deployment setting for browsers and curl (its own port locally, a relative gateway
    path in Kubernetes), and the member's token must only go where the portal sends it.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        *,
        billing_url: str,
        policy_url: str,
    ) -> None:
        self._client = client
        self._base = base_url.rstrip("/")
        self._owners = {
            "/v1/invoices/": billing_url.rstrip("/"),
            "/v1/policies/": policy_url.rstrip("/"),
        }

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
        url = f"{self._base}/v1/members/{member_id}/documents"
        given = {
            "read": _flag(read),
            "archived": _flag(archived),
            "kind": kind,
            "cursor": cursor,
            "limit": str(limit),
        }
        params = {k: v for k, v in given.items() if v is not None}
        response = await send(self._client, "GET", url, params=params, headers=bearer(access_token))
        body = response.json()
        return DocumentPage(
            items=tuple(_document(item) for item in body["items"]),
            unread=int(body.get("unread", 0)),
            next_cursor=body.get("next_cursor"),
        )

    async def unread_count(self, access_token: str, member_id: str) -> int:
        page = await self.documents(access_token, member_id, archived=False, read=False, limit=1)
        return page.unread

    async def mark(
        self, access_token: str, document_id: str, mark: Mark, on: bool
    ) -> InboxDocument | None:
        url = f"{self._base}/v1/documents/{document_id}/{mark}"
        try:
            response = await send(
                self._client, "POST" if on else "DELETE", url, headers=bearer(access_token)
            )
        except ServiceProblem as refused:
            if refused.status == 404:
                return None
            raise
        return _document(response.json())

    def _owner_url(self, location: str) -> str | None:
        path = urlsplit(location).path
        at = path.find("/v1/")
        if at < 0:
            return None
        path = path[at:]
        for prefix, base in self._owners.items():
            if path.startswith(prefix) and ".." not in path:
                return base + path
        return None

    async def content(self, access_token: str, document_id: str) -> Download | None:
        """The document's PDF, streamed: stored with the document (a letter), or its
        owner's download (303, followed to the owner at the portal's own URL)."""
        url = f"{self._base}/v1/documents/{document_id}/content"
        disposition = f'inline; filename="document-{document_id}.pdf"'
        request = self._client.build_request("GET", url, headers=bearer(access_token))
        try:
            response = await self._client.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as error:
            raise ServiceProblem(503, "not answering") from error
        if response.status_code != 200:
            await response.aread()
            await response.aclose()
            if response.status_code == 303:
                owner = self._owner_url(response.headers.get("location", ""))
                if owner is None:
                    raise ServiceProblem(502, "content served by an unknown service")
                return await download(
                    self._client, owner, access_token, "application/pdf", disposition
                )
            if response.status_code == 404:
                return None
            raise problem(response)

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.aiter_bytes():
                    yield chunk
            finally:
                await response.aclose()

        return Download(
            media_type=response.headers.get("content-type", "application/pdf"),
            disposition=response.headers.get("content-disposition", disposition),
            chunks=chunks(),
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
        url = f"{self._base}/v1/members/{member_id}/messages"
        files: list[tuple[str, tuple[str, bytes, str]]] = [
            ("content", (content.file_name, content.data, content.media_type))
        ]
        files += [("attachments", (a.file_name, a.data, a.media_type)) for a in attachments]
        if signature is not None:
            files.append(("signature", (signature.file_name, signature.data, signature.media_type)))
        response = await send(
            self._client,
            "POST",
            url,
            data={"subject": subject},
            files=files,
            headers=bearer(access_token),
        )
        body = response.json()
        return SentMessage(
            message_id=str(body["message_id"]),
            subject=subject,
            verification=_verification(body["verification"]),
            signed=signature is not None,
        )

    async def messages(
        self, access_token: str, member_id: str, cursor: str | None = None, limit: int = 20
    ) -> MessagePage:
        url = f"{self._base}/v1/members/{member_id}/messages"
        params = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        response = await send(self._client, "GET", url, params=params, headers=bearer(access_token))
        body = response.json()
        return MessagePage(
            items=tuple(_message(item) for item in body["items"]),
            next_cursor=body.get("next_cursor"),
        )

    async def message(self, access_token: str, message_id: str) -> SentMessage | None:
        url = f"{self._base}/v1/messages/{message_id}"
        try:
            response = await send(self._client, "GET", url, headers=bearer(access_token))
        except ServiceProblem as refused:
            if refused.status == 404:
                return None
            raise
        return _message(response.json())

    async def inbox_settings(self, access_token: str, member_id: str) -> bool:
        url = f"{self._base}/v1/members/{member_id}/inbox-settings"
        response = await send(self._client, "GET", url, headers=bearer(access_token))
        return bool(response.json()["enabled"])

    async def set_inbox_settings(self, access_token: str, member_id: str, enabled: bool) -> bool:
        url = f"{self._base}/v1/members/{member_id}/inbox-settings"
        response = await send(
            self._client, "PUT", url, json={"enabled": enabled}, headers=bearer(access_token)
        )
        return bool(response.json()["enabled"])
