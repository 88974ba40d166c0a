"""Terms changes and maintenance windows (issue 18 items 5 and 6; EI-6, EI-7), and the
notices that announce them to every e-invoicing member.

Why one event per member, written by billing in batches (and not one broadcast event
that inbox and notify fan out): only billing knows who has e-invoicing on (EI-2, EI-3),
and a fan-out must survive a crash half-way. Here it does: each batch is ONE insert-only
document holding its members' events in its outbox and the member id it ends at, so the
relay publishes a written batch even after a crash, and the next run resumes after the
last batch written (its number derives the next ``_id``; a batch written twice is one
document). Event ids derive from (notice, member), so a re-run batch is deduplicated by
inbox and notify, whose effects are idempotent by the same identity. The version (or the
window) is marked announced in its own document only after the last batch: a published
version is never forgotten. Batches are paced (``notice_batch_size`` states read,
``notice_batch_pause_seconds`` between them) so the bus and notify's SMTP stay steady.
The run is a scheduler task under a lease: one replica fans out.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.aggregates import Message
from mylm_shared.events import (
    MAINTENANCE_ANNOUNCED,
    TERMS_CHANGED,
    LocalizedTextV1,
    MaintenanceAnnouncedV1,
    TermsChangedV1,
)
from mylm_shared.fanout import fan_out
from mylm_shared.kernel.periods import belgian_date
from mylm_shared.read_cache import ReadThroughCache

from billing.domain import maintenance, terms
from billing.domain.maintenance import MaintenanceWindow, Reason
from billing.domain.terms import Summary, TermsVersion
from billing.service.einvoicing import utc_now
from billing.service.ports import EInvoicingMembers, MaintenanceWindows, Notices, TermsVersions

log = logging.getLogger(__name__)

LEASE_NAME = "billing-notices"


@dataclass
class TermsService:
    """rule EI-6: publish a version at least 15 Belgian working days ahead; list them."""

    versions: TermsVersions
    clock: Callable[[], datetime] = utc_now

    async def publish(self, version: str, effective_on: date, summary: Summary) -> TermsVersion:
        """The published version; the same body again answers the stored version (an
        idempotent retry), another body under a stored version is refused."""
        existing = await self.versions.all()
        same = _same(existing, version, effective_on, summary)
        if same is not None:
            return same
        new = terms.publish(existing, version, effective_on, summary, belgian_date(self.clock()))
        if not await self.versions.add(new):  # a concurrent publication of this version
            same = _same(await self.versions.all(), version, effective_on, summary)
            if same is None:
                raise terms.InvalidTerms(f"version {version} exists already")
            return same
        return new

    async def listed(self) -> list[TermsVersion]:
        return terms.ordered(await self.versions.all())


def _same(
    versions: list[TermsVersion], version: str, effective_on: date, summary: Summary
) -> TermsVersion | None:
    for stored in versions:
        if stored.version == version and (stored.effective_on, stored.summary) == (
            effective_on,
            summary,
        ):
            return stored
    return None


def window_id(window: MaintenanceWindow) -> str:
    """A window's id derives from its start and end: a retried PUT is the same window."""
    span = f"{window.starts_at.isoformat()}/{window.ends_at.isoformat()}"
    return str(uuid5(NAMESPACE_URL, f"mylm:billing:maintenance:{span}"))


@dataclass
class MaintenanceService:
    """rule EI-7: plan a window; the window in force or next, read through a short cache
    (every member request asks whether one is active: not a Mongo read each)."""

    windows: MaintenanceWindows
    clock: Callable[[], datetime] = utc_now
    cache_seconds: float = 2.0
    _cache: ReadThroughCache[str, tuple[MaintenanceWindow, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self._cache = ReadThroughCache(max_entries=1, ttl_seconds=self.cache_seconds)

    async def plan(
        self, starts_at: datetime, ends_at: datetime, reason: Reason
    ) -> MaintenanceWindow:
        existing = await self.windows.all()
        for stored in existing:  # a retried PUT: the same window
            if (stored.starts_at, stored.ends_at, stored.reason) == (starts_at, ends_at, reason):
                return stored
        window = maintenance.plan(starts_at, ends_at, reason, self.clock(), existing)
        await self.windows.add(window_id(window), window)
        self._cache.invalidate("windows")
        return window

    async def current_or_next(self) -> MaintenanceWindow | None:
        return maintenance.current_or_next(await self._pending(), self.clock())

    async def active(self) -> tuple[MaintenanceWindow, int] | None:
        """The window active now and its ``Retry-After`` seconds, or None (cached)."""
        now = self.clock()
        windows = await self._pending()
        seconds = maintenance.retry_after(windows, now)
        if seconds is None:
            return None
        active = next(w for w in windows if w.is_active(now))
        return active, seconds

    async def _pending(self) -> tuple[MaintenanceWindow, ...]:
        async def load() -> tuple[MaintenanceWindow, ...]:
            now = self.clock()
            return tuple(w for w in await self.windows.all() if not w.is_over(now))

        # An empty tuple is a value too: "no window" is cached as well.
        return await self._cache.get("windows", load) or ()


@dataclass
class NoticeFanout:
    """Announces each published version (EI-6) and each window (EI-7, from its
    ``announce_at``) to every e-invoicing member, in paced, resumable batches."""

    versions: TermsVersions
    windows: MaintenanceWindows
    members: EInvoicingMembers
    notices: Notices
    batch_size: int = 200
    pause_seconds: float = 1.0
    clock: Callable[[], datetime] = utc_now
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def run(self, today: date | None = None) -> int:
        """One pass (the scheduler's task): every notice due, to its end. Answers how many
        member events were written."""
        written = 0
        for version in await self.versions.unannounced():
            written += await self._fan_out(f"terms:{version.version}", _terms_message(version))
            await self.versions.mark_announced(version.version)
        now = self.clock()
        for window in await self.windows.unannounced():
            if window.announce_at > now:
                continue  # EI-7: announced ``ANNOUNCEMENT_LEAD`` ahead, not earlier
            wid = window_id(window)
            if window.is_over(now):  # billing was down all along: nothing left to announce
                await self.windows.mark_announced(wid)
                continue
            written += await self._fan_out(f"maintenance:{wid}", _window_message(wid, window))
            await self.windows.mark_announced(wid)
        return written

    async def _fan_out(self, notice_id: str, message: Callable[[str], Message]) -> int:
        async def page(after: str) -> tuple[list[Message], str, bool]:
            members, end, exhausted = await self.members.enabled_after(after, self.batch_size)
            return [message(m) for m in members], end, exhausted

        # The shared paced, resumable fan-out (``mylm_shared.fanout``).
        written = await fan_out(
            notice_id, self.notices, page, pause_seconds=self.pause_seconds, sleep=self.sleep
        )
        log.info("notice announced", extra={"notice": notice_id, "members": written})
        return written


def _terms_message(version: TermsVersion) -> Callable[[str], Message]:
    summary = LocalizedTextV1(nl=version.summary.nl, fr=version.summary.fr)

    def message(member_id: str) -> Message:
        payload = TermsChangedV1(
            member_id=member_id,
            version=version.version,
            effective_on=version.effective_on,
            published_on=version.published_on,
            summary=summary,
        )
        return Message(TERMS_CHANGED, payload, member_id)

    return message


def _window_message(wid: str, window: MaintenanceWindow) -> Callable[[str], Message]:
    reason = LocalizedTextV1(nl=window.reason.nl, fr=window.reason.fr)

    def message(member_id: str) -> Message:
        payload = MaintenanceAnnouncedV1(
            member_id=member_id,
            window_id=wid,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
            reason=reason,
            short_notice=window.short_notice,
        )
        return Message(MAINTENANCE_ANNOUNCED, payload, member_id)

    return message
