"""Maintenance windows of e-invoicing (issue 18 item 6; EI-7).

rule EI-7: "Het onderhoud en de ontwikkeling van de factuursystemen kunnen ertoe leiden dat
LM de dienst e-facturatie beperkt of opschort. LM verbindt zich ertoe de duur van deze
beperking of opschorting te beperken tot de strikt noodzakelijke duur voor de uitvoering
van de werken. Het zal de leden op elke gepaste wijze informeren."

* A window has a start, an end after it and a reason in nl and fr (de readers get fr, as
  ``mylm_shared.texts.BILINGUAL`` maps it). Times carry their zone.
* "de strikt noodzakelijke duur": a window is at most ``MAX_WINDOW`` = **4 hours**. A
  release of this platform (rolling restart of six services, an index build, a data
  migration) fits in well under an hour; four hours leave room for a rollback and a second
  attempt. A window may not overlap nor adjoin another one that is not over (back-to-back
  windows would be one longer suspension); longer works wait for a later, separate window.
* Not in the past: a window starts no earlier than ``now`` (a grace of
  ``CLOCK_GRACE`` = 1 minute absorbs the clocks of staff's browser and the server).
* "op elke gepaste wijze informeren": e-invoicing members are told in their inbox
  ``ANNOUNCEMENT_LEAD`` = **3 days** ahead by default (so a weekend between the notice and
  the window still leaves a working day to pay or download first). A shorter notice is
  allowed — art. 6.2 of the general terms lets the LLM interrupt "onmiddellijk en zonder
  voorafgaande verwittiging" for "onderhouds-, verbeterings- of herstellingswerken" — but
  the window then says ``short_notice`` and is announced at once; the member is informed
  either way.
* During a window member routes answer 503 with ``Retry-After``: the whole seconds until
  the window ends (rounded up, at least 1), so a client that waits that long finds the
  service back.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_WINDOW = timedelta(hours=4)
ANNOUNCEMENT_LEAD = timedelta(days=3)
CLOCK_GRACE = timedelta(minutes=1)
REASON_MAX = 500


class InvalidWindow(ValueError):
    """A window breaks a rule; the message says which, for the problem+json detail."""


@dataclass(frozen=True)
class Reason:
    nl: str
    fr: str

    def __post_init__(self) -> None:
        for language, text in (("nl", self.nl), ("fr", self.fr)):
            if not text.strip():
                raise InvalidWindow(f"the reason in {language} is missing")
            if len(text) > REASON_MAX:
                raise InvalidWindow(f"the reason in {language} has at most {REASON_MAX} chars")


@dataclass(frozen=True)
class MaintenanceWindow:
    starts_at: datetime
    ends_at: datetime
    reason: Reason
    announced_at: datetime  # when it was planned (and the announcement may go out)

    def __post_init__(self) -> None:
        for at in (self.starts_at, self.ends_at, self.announced_at):
            if at.tzinfo is None:
                raise InvalidWindow("a window's times carry their time zone")
        if self.ends_at <= self.starts_at:
            raise InvalidWindow("a window ends after it starts")
        if self.ends_at - self.starts_at > MAX_WINDOW:  # rule EI-7
            raise InvalidWindow(
                f"a window lasts at most {_hours(MAX_WINDOW)} hours: the strictly "
                "necessary time (EI-7); split longer works"
            )

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def is_active(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at

    def is_over(self, now: datetime) -> bool:
        return now >= self.ends_at

    @property
    def short_notice(self) -> bool:
        """Planned less than ``ANNOUNCEMENT_LEAD`` ahead: announced at once (EI-7)."""
        return self.starts_at - self.announced_at < ANNOUNCEMENT_LEAD

    @property
    def announce_at(self) -> datetime:
        """When the inbox announcement goes out: ``ANNOUNCEMENT_LEAD`` before the start, or
        at planning when that moment has passed already."""
        return max(self.announced_at, self.starts_at - ANNOUNCEMENT_LEAD)


def plan(
    starts_at: datetime,
    ends_at: datetime,
    reason: Reason,
    now: datetime,
    existing: Iterable[MaintenanceWindow] = (),
) -> MaintenanceWindow:
    """A new window planned at ``now``: not in the past, not overlapping another window
    that is not over yet."""
    window = MaintenanceWindow(starts_at, ends_at, reason, announced_at=now)
    if starts_at < now - CLOCK_GRACE:
        raise InvalidWindow("a window cannot start in the past")
    for other in existing:
        # Touching counts: back-to-back windows would be one suspension longer than the maximum.
        if not other.is_over(now) and starts_at <= other.ends_at and other.starts_at <= ends_at:
            raise InvalidWindow("a window overlaps or adjoins another planned window")
    return window


def current_or_next(
    windows: Iterable[MaintenanceWindow], now: datetime
) -> MaintenanceWindow | None:
    """The window active at ``now``, else the next one to start, else ``None``."""
    pending = sorted((w for w in windows if not w.is_over(now)), key=lambda w: w.starts_at)
    active = [w for w in pending if w.is_active(now)]
    if active:
        return active[0]
    return pending[0] if pending else None


def is_active(windows: Iterable[MaintenanceWindow], now: datetime) -> bool:
    return any(w.is_active(now) for w in windows)


def retry_after(windows: Iterable[MaintenanceWindow], now: datetime) -> int | None:
    """``Retry-After`` seconds for a member request at ``now``: ``None`` outside any window;
    during one, the whole seconds until it ends (rounded up, at least 1)."""
    ends = [w.ends_at for w in windows if w.is_active(now)]
    if not ends:
        return None
    return max(1, math.ceil((max(ends) - now).total_seconds()))


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)
