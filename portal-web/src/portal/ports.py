"""The portal's own ports and shared types: its session and session store, a service's
problem, a streamed download. The services' ports: ``portal.upstream.<service>``."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
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
    # Issue 20 item 2 (AC-2, AC-5): a dependant's dossier open instead of one's own, with
    # the access token identity exchanged for it (RFC 8693; no refresh token of its own:
    # re-exchanged with the member's token when it expires). None: one's own (AC-1).
    dossier_member_id: str | None = None
    dossier_name: str | None = None
    dossier_token: str | None = None
    dossier_expires_at: datetime | None = None
    # The dependant whose dossier just closed (identity refused it: AC-3, AC-4, AC-6),
    # told once on the dossiers page.
    dossier_closed: str | None = None
    # Issue 20 item 2 (account pages): what a flow keeps between its steps, server-side
    # (CSAM: the login's browser binding, a pending sign-up; registration and reset: the
    # request id of the code sent). Cleared at log-in (a new session).
    pending: dict[str, str] = field(default_factory=dict)

    @property
    def logged_in(self) -> bool:
        return self.access_token is not None and self.member_id is not None

    @property
    def acting(self) -> bool:
        """A dependant's dossier is open (the member acts for them)."""
        return self.dossier_member_id is not None


class DossierClosed(Exception):
    """The dependant's dossier that was open is closed now: identity refused the
    exchange or a service refused its token (AC-3, AC-5 withdrawn, AC-6 the 18th
    birthday); the member is sent to the dossiers page, which tells why."""


class SessionStore(Protocol):
    async def get(self, key: str) -> PortalSession | None: ...
    async def put(self, session: PortalSession) -> None: ...
    async def delete(self, key: str) -> None: ...
