"""Wait for a condition with a deadline (never a bare sleep as synchronisation)."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    *,
    until: Callable[[T], bool] = bool,
    within: float = 30.0,
    interval: float = 0.1,
    what: str = "condition",
) -> T:
    """Call ``probe`` until ``until(result)`` holds; fail with the last result at the deadline."""
    deadline = time.monotonic() + within
    while True:
        result = await probe()
        if until(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {within:.0f}s; last: {result!r}")
        await asyncio.sleep(interval)


async def throughout(
    check: Callable[[], Awaitable[None]], *, seconds: float, interval: float = 0.5
) -> None:
    """Run ``check`` (which asserts) again and again until ``seconds`` have passed: for a
    condition that must *keep* holding (nothing delivered during an outage), polled up
    to a deadline."""
    deadline = time.monotonic() + seconds
    while True:
        await check()
        if time.monotonic() >= deadline:
            return
        await asyncio.sleep(interval)
