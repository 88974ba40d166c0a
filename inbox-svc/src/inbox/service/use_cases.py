"""inbox-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the routes get this object through one typed dependency
(``entrypoints/deps.py``), the consumers and the unit tests from ``bootstrap`` (with
the fake of ``testkit/fakes/inbox.py``)."""

from dataclasses import dataclass

from inbox.service.handlers import InboxService
from inbox.service.messages import Messages


@dataclass(frozen=True)
class InboxUseCases:
    # Filing letters and documents (IN-1..IN-3, CL-1) and listing a member's own.
    inbox: InboxService
    # Messages to the mutuality, optionally eID-signed (ES-1..ES-3; issue 19 item 3).
    messages: Messages
