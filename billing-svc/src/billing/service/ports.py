"""Ports of billing-svc's use cases (docs/architecture.md "Wiring"): Protocols the
adapters implement and the fakes of ``testkit/fakes/billing.py`` imitate."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from mylm_shared.aggregates import Message

from billing.domain.invoice_document import InvoiceDocument, PostalAddress
from billing.domain.invoice_lines import Channel
from billing.domain.maintenance import MaintenanceWindow
from billing.domain.terms import TermsVersion


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
    address: PostalAddress | None = None  # issue 18 item 3: None when not known

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
    address: PostalAddress | None = None  # issue 18 item 3


# Issue 18 items 5 and 6 (EI-6, EI-7): conditions, maintenance windows and the notices
# that announce them to every e-invoicing member.


class TermsVersions(Protocol):
    """The published versions of the e-invoicing conditions, one document per version
    (``_id`` = version: insert-only, a second insert of a version fails), each marked
    once announced to every e-invoicing member (the mark is in the same document, so a
    published version is never forgotten)."""

    async def all(self) -> list[TermsVersion]: ...

    async def add(self, version: TermsVersion) -> bool:
        """Stores ``version`` (not announced yet); False when that version is stored."""
        ...

    async def unannounced(self) -> list[TermsVersion]: ...

    async def mark_announced(self, version: str) -> None: ...


class MaintenanceWindows(Protocol):
    """Planned maintenance windows, one document per window (``_id`` = window id),
    marked once announced (as ``TermsVersions``)."""

    async def all(self) -> list[MaintenanceWindow]: ...

    async def add(self, window_id: str, window: MaintenanceWindow) -> bool:
        """Stores ``window``; False when a window with that id is stored already."""
        ...

    async def unannounced(self) -> list[MaintenanceWindow]: ...

    async def mark_announced(self, window_id: str) -> None: ...


class Notices(Protocol):
    """The fan-out of a notice in batches (the resumable cursor): each batch is one
    insert-only document ``<notice id>:<n>`` holding its members' events (its outbox)
    and the last member id it covers."""

    async def resume(self, notice_id: str) -> tuple[int, str] | None:
        """The next batch number and the member id the previous batch ended at
        (``(0, "")`` at the start); None when the last batch is written."""
        ...

    async def add_batch(
        self, notice_id: str, number: int, after: str, messages: Sequence[Message], last: bool
    ) -> None:
        """Batch ``number`` with its events, ending at member ``after``; a batch already
        written (a crash between its insert and the next) is left as it is."""
        ...


class EInvoicingMembers(Protocol):
    """Members with e-invoicing on now, in member id order, a page at a time."""

    async def enabled_after(self, after: str, limit: int) -> tuple[list[str], str, bool]:
        """Members after ``after`` with e-invoicing on (about ``limit`` states read), the
        member id the page ends at (the next cursor) and whether no member follows."""
        ...
