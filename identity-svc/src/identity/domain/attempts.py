"""Attempt budgets (issue 7 item 3, issue 15 items 1-2): what a budget is, what a
reservation holds and the refusal when a budget is spent. How budgets are kept under
concurrency is the adapter's (``adapters/throttle.py``)."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Budget:
    """At most ``limit`` attempts per sliding ``window``."""

    limit: int
    window: timedelta


class Locked(Exception):
    """The budget is spent: retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"locked for {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Reservation:
    """The slots one attempt holds (one per budget it is counted against)."""

    slots: tuple[str, ...]
