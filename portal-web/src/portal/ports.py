"""What the portal needs from identity, billing and its session store (the ports);
the adapters are in ``portal.adapters``, fakes in the unit tests."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
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
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Member:
    member_id: str
    first_name: str
    last_name: str
    language: str
    member_number: str
    mutuality: str


@dataclass(frozen=True)
class InvoiceLine:
    service_date: date
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    issue_date: date
    due_date: date
    total: Decimal
    outstanding: Decimal
    status: str  # open | paid | overdue | cancelled
    structured_reference: str
    lines: tuple[InvoiceLine, ...] = field(default=())


@dataclass(frozen=True)
class Download:
    """A file streamed from a service: its chunks close the upstream answer when done."""

    media_type: str
    disposition: str
    chunks: AsyncIterator[bytes]


class IdentityPort(Protocol):
    async def log_in(
        self, username: str, password: str, client_address: str | None = None
    ) -> TokenPair: ...
    async def refresh(self, refresh_token: str) -> TokenPair: ...
    async def revoke(self, refresh_token: str) -> None: ...
    async def log_out_everywhere(self, access_token: str) -> None: ...
    async def me(self, access_token: str) -> Member | None: ...


class BillingPort(Protocol):
    async def open_invoices(self, access_token: str, member_id: str) -> list[Invoice]: ...
    async def invoice(self, access_token: str, invoice_id: str) -> Invoice | None: ...
    async def invoice_pdf(self, access_token: str, invoice_id: str) -> Download | None: ...


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
