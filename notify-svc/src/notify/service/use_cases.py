"""notify-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the consumers, the routes (``entrypoints/deps.py``), the
pending-deliveries job and the unit tests get them from ``bootstrap`` (the tests with the
fakes of ``testkit/fakes/notify.py``)."""

from dataclasses import dataclass

from notify.service.deliveries import DeliveryService
from notify.service.handlers import NotifyService
from notify.service.member_settings import MemberSettingsService


@dataclass(frozen=True)
class NotifyUseCases:
    # E-mails from events (EI-4, PC-7, CL-1) and the recipient projection behind them.
    notify: NotifyService
    # The member's switches and notification address (EI-4, issue 19 item 4).
    members: MemberSettingsService
    # Deliveries: retried, logged, failures for staff (issue 19 item 6).
    deliveries: DeliveryService
