"""The portal's own ports and shared types: its session and session store, a service's
problem, a streamed download. The services' ports: ``portal.upstream.<service>``."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

Language = Literal["nl", "fr"]


class ServiceProblem(Exception):
    """A problem+json answer (RFC 9457) of a service, or the service not answering (503)."""

    def __init__(self, status: int, detail: str = "", retry_after: int | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True)
class Download:
    """A file streamed from a service: its chunks close the upstream answer when done."""

    media_type: str
    disposition: str
    chunks: AsyncIterator[bytes]


@dataclass
class PortalSession:
    """One browser's session, server-side. ``key`` is the SHA-256 of the cookie's id."""

    key: str
    csrf: str
    language: Language
    created_at: datetime
    last_seen: datetime
    member_id: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    access_expires_at: datetime | None = None

    @property
    def logged_in(self) -> bool:
        return self.access_token is not None and self.member_id is not None


class SessionStore(Protocol):
    async def get(self, key: str) -> PortalSession | None: ...
    async def put(self, session: PortalSession) -> None: ...
    async def delete(self, key: str) -> None: ...
