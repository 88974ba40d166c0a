"""notify-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the consumers and the unit tests get them from ``bootstrap``
(the tests with the fakes of ``testkit/fakes/notify.py``). notify has no routes."""

from dataclasses import dataclass

from notify.service.handlers import NotifyService


@dataclass(frozen=True)
class NotifyUseCases:
    # E-mails from events (EI-4, PC-7, CL-1) and the recipient projection behind them.
    notify: NotifyService
