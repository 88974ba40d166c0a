"""Issue 18 item 4 (EI-5, PC-8): the daily dunning job on fakes of billing's ports: an
unpaid care invoice overdue the day after its due date, reminders 1 and 2 at +15 / +30
days (settings), each once, on the member's channel of today; premium invoices untouched;
a second run the same day changes nothing; a payment after a reminder settles."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from billing.domain.einvoicing import Actor
from billing.domain.invoice import Channel, Invoice, InvoiceLine
from billing.settings import BillingSettings
from mylm_shared.events import INVOICE_OVERDUE, INVOICE_REMINDER_DUE
from mylm_shared.scheduler import daily_at

from testkit.fakes.billing import BillingFakes

TODAY = date(2026, 3, 2)


async def issued(
    fakes: BillingFakes,
    invoice_id: str,
    due_date: date,
    *,
    kind: str = "care",
    channel: Channel = "electronic",
) -> None:
    invoice = Invoice(
        invoice_id=invoice_id,
        member_id="m-1",
        issue_date=due_date - timedelta(days=30),
        due_date=due_date,
        lines=(InvoiceLine(due_date - timedelta(days=31), "Consult", Decimal("25.00")),),
        structured_reference="",
        kind=kind,  # type: ignore[arg-type]
        policy_id="p-1" if kind == "premium" else None,
        term_number=1 if kind == "premium" else None,
    )
    invoice.issue(f"+++000/0000/{len(invoice_id):05d}+++", channel)
    await fakes.invoices.save(invoice)


def dunning_events(fakes: BillingFakes) -> list[tuple[str, str, int | None]]:
    found: list[tuple[str, str, int | None]] = []
    for message in fakes.invoices.published:
        if message.spec is INVOICE_OVERDUE:
            found.append(("overdue", message.payload.invoice_id, None))  # type: ignore[attr-defined]
        elif message.spec is INVOICE_REMINDER_DUE:
            payload = message.payload
            found.append(("reminder", payload.invoice_id, payload.level))  # type: ignore[attr-defined]
    return found


async def test_overdue_the_day_after_the_due_date_not_on_it_ei_5() -> None:
    """EI-5: paying on the due date is on time; unpaid, it is overdue the day after."""
    fakes = BillingFakes("m-1")
    job = fakes.use_cases().dunning
    await issued(fakes, "inv-1", due_date=TODAY)
    assert (await job.run(TODAY)).marked_overdue == 0
    run = await job.run(TODAY + timedelta(days=1))
    assert (run.marked_overdue, run.reminders) == (1, 0)
    invoice = await fakes.invoices.get("inv-1")
    assert invoice is not None and invoice.status == "overdue"
    overdue = [m.payload for m in fakes.invoices.published if m.spec is INVOICE_OVERDUE]
    assert [p.overdue_on for p in overdue] == [TODAY + timedelta(days=1)]  # type: ignore[attr-defined]


async def test_forty_days_past_due_overdue_then_reminders_1_and_2_once_ei_5() -> None:
    """EI-5: an invoice imported 40 days past due gets, in one run, overdue then reminder 1
    then reminder 2; a second run that day (or the next) changes nothing more."""
    fakes = BillingFakes("m-1")
    job = fakes.use_cases().dunning
    await issued(fakes, "inv-1", due_date=TODAY - timedelta(days=40))
    run = await job.run(TODAY)
    assert (run.marked_overdue, run.reminders) == (1, 2)
    assert dunning_events(fakes) == [
        ("overdue", "inv-1", None),
        ("reminder", "inv-1", 1),
        ("reminder", "inv-1", 2),
    ]
    for day in (TODAY, TODAY + timedelta(days=1)):
        again = await job.run(day)
        assert (again.marked_overdue, again.reminders) == (0, 0)
    assert len(dunning_events(fakes)) == 3
    invoice = await fakes.invoices.get("inv-1")
    assert invoice is not None and invoice.reminders_requested == (1, 2)


async def test_reminders_follow_the_configured_days_ei_5() -> None:
    """EI-5: reminder days are settings (here +3 and +6 after the overdue day)."""
    settings = BillingSettings(
        profile="test", dunning_first_reminder_days=3, dunning_second_reminder_days=6
    )
    fakes = BillingFakes("m-1", settings=settings)
    job = fakes.use_cases().dunning
    due = TODAY - timedelta(days=1)  # overdue from TODAY
    await issued(fakes, "inv-1", due_date=due)
    seen = [(await job.run(TODAY + timedelta(days=d))).reminders for d in range(8)]
    assert seen == [0, 0, 0, 1, 0, 0, 1, 0]


async def test_premium_invoices_are_left_to_policy_svc_pc_8() -> None:
    """PC-8: premium invoices get policy-svc's formal notices, never billing's reminders."""
    fakes = BillingFakes("m-1")
    await issued(fakes, "premium-1", due_date=TODAY - timedelta(days=40), kind="premium")
    run = await fakes.use_cases().dunning.run(TODAY)
    assert (run.marked_overdue, run.reminders) == (0, 0)
    invoice = await fakes.invoices.get("premium-1")
    assert invoice is not None and invoice.status == "open"
    assert dunning_events(fakes) == []


async def test_reminders_go_on_the_members_channel_of_today_ei_3_ei_5() -> None:
    """EI-3, EI-5: an electronic invoice whose member switched to paper since is
    reminded on paper (the reminder follows today's channel, not the issue's)."""
    fakes = BillingFakes("m-1", with_accounts=False)
    use_cases = fakes.use_cases()
    await use_cases.einvoicing.switch("m-1", True, Actor("staff", "s-1"))
    await issued(fakes, "inv-1", due_date=TODAY - timedelta(days=20), channel="electronic")
    fakes.now += timedelta(minutes=1)
    await use_cases.einvoicing.switch("m-1", False, Actor("member", "m-1"))
    fakes.now += timedelta(minutes=1)
    await use_cases.dunning.run(TODAY)
    reminders = [m.payload for m in fakes.invoices.published if m.spec is INVOICE_REMINDER_DUE]
    assert [(p.level, p.channel) for p in reminders] == [(1, "paper")]  # type: ignore[attr-defined]


async def test_a_payment_after_a_reminder_settles_and_stops_the_reminders_ei_5() -> None:
    """EI-5: a payment after a reminder settles as any other; no second reminder then."""
    fakes = BillingFakes("m-1")
    job = fakes.use_cases().dunning
    await issued(fakes, "inv-1", due_date=TODAY - timedelta(days=20))
    await job.run(TODAY)
    invoice = await fakes.invoices.get("inv-1")
    assert invoice is not None and invoice.reminders_requested == (1,)
    invoice.record_payment("pay-1", Decimal("25.00"), TODAY)
    await fakes.invoices.save(invoice)
    assert invoice.status == "paid"
    run = await job.run(TODAY + timedelta(days=30))
    assert (run.marked_overdue, run.reminders) == (0, 0)


async def test_the_daily_job_runs_at_start_up_then_once_a_day_from_its_time() -> None:
    """Issue 18 item 4: the job runs at start-up and daily at the configured time."""
    runs: list[date] = []
    clock = [datetime(2026, 3, 2, 3, 0, tzinfo=UTC)]

    async def job(today: date) -> None:
        runs.append(today)

    task = daily_at(job, datetime(2026, 1, 1, 6, 0).time(), now=lambda: clock[0])
    await task(date(2026, 3, 2))  # start-up, before 06:00
    await task(date(2026, 3, 2))
    clock[0] = datetime(2026, 3, 3, 5, 59, tzinfo=UTC)
    await task(date(2026, 3, 3))  # the next day, not yet its time
    clock[0] = datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    await task(date(2026, 3, 3))
    await task(date(2026, 3, 3))
    assert runs == [date(2026, 3, 2), date(2026, 3, 3)]
