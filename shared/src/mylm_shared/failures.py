"""What a failed effect means, and how long it is retried (tenacity).

- ``Unavailable`` and other outages (MongoDB, Kafka or a socket down or timing out, a
  write conflict): the message is fine, the world is not. Retry with capped backoff for
  as long as it takes; never dead-letter it (an SMTP restart must not cost e-mails).
- ``MissingDependency``: the effect needs something another event brings (the member of
  an invoice whose ``member.registered`` is late). Retry for a long budget, then DLQ.
- Anything else: a few attempts, then the DLQ (a bug or a refused message must not
  block the partition forever).
Adapters translate their library's transient errors into ``Unavailable`` (notify's SMTP
adapter does); the ones of MongoDB and Kafka are recognised here.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from pymongo.errors import ConnectionFailure, OperationFailure
from tenacity import AsyncRetrying, RetryCallState, wait_exponential_jitter

from mylm_shared.mongo import is_write_conflict
from mylm_shared.settings import ServiceSettings

log = logging.getLogger(__name__)
T = TypeVar("T")


class Unavailable(Exception):
    """An infrastructure dependency is down or timing out: retry until it is back."""


class MissingDependency(Exception):
    """The effect needs data another event has not brought yet: retry for a while."""


class ShuttingDown(Exception):
    """The service stops while a message is still being retried (it stays uncommitted)."""


def is_outage(error: BaseException) -> bool:
    if isinstance(error, Unavailable | ConnectionFailure | ConnectionError | TimeoutError):
        return True
    if isinstance(error, OperationFailure):
        return is_write_conflict(error)
    return bool(getattr(error, "retriable", False))  # aiokafka's transient errors


@dataclass
class RetryPolicy:
    stopping: asyncio.Event
    max_attempts: int = 5
    backoff_seconds: float = 0.2
    backoff_max_seconds: float = 30.0
    dependency_wait_seconds: float = 900.0

    @classmethod
    def from_settings(cls, settings: ServiceSettings, stopping: asyncio.Event) -> "RetryPolicy":
        return cls(
            stopping,
            max_attempts=settings.consumer_max_attempts,
            backoff_seconds=settings.consumer_backoff_seconds,
            backoff_max_seconds=settings.consumer_backoff_max_seconds,
            dependency_wait_seconds=settings.consumer_dependency_wait_seconds,
        )

    async def run(
        self, action: Callable[[], Awaitable[T]], *, event_id: str = "", what: str = ""
    ) -> T:
        """``action`` until it succeeds or its kind of failure has used up its budget
        (then its error is raised); ``ShuttingDown`` if the service stops meanwhile."""
        retrying = AsyncRetrying(
            stop=self._give_up,
            wait=wait_exponential_jitter(
                multiplier=self.backoff_seconds,
                max=self.backoff_max_seconds,
                jitter=self.backoff_seconds,
            ),
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(state, event_id, what),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await action()
        except Exception as error:
            if self.stopping.is_set():
                raise ShuttingDown(what) from error
            raise
        raise AssertionError("unreachable: tenacity re-raises the last error")

    @staticmethod
    def dead_letter_reason(error: BaseException) -> str:
        return "dependency-missing" if isinstance(error, MissingDependency) else "handler-failed"

    def _give_up(self, state: RetryCallState) -> bool:
        if self.stopping.is_set():
            return True
        error = state.outcome.exception() if state.outcome else None
        if error is None or is_outage(error):
            return False
        if isinstance(error, MissingDependency):
            return (state.seconds_since_start or 0.0) >= self.dependency_wait_seconds
        return state.attempt_number >= self.max_attempts

    async def _sleep(self, seconds: float) -> None:
        """Back off, but wake at once when the service stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    @staticmethod
    def _log_retry(state: RetryCallState, event_id: str, what: str) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "effect failed; retrying",
            extra={
                "consumer": what,
                "event_id": event_id,
                "attempt": state.attempt_number,
                "outage": bool(error and is_outage(error)),
                "error": repr(error),
                "retry_in_seconds": round(state.upcoming_sleep, 2),
            },
        )
