"""Fakes of billing-svc's ports (``billing.service``): the members it knows and the
payment journal. The invoice store is ``testkit.fakes.shared.InMemoryAggregates``."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from billing.adapters.einvoicing import EInvoicingMapper
from billing.adapters.repository import InvoiceMapper
from billing.bootstrap import bootstrap
from billing.domain.einvoicing import SYSTEM, EInvoicing, Switch
from billing.domain.invoice import Invoice
from billing.domain.maintenance import MaintenanceWindow
from billing.domain.payment import RecordedPayment
from billing.domain.terms import TermsVersion
from billing.service.ports import MemberCard, MemberDetails
from billing.service.use_cases import BillingUseCases
from billing.settings import BillingSettings
from mylm_shared.aggregates import AGGREGATE_ID, VERSION, Message, version_id

from testkit.fakes.shared import CountingSequence, InMemoryAggregates, apply_in_memory


class FakeMembers:
    """``KnownMembers``: ``known`` members start in Dutch at "LM Plus"; ``as_of`` orders
    later states as ``mylm_shared.projections`` does."""

    def __init__(self, *known: str) -> None:
        self.members: dict[str, dict[str, Any]] = {
            member: {"language": "nl", "mutuality": "LM Plus"} for member in known
        }

    async def remember(
        self,
        member_id: str,
        language: str,
        mutuality: str,
        as_of: str,
        *,
        details: MemberDetails | None = None,
    ) -> None:
        fields = {"language": language, "mutuality": mutuality, **_details(details)}
        apply_in_memory(self.members, member_id, fields, as_of, first=True)

    async def update(
        self,
        member_id: str,
        language: str,
        mutuality: str,
        as_of: str,
        *,
        details: MemberDetails | None = None,
    ) -> None:
        fields = {"language": language, "mutuality": mutuality, **_details(details)}
        apply_in_memory(self.members, member_id, fields, as_of, first=False)

    async def card(self, member_id: str) -> MemberCard | None:
        member = self.members.get(member_id)
        if member is None:
            return None
        return MemberCard(
            member_id,
            str(member["language"]),
            str(member["mutuality"]),
            str(member.get("first_name") or ""),
            str(member.get("last_name") or ""),
            member.get("titular_member_id"),
            member.get("address"),
        )

    async def dependants_of(self, member_id: str) -> frozenset[str]:
        return frozenset(
            m for m, fields in self.members.items() if fields.get("titular_member_id") == member_id
        )

    async def known(self, member_id: str) -> bool:
        return member_id in self.members

    async def language_of(self, member_id: str) -> str | None:
        member = self.members.get(member_id)
        return str(member["language"]) if member else None


class FakeJournal:
    """``PaymentJournal``: insert-only by payment id; the worklist newest first."""

    def __init__(self) -> None:
        self.records: dict[str, RecordedPayment] = {}

    async def get(self, payment_id: str) -> RecordedPayment | None:
        return self.records.get(payment_id)

    async def add(self, record: RecordedPayment) -> bool:
        if record.payment.payment_id in self.records:
            return False
        self.records[record.payment.payment_id] = record
        return True

    async def worklist(self, *, limit: int, offset: int) -> list[RecordedPayment]:
        found = [r for r in self.records.values() if r.needs_review]
        found.sort(key=lambda r: r.recorded_at, reverse=True)
        return found[offset : offset + limit]


class BillingFakes:
    """Every port of billing faked; ``use_cases()`` wires them with
    ``billing.bootstrap.bootstrap``, as the service does with its Mongo adapters."""

    def __init__(
        self, *known: str, settings: BillingSettings | None = None, with_accounts: bool = True
    ) -> None:
        self.settings = settings or BillingSettings(profile="test")
        self.invoices: InMemoryAggregates[Invoice] = InMemoryAggregates(InvoiceMapper())
        self.members = FakeMembers(*known)
        self.references = CountingSequence()
        self.payments = FakeJournal()
        # issue 18 item 3: e-invoicing states (EI-2, EI-3); ``now`` the use cases' clock
        self.einvoicing: InMemoryAggregates[EInvoicing] = InMemoryAggregates(EInvoicingMapper())
        self.pdfs = FakeInvoicePdfs()  # issue 18 item 2 (rendered by the real renderer)
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        # issue 18 items 5, 6 (EI-6, EI-7): versions, windows, the notices' batches
        self.terms = FakeTermsVersions()
        self.windows = FakeMaintenanceWindows()
        self.notices = FakeNotices()
        self.paused: list[float] = []  # the fan-out's pauses between batches
        if with_accounts:  # the ``known`` members have a My LM account: e-invoicing on (EI-2)
            for member in known:
                self.einvoicing_on(member, self.now - timedelta(days=365))

    def einvoicing_on(self, member_id: str, since: datetime) -> None:
        """The member's e-invoicing on since ``since`` (as ``account.created`` leaves it)."""
        state = EInvoicing(member_id, (Switch(True, since, SYSTEM, f"seed:{member_id}"),))
        document = EInvoicingMapper().to_document(state)
        self.einvoicing.documents[version_id(member_id, 1)] = {
            **document,
            AGGREGATE_ID: member_id,
            VERSION: 1,
        }

    def use_cases(self) -> BillingUseCases:
        return bootstrap(
            self.settings,
            invoices=self.invoices,
            members=self.members,
            references=self.references,
            payments=self.payments,
            einvoicing=self.einvoicing,
            pdfs=self.pdfs,
            terms=self.terms,
            windows=self.windows,
            notices=self.notices,
            einvoicing_members=FakeEInvoicingMembers(self.einvoicing),
            clock=lambda: self.now,
            sleep=self._pause,
        )

    async def _pause(self, seconds: float) -> None:
        self.paused.append(seconds)


def _details(details: MemberDetails | None) -> dict[str, Any]:
    if details is None:
        return {}
    return {
        "first_name": details.first_name,
        "last_name": details.last_name,
        "titular_member_id": details.titular_member_id,
        "address": details.address,
    }


class FakeInvoicePdfs:
    """``InvoicePdfs``: insert-only by invoice id; ``renders`` counts what was stored."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    async def get(self, invoice_id: str) -> bytes | None:
        return self.stored.get(invoice_id)

    async def add(self, invoice_id: str, pdf: bytes) -> bytes:
        return self.stored.setdefault(invoice_id, pdf)


class FakeTermsVersions:
    """``TermsVersions``: insert-only by version; ``announced`` the versions marked."""

    def __init__(self) -> None:
        self.stored: dict[str, TermsVersion] = {}
        self.announced: set[str] = set()

    async def all(self) -> list[TermsVersion]:
        return list(self.stored.values())

    async def add(self, version: TermsVersion) -> bool:
        if version.version in self.stored:
            return False
        self.stored[version.version] = version
        return True

    async def unannounced(self) -> list[TermsVersion]:
        return [v for k, v in self.stored.items() if k not in self.announced]

    async def mark_announced(self, version: str) -> None:
        self.announced.add(version)


class FakeMaintenanceWindows:
    """``MaintenanceWindows``: insert-only by window id; ``reads`` counts ``all``."""

    def __init__(self) -> None:
        self.stored: dict[str, MaintenanceWindow] = {}
        self.announced: set[str] = set()
        self.reads = 0

    async def all(self) -> list[MaintenanceWindow]:
        self.reads += 1
        return list(self.stored.values())

    async def add(self, window_id: str, window: MaintenanceWindow) -> bool:
        if window_id in self.stored:
            return False
        self.stored[window_id] = window
        return True

    async def unannounced(self) -> list[MaintenanceWindow]:
        return [w for k, w in self.stored.items() if k not in self.announced]

    async def mark_announced(self, window_id: str) -> None:
        self.announced.add(window_id)


class FakeNotices:
    """``Notices``: batches by ``(notice, n)``; ``published`` every batch's messages, as
    the outbox relay would publish them (a batch written twice is one batch)."""

    def __init__(self) -> None:
        self.batches: dict[tuple[str, int], tuple[str, list[Message], bool]] = {}

    async def resume(self, notice_id: str) -> tuple[int, str] | None:
        number, after = 0, ""
        while (batch := self.batches.get((notice_id, number))) is not None:
            if batch[2]:
                return None
            number, after = number + 1, batch[0]
        return number, after

    async def add_batch(
        self, notice_id: str, number: int, after: str, messages: Sequence[Message], last: bool
    ) -> None:
        self.batches.setdefault((notice_id, number), (after, list(messages), last))

    def published(self, notice_prefix: str = "") -> list[Message]:
        return [
            m
            for (notice, _), (_, messages, _) in sorted(self.batches.items())
            if notice.startswith(notice_prefix)
            for m in messages
        ]


class FakeEInvoicingMembers:
    """``EInvoicingMembers`` over the fake e-invoicing store's documents: ``limit``
    members a page (what the Mongo adapter bounds by versions read)."""

    def __init__(self, store: InMemoryAggregates[EInvoicing]) -> None:
        self._store = store

    async def enabled_after(self, after: str, limit: int) -> tuple[list[str], str, bool]:
        newest: dict[str, dict[str, Any]] = {}
        for doc in sorted(self._store.documents.values(), key=lambda d: d[VERSION]):
            newest[doc[AGGREGATE_ID]] = doc
        ids = sorted(m for m in newest if m > after)
        page = ids[:limit]
        members = [m for m in page if newest[m].get("enabled")]
        return members, page[-1] if page else after, len(ids) <= limit
