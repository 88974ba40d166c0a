"""policy-svc's scheduler: periodic tasks that emit events when a date passes.

No job is needed for a date to be right — the state on a date is computed from the facts
— so a task only *emits* what a passed date implies (PC-5 renewals, PC-8 suspensions and
terminations, PC-7 reminders …). A task is any ``async (today: date) -> object``; it is
called every ``interval_seconds`` with the Europe/Brussels date and must be idempotent:
it changes aggregates through ``change(...)`` and stores nothing when nothing is due.

Several replicas: one runs the tasks, the holder of the ``policy-scheduler`` lease
(``mylm_shared.lease``), so the others do not repeat the queries. The lease alone does
not make an event unique (a stalled holder may briefly overlap its successor); the
aggregate does: the record that an event was emitted is saved in the same insert as the
event (transactional outbox), and the unique version ``_id`` lets only one of two
concurrent saves win — the loser re-applies its change on fresh state, finds nothing
due and stores nothing.

Other capabilities add their task to ``runtime.extras["scheduler_tasks"]`` in
``bootstrap.create_app`` (before start-up); the scheduler runs them in that order.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from mylm_shared.kernel.periods import belgian_today
from mylm_shared.lease import LEASES, Lease
from mylm_shared.service import Runtime

log = logging.getLogger(__name__)

Task = Callable[[date], Awaitable[object]]
TASKS = "scheduler_tasks"  # the runtime.extras key of the task list
SCHEDULER = "scheduler"  # the runtime.extras key of the running Scheduler
LEASE_NAME = "policy-scheduler"


class Scheduler:
    def __init__(
        self,
        tasks: Sequence[Task],
        *,
        interval_seconds: float,
        lease: Lease | None = None,
        today: Callable[[], date] = belgian_today,
    ) -> None:
        self._tasks = tasks
        self._interval = interval_seconds
        self._lease = lease
        self._today = today
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def tick(self) -> None:
        """Run every task once with today's date; a failing task is logged, the others
        still run, and it is tried again on the next tick."""
        today = self._today()
        for task in self._tasks:
            try:
                await task(today)
            except Exception:
                log.exception("scheduler task failed", extra={"task": repr(task)[:200]})

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
        self._task = asyncio.create_task(self.run(), name="policy-scheduler")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
        if self._lease is not None:
            with contextlib.suppress(Exception):
                await self._lease.release()  # a standby takes over at once


async def start_scheduler(runtime: Runtime, interval_seconds: float) -> None:
    """``ServiceDefinition.on_startup``: run ``runtime.extras["scheduler_tasks"]``."""
    lease = Lease(
        runtime.db[LEASES], LEASE_NAME, ttl_seconds=max(10.0, 3 * interval_seconds)
    )  # renewed on every tick, so it outlives the pause between two ticks
    tasks: list[Task] = runtime.extras.setdefault(TASKS, [])
    scheduler = Scheduler(tasks, interval_seconds=interval_seconds, lease=lease)
    runtime.extras[SCHEDULER] = scheduler
    scheduler.start()


async def stop_scheduler(runtime: Runtime) -> None:
    """``ServiceDefinition.on_shutdown``."""
    scheduler = runtime.extras.get(SCHEDULER)
    if isinstance(scheduler, Scheduler):
        await scheduler.stop()
