"""Percentiles and latency summaries (milliseconds, rounded for the JSON report)."""

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: int) -> float | None:
    """The q-th percentile (inclusive method); None without values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def latency(values: Sequence[float]) -> dict[str, float | int | None]:
    """Count, p50, p99 and max of durations given in seconds."""
    return {
        "n": len(values),
        "p50_ms": ms(percentile(values, 50)),
        "p99_ms": ms(percentile(values, 99)),
        "max_ms": ms(max(values)) if values else None,
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def steady_rate(completions: Sequence[float], middle: float = 0.8) -> float | None:
    """Events/s over the middle ``middle`` share of completion times: leaves out the
    start (group join, rebalances, cold caches) and the tail of a drain."""
    times = sorted(completions)
    if len(times) < 10:
        return None
    first = round(len(times) * (1 - middle) / 2)
    last = len(times) - 1 - first
    span = times[last] - times[first]
    return round((last - first) / span, 1) if span > 0 else None
