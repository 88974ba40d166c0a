"""The daily dunning job's decisions (issue 18 item 4; EI-5, PC-8)."""

from dataclasses import fields
from datetime import date, timedelta

import pytest
from billing.domain.dunning import (
    DunningInvoice,
    DunningPolicy,
    InvalidDunningPolicy,
    MarkOverdue,
    RequestReminder,
    actions,
    apply,
    overdue_on,
)
from billing.domain.invoice_lines import Status

DUE = date(2026, 11, 30)
OVERDUE = date(2026, 12, 1)  # the day after the due date


def invoice(
    status: Status = "open", levels: tuple[int, ...] = (), kind: str = "care"
) -> DunningInvoice:
    return DunningInvoice("i-1", kind, DUE, status, levels)  # type: ignore[arg-type]


def day(n: int) -> date:
    """``n`` days after the overdue day."""
    return OVERDUE + timedelta(days=n)


R1 = RequestReminder("i-1", 1, day(15))
R2 = RequestReminder("i-1", 2, day(30))
MARK = MarkOverdue("i-1", OVERDUE)


@pytest.mark.parametrize(
    ("today", "status", "levels", "expected"),
    [
        (DUE - timedelta(days=1), "open", (), []),
        (DUE, "open", (), []),  # paying on the due date is on time
        (OVERDUE, "open", (), [MARK]),  # the day after
        (day(1), "open", (), [MARK]),
        (day(14), "overdue", (), []),  # the day before reminder 1
        (day(15), "overdue", (), [R1]),
        (day(16), "overdue", (1,), []),  # once
        (day(29), "overdue", (1,), []),  # the day before reminder 2
        (day(30), "overdue", (1,), [R2]),
        (day(31), "overdue", (1, 2), []),  # once
        (day(365), "overdue", (1, 2), []),  # no third level
        (day(20), "overdue", (2,), []),  # never a lower level after a higher one
    ],
)
def test_ei5_overdue_the_day_after_due_then_reminders_at_15_and_30_days(
    today: date, status: Status, levels: tuple[int, ...], expected: list[object]
) -> None:
    """EI-5, issue 18 item 4: "betaald voor de datum die erop wordt vermeld" read in the
    member's favour (the due date itself is on time); reminder 1 at overdue + 15, reminder 2
    at overdue + 30, each once."""
    assert actions(invoice(status, levels), today) == expected


def test_ei5_an_invoice_imported_40_days_past_due_catches_up_in_one_run_in_order() -> None:
    """EI-5, issue 18 item 4: overdue, then reminder 1, then reminder 2; the reminder days
    count from the overdue day, not from the run."""
    today = DUE + timedelta(days=40)
    assert actions(invoice(), today) == [MARK, R1, R2]


@pytest.mark.parametrize("days_past_due", [1, 15, 16, 30, 31, 40, 400])
def test_ei5_running_twice_the_same_day_changes_nothing(days_past_due: int) -> None:
    """EI-5, issue 18 item 4: idempotent once the first run's actions are applied."""
    today = DUE + timedelta(days=days_past_due)
    first = invoice()
    after = apply(first, actions(first, today))
    assert actions(after, today) == []
    assert after.status == "overdue"


def test_ei5_daily_runs_request_each_level_once_over_a_quarter() -> None:
    """EI-5, issue 18 item 4: a job run every day for 90 days: one overdue, one of each."""
    current = invoice()
    seen: list[object] = []
    for n in range(-5, 90):
        done = actions(current, OVERDUE + timedelta(days=n))
        seen.extend(done)
        current = apply(current, done)
    assert seen == [MARK, R1, R2]


@pytest.mark.parametrize("status", ["paid", "cancelled"])
@pytest.mark.parametrize("days_past_due", [1, 16, 31])
def test_ei5_paid_or_cancelled_invoices_are_left_alone(status: Status, days_past_due: int) -> None:
    """EI-5, issue 18 item 4: a payment (also after a reminder) or a credit note ends it."""
    assert actions(invoice(status, (1,)), DUE + timedelta(days=days_past_due)) == []


@pytest.mark.parametrize("status", ["open", "overdue"])
@pytest.mark.parametrize("days_past_due", [0, 1, 16, 31, 40])
def test_pc8_premium_invoices_are_left_to_policy_svcs_formal_notices(
    status: Status, days_past_due: int
) -> None:
    """PC-8, issue 18 item 4: no overdue mark, no reminder: no double reminder for a premium."""
    assert actions(invoice(status, kind="premium"), DUE + timedelta(days=days_past_due)) == []


@pytest.mark.parametrize(
    ("first", "second", "today", "expected"),
    [
        (7, 14, day(6), []),
        (7, 14, day(7), [RequestReminder("i-1", 1, day(7))]),
        (7, 14, day(14), [RequestReminder("i-1", 1, day(7)), RequestReminder("i-1", 2, day(14))]),
        (1, 2, day(1), [RequestReminder("i-1", 1, day(1))]),
    ],
)
def test_ei5_the_offsets_are_configurable(
    first: int, second: int, today: date, expected: list[object]
) -> None:
    """EI-5, issue 18 item 4: other offsets, same rules."""
    policy = DunningPolicy(first, second)
    assert actions(invoice("overdue"), today, policy) == expected


@pytest.mark.parametrize(("first", "second"), [(0, 30), (-1, 30), (15, 15), (15, 14)])
def test_ei5_unusable_offsets_are_refused(first: int, second: int) -> None:
    """EI-5, issue 18 item 4: positive and increasing (15/16 and 1/2 pass, above)."""
    with pytest.raises(InvalidDunningPolicy):
        DunningPolicy(first, second)
    assert DunningPolicy(15, 16).second_reminder_days == 16


def test_ei5_whether_a_notice_was_read_is_not_an_input() -> None:
    """EI-5, issue 18 item 4: "ongeacht of de klant de elektronische meldingen … wel of niet
    heeft ontvangen, geopend of gelezen": the job reads nothing about it."""
    names = {f.name for f in fields(DunningInvoice)}
    assert names == {"invoice_id", "kind", "due_date", "status", "reminders_requested"}


@pytest.mark.parametrize(
    ("due", "late"),
    [
        (date(2026, 2, 28), date(2026, 3, 1)),
        (date(2028, 2, 28), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2027, 1, 1)),
    ],
)
def test_ei5_overdue_day_across_month_and_year_ends(due: date, late: date) -> None:
    """EI-5, issue 18 item 4: the day after the due date, in calendar days."""
    assert overdue_on(due) == late
