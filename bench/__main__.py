"""`make bench` (`python -m bench`): the slice end to end under load, per stage, and
each consumer against a minimal one. A benchmark, not a test: it reports figures (lost
and duplicated e-mails included) and fails only if the platform or the services cannot
run at all.

Modes (each prints one JSON object on stdout; progress goes to stderr):
  --invoices N [--concurrency C]   closed loop: N invoices, C POSTs in flight (default)
  --rate R --seconds S             open loop: R invoices/s for S s, each POST sent when
                                   due whatever the latency of the others
  --grown K                        the same load twice: on an empty store, then with K
                                   invoices already stored; reports the ratio
  --consumer-events K              inbox's and notify's consumers draining K events vs
                                   a minimal consumer doing the same writes (0: skip)
Each run uses fresh services and its own databases, topics and e-mail domain on the
shared servers, and removes them afterwards. Fields: docs/benchmark.md.
"""

import argparse
import asyncio
import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from bench.consumers import consumer_throughput
from bench.end_to_end import Load, end_to_end, say
from bench.stats import ratio
from testkit.platform import Endpoints, running_platform

FERRETDB_METRICS = "http://127.0.0.1:28088/debug/metrics"
COMPARED = ("throughput_per_s", "p50_ms", "p99_ms", "p99_inbox_ms", "lost", "duplicated")


async def describe_store(endpoints: Endpoints) -> str:
    """Which document store answered (FerretDB's backend from its metrics, if local)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(endpoints.mongodb_uri)
    try:
        info = await client.admin.command("buildInfo")
    finally:
        await client.close()
    if "ferretdbVersion" not in info:
        return f"MongoDB {info.get('version')}"
    backend = "unknown backend"
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            metrics = (await http.get(FERRETDB_METRICS)).text
        if found := re.search(r'ferretdb_up\{[^}]*backend_name="([^"]+)"', metrics):
            backend = found.group(1)
    except httpx.HTTPError:
        pass
    return f"FerretDB {info['ferretdbVersion']} on {backend}"


async def bench(
    endpoints: Endpoints, load: Load, grown: int, consumer_events: int
) -> dict[str, Any]:
    if load.rate is None:
        result: dict[str, Any] = {
            "mode": "closed",
            "invoices": load.invoices,
            "concurrency": load.concurrency,
        }
    else:
        result = {"mode": "open", "rate_per_s": load.rate, "seconds": load.seconds}
    result["store"] = await describe_store(endpoints)
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    if grown:
        say(f"empty store, then {grown} invoices stored")
        empty = await end_to_end(endpoints, load)
        result |= await end_to_end(endpoints, load, grown=grown)
        result["empty_store"] = {k: empty[k] for k in COMPARED}
        result["throughput_vs_empty_store"] = ratio(
            result["throughput_per_s"], empty["throughput_per_s"]
        )
        result["p99_vs_empty_store"] = ratio(result["p99_ms"], empty["p99_ms"])
    else:
        result |= await end_to_end(endpoints, load)
    if consumer_events:
        result["consumers"] = await consumer_throughput(endpoints, consumer_events)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoices", type=int, default=2000, help="closed loop: how many")
    parser.add_argument("--concurrency", type=int, default=4, help="closed loop: in flight")
    parser.add_argument("--rate", type=float, help="open loop: invoices per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="open loop: how long")
    parser.add_argument("--grown", type=int, default=0, help="invoices stored beforehand")
    parser.add_argument("--consumer-events", type=int, default=500, help="0: skip")
    args = parser.parse_args()
    load = Load(args.invoices, args.concurrency, args.rate or None, args.seconds)
    with running_platform() as endpoints:
        result = asyncio.run(bench(endpoints, load, args.grown, args.consumer_events))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
