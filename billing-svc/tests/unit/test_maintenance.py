"""Maintenance windows of e-invoicing (issue 18 item 6; EI-7)."""

from datetime import UTC, datetime, timedelta

import pytest
from billing.domain.maintenance import (
    ANNOUNCEMENT_LEAD,
    MAX_WINDOW,
    InvalidWindow,
    MaintenanceWindow,
    Reason,
    current_or_next,
    is_active,
    plan,
    retry_after,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
REASON = Reason(nl="Onderhoud van het factuursysteem", fr="Maintenance du système")
START = NOW + timedelta(days=4)


def window(start: datetime = START, hours: float = 2, planned: datetime = NOW) -> MaintenanceWindow:
    return MaintenanceWindow(start, start + timedelta(hours=hours), REASON, planned)


@pytest.mark.parametrize(
    ("length", "valid"),
    [
        (timedelta(seconds=1), True),
        (timedelta(hours=4), True),  # the maximum itself
        (timedelta(hours=4, seconds=1), False),  # "de strikt noodzakelijke duur"
        (timedelta(hours=24), False),
        (timedelta(0), False),  # the end after the start
        (timedelta(seconds=-1), False),
    ],
)
def test_ei7_a_window_ends_after_it_starts_and_lasts_at_most_four_hours(
    length: timedelta, valid: bool
) -> None:
    """EI-7, issue 18 item 6: "te beperken tot de strikt noodzakelijke duur"."""
    assert timedelta(hours=4) == MAX_WINDOW
    if valid:
        assert plan(START, START + length, REASON, NOW).duration == length
    else:
        with pytest.raises(InvalidWindow):
            plan(START, START + length, REASON, NOW)


@pytest.mark.parametrize(
    ("start", "valid"),
    [
        (NOW - timedelta(minutes=1, seconds=1), False),  # in the past
        (NOW - timedelta(minutes=1), True),  # within the clock grace
        (NOW, True),  # starting now (an urgent repair)
        (NOW + timedelta(days=30), True),
    ],
)
def test_ei7_a_window_is_not_planned_in_the_past(start: datetime, valid: bool) -> None:
    """EI-7, issue 18 item 6: a minute's grace for clocks, no more."""
    if valid:
        assert plan(start, start + timedelta(hours=1), REASON, NOW).starts_at == start
    else:
        with pytest.raises(InvalidWindow, match="past"):
            plan(start, start + timedelta(hours=1), REASON, NOW)


@pytest.mark.parametrize(
    ("nl", "fr", "message"),
    [("", "Maintenance", "in nl"), ("Onderhoud", " ", "in fr"), ("x" * 501, "y", "500")],
)
def test_ei7_the_reason_is_given_in_nl_and_fr(nl: str, fr: str, message: str) -> None:
    """EI-7, issue 18 item 6: members are informed in their language (500 characters pass)."""
    assert Reason("x" * 500, "y").nl == "x" * 500
    with pytest.raises(InvalidWindow, match=message):
        Reason(nl, fr)


def test_ei7_times_carry_their_zone() -> None:
    """EI-7, issue 18 item 6: a naive time is ambiguous across the Brussels DST change."""
    with pytest.raises(InvalidWindow, match="time zone"):
        plan(datetime(2026, 12, 5, 22), datetime(2026, 12, 5, 23), REASON, NOW)


@pytest.mark.parametrize(
    ("offset_hours", "valid"),
    [
        (-1, False),  # overlaps
        (-2, False),  # ends when the other starts: adjoins
        (2, False),  # starts when the other ends: adjoins
        (-2.01, True),
        (2.01, True),
    ],
)
def test_ei7_windows_neither_overlap_nor_adjoin(offset_hours: float, valid: bool) -> None:
    """EI-7, issue 18 item 6: back-to-back windows would be one longer suspension."""
    other = window()  # START … START + 2 h
    start = START + timedelta(hours=offset_hours)
    if valid:
        plan(start, start + timedelta(hours=2), REASON, NOW, [other])
    else:
        with pytest.raises(InvalidWindow, match="overlaps or adjoins"):
            plan(start, start + timedelta(hours=2), REASON, NOW, [other])


def test_ei7_a_window_that_is_over_does_not_block_a_new_one() -> None:
    """EI-7, issue 18 item 6: only windows not over yet count."""
    old = window(NOW - timedelta(hours=3), hours=1, planned=NOW - timedelta(days=5))
    assert plan(
        NOW - timedelta(hours=2), NOW + timedelta(hours=1), REASON, NOW - timedelta(hours=2), [old]
    )


@pytest.mark.parametrize(
    ("now", "active", "retry"),
    [
        (START - timedelta(seconds=1), False, None),
        (START, True, 7200),  # the start counts
        (START + timedelta(seconds=0.5), True, 7200),  # rounded up
        (START + timedelta(hours=2) - timedelta(seconds=1), True, 1),
        (START + timedelta(hours=2) - timedelta(milliseconds=1), True, 1),  # at least 1
        (START + timedelta(hours=2), False, None),  # the end does not
    ],
)
def test_ei7_active_from_start_until_end_with_retry_after(
    now: datetime, active: bool, retry: int | None
) -> None:
    """EI-7, issue 18 item 6: member routes answer 503 with Retry-After = seconds to the end."""
    windows = [window()]
    assert windows[0].is_active(now) is active
    assert is_active(windows, now) is active
    assert retry_after(windows, now) == retry


def test_ei7_current_or_next() -> None:
    """EI-7, issue 18 item 6: GET /v1/maintenance shows the active window, else the next."""
    first = window(START, 1)
    second = window(START + timedelta(days=1), 1)
    windows = [second, first]
    assert current_or_next(windows, NOW) == first
    assert current_or_next(windows, START + timedelta(minutes=30)) == first
    assert current_or_next(windows, START + timedelta(hours=1)) == second
    assert current_or_next(windows, second.ends_at) is None
    assert current_or_next([], NOW) is None


@pytest.mark.parametrize(
    ("ahead", "short", "announce"),
    [
        (ANNOUNCEMENT_LEAD + timedelta(days=1), False, START - ANNOUNCEMENT_LEAD),
        (ANNOUNCEMENT_LEAD, False, START - ANNOUNCEMENT_LEAD),  # exactly the lead: in time
        (ANNOUNCEMENT_LEAD - timedelta(seconds=1), True, None),  # announced at once
        (timedelta(0), True, None),
    ],
)
def test_ei7_announced_three_days_ahead_or_at_once(
    ahead: timedelta, short: bool, announce: datetime | None
) -> None:
    """EI-7, issue 18 item 6: "Het zal de leden op elke gepaste wijze informeren": by
    default three days ahead; a shorter notice is allowed, flagged and announced at once."""
    assert timedelta(days=3) == ANNOUNCEMENT_LEAD
    planned = START - ahead
    w = window(START, 1, planned)
    assert w.short_notice is short
    assert w.announce_at == (announce or planned)
