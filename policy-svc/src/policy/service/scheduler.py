"""policy-svc's scheduler: periodic tasks that emit events when a date passes (the
scheduler itself is ``mylm_shared.scheduler``, shared with billing-svc's dunning job).

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

Other capabilities add their task to ``PolicyUseCases.scheduler_tasks`` in
``bootstrap.bootstrap``; the scheduler runs them in that order.
"""

from mylm_shared.scheduler import Scheduler, Task

__all__ = ["LEASE_NAME", "Scheduler", "Task"]

# The lease of the generic ``mylm_shared.scheduler.Scheduler`` in policy-svc.
LEASE_NAME = "policy-scheduler"
