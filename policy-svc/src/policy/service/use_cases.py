"""policy-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the routes get this object through one typed dependency
(``entrypoints/deps.py``), the consumers, the scheduler and the unit tests from
``bootstrap`` (the tests with the fakes of ``testkit/fakes``)."""

from dataclasses import dataclass

from policy.service.amendments import AmendmentService
from policy.service.handlers import PolicyService
from policy.service.premiums import PremiumService
from policy.service.scheduler import Task


@dataclass(frozen=True)
class PolicyUseCases:
    # Proposals, contracts, insured persons, termination (PC-1..PC-12) and the members.
    policies: PolicyService
    # Premium terms: due events, payments, suspension (PC-4, PC-8).
    premiums: PremiumService
    # Amendments of the conditions and their reminders (PC-7).
    amendments: AmendmentService
    # What the scheduler runs with today's date, in this order (PC-5/PC-8 dated
    # events, PC-7 reminders; append yours): ``service/scheduler.py``.
    scheduler_tasks: tuple[Task, ...]
