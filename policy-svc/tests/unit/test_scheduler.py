"""The scheduler runs its periodic tasks with the Brussels date; a failing task neither
stops the others nor the loop (PC-5, PC-8 dated events; PC-7 reminders plug in the same)."""

import asyncio
from datetime import date

from policy.service.scheduler import Scheduler

DAY = date(2028, 1, 1)


async def test_a_tick_runs_every_task_with_today_even_after_one_fails() -> None:
    seen: list[tuple[str, date]] = []

    async def broken(today: date) -> None:
        raise RuntimeError("boom")

    async def renewals(today: date) -> int:
        seen.append(("renewals", today))
        return 1

    await Scheduler([broken, renewals], interval_seconds=60, today=lambda: DAY).tick()
    assert seen == [("renewals", DAY)]


async def test_the_loop_ticks_until_stopped() -> None:
    ticks: list[date] = []
    twice = asyncio.Event()

    async def task(today: date) -> None:
        ticks.append(today)
        if len(ticks) == 2:
            twice.set()

    scheduler = Scheduler([task], interval_seconds=0.01, today=lambda: DAY)
    scheduler.start()
    await asyncio.wait_for(twice.wait(), timeout=5)
    await scheduler.stop()  # returns once the loop has ended
    assert ticks[:2] == [DAY, DAY]
