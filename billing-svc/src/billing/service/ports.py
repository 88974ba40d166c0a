"""Ports of billing-svc's use cases (docs/architecture.md "Wiring"): Protocols the
adapters implement and the fakes of ``testkit/fakes/billing.py`` imitate."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from billing.domain.invoice_document import InvoiceDocument
from billing.domain.invoice_lines import Channel


class EInvoicingChannels(Protocol):
    """rule EI-2, EI-3: the channel of an invoice issued to ``member_id`` at ``at``
    (``electronic`` while e-invoicing is on, ``paper`` otherwise), read once at issue."""

    async def channel_at(self, member_id: str, at: datetime) -> Channel: ...


@dataclass(frozen=True)
class MemberCard:
    """What billing's member projection knows of a member besides language and
    mutuality: the printed name and the titular (a dependant's)."""

    member_id: str
    language: str
    mutuality: str
    first_name: str = ""
    last_name: str = ""
    titular_member_id: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.member_id


class MemberCards(Protocol):
    """billing's member projection, read for the lines' beneficiaries and the PDF."""

    async def card(self, member_id: str) -> MemberCard | None: ...

    async def dependants_of(self, member_id: str) -> frozenset[str]:
        """The members whose titular is ``member_id`` (as the directory last said)."""
        ...


class InvoicePdfs(Protocol):
    """The rendered PDFs, one per invoice, insert-only: every download the same bytes."""

    async def get(self, invoice_id: str) -> bytes | None: ...

    async def add(self, invoice_id: str, pdf: bytes) -> bytes:
        """Stores ``pdf`` unless one is stored already; answers the stored bytes (the
        first render wins when two downloads race)."""
        ...


# Renders an invoice document to PDF bytes (``billing.adapters.invoice_pdf.render``);
# CPU-bound, so the use case runs it off the event loop.
PdfRenderer = Callable[[InvoiceDocument], bytes]


@dataclass(frozen=True)
class MemberDetails:
    """From ``member.registered`` / ``member.updated``: stored beside language and
    mutuality by ``KnownMembers.remember`` / ``update``."""

    first_name: str = ""
    last_name: str = ""
    titular_member_id: str | None = None
