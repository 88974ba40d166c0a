"""A service's scheduler: periodic tasks that act when a date passes (policy-svc's
renewals and notices, billing-svc's daily dunning job).

A task is any ``async (today: date) -> object``; it is called every ``interval_seconds``
with the Europe/Brussels date and must be idempotent: it changes aggregates through
``mylm_shared.aggregates.change`` and stores nothing when nothing is due.

Several replicas: one runs the tasks, the holder of the service's lease
(``mylm_shared.lease``), so the others do not repeat the queries. The lease alone does
not make an event unique (a stalled holder may briefly overlap its successor); the
aggregate does: the record that an event was emitted is saved in the same insert as the
event (transactional outbox), and the unique version ``_id`` lets only one of two
concurrent saves win — the loser re-applies its change on fresh state, finds nothing
due and stores nothing.

``daily_at`` turns a task into one that runs at the first tick (start-up, or when this
replica takes the lease over) and then once a day from a configured Belgian time.
"""

import asyncio
import contextlib
import logging
import time as clock
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, time

from mylm_shared.kernel.periods import BRUSSELS, belgian_today
from mylm_shared.lease import Lease
from mylm_shared.metrics import record_scheduler_pass, scheduler_configured

log = logging.getLogger(__name__)

Task = Callable[[date], Awaitable[object]]


class Scheduler:
    def __init__(
        self,
        tasks: Sequence[Task],
        *,
        interval_seconds: float,
        lease: Lease | None = None,
        today: Callable[[], date] = belgian_today,
        name: str = "scheduler",
    ) -> None:
        self._tasks = tasks
        self._interval = interval_seconds
        self._lease = lease
        self._today = today
        self._name = name
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        scheduler_configured(name, interval_seconds)

    async def tick(self) -> None:
        """Run every task once with today's date; a failing task is logged, the others
        still run, and it is tried again on the next tick. A pass without failures sets
        ``mylm_scheduler_last_success_timestamp_seconds`` (alert MylmSchedulerNotRunning)."""
        today = self._today()
        failures = 0
        for task in self._tasks:
            try:
                await task(today)
            except Exception:
                failures += 1
                log.exception("scheduler task failed", extra={"task": repr(task)[:200]})
        record_scheduler_pass(self._name, failures, clock.time())

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                if self._lease is None or await self._lease.hold():
                    await self.tick()
            except Exception:  # the lease's database is down: try again next time
                log.exception("scheduler pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=self._name)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
        if self._lease is not None:
            with contextlib.suppress(Exception):
                await self._lease.release()  # a standby takes over at once


def belgian_now() -> datetime:
    return datetime.now(BRUSSELS)


def daily_at(
    task: Task, at: time, *, now: Callable[[], datetime] = belgian_now
) -> Callable[[date], Awaitable[object]]:
    """``task`` at the first call, then at the first call on each later day once the
    Belgian time ``at`` has come. A missed day (the service was down) is caught up at the
    next call: the task itself acts on everything due up to ``today``."""
    last_run: list[date] = []

    async def run_daily(today: date) -> object:
        moment = now()
        if last_run and (last_run[0] >= today or moment.time() < at):
            return None
        outcome = await task(today)
        last_run[:] = [today]
        return outcome

    return run_daily
