"""What every service's domain model builds on: aggregates that raise domain events.

Pure Python (no framework, no I/O), so ``domain/`` modules stay unit-testable. An
aggregate records the events its methods raise; the store (``mylm_shared.aggregates``)
saves the new state and those events in one atomic write and clears them.
"""

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Aggregate:
    """Base of a domain aggregate (``@dataclass class Invoice(Aggregate): …``).

    ``version`` is the stored version this state was loaded from (0: never stored);
    ``events`` are the domain events raised since then, in order.
    """

    version: int = field(default=0, compare=False)
    events: list[object] = field(default_factory=list, repr=False, compare=False)

    def raise_event(self, event: object) -> None:
        self.events.append(event)

    @property
    def aggregate_id(self) -> str:
        raise NotImplementedError  # each aggregate names its id


class AggregateNotFound(LookupError):
    """No aggregate with that id."""


class AggregateExists(Exception):
    """Version 1 of this aggregate is stored already (a retried or concurrent create)."""


class ConcurrentChange(Exception):
    """Another writer stored this version first: load again and re-apply the change."""
