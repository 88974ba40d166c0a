"""`make bench`: end-to-end throughput and latency of the slice vs raw Kafka.

Issues N invoices (default 2000) through billing-svc's API and measures, for each, the
time from the POST to the moment Mailpit (the SMTP server) accepted its e-mail. Then,
on the same broker in the same run, it measures raw aiokafka produce→consume of N
messages of the same size. Prints one JSON object. A benchmark, not a test.
"""

import argparse
import asyncio
import json
import re
import statistics
import time
import uuid
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from mylm_shared.kafka import ensure_topics

from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, remove_run, running_platform
from testkit.polling import eventually
from testkit.slice import Slice, User

AMOUNT = re.compile(r"€ ([\d ]+),00")
PARTITIONS = 3


async def issue_all(staff: User, members: list[str], n: int, concurrency: int) -> dict[int, float]:
    """POST n invoices (amount i+1 euro identifies invoice i); returns i -> POST start time."""
    started: dict[int, float] = {}
    gate = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with gate:
            started[i] = time.time()
            response = await staff.issue_invoice(members[i % len(members)], f"b{i}", f"{i + 1}.00")
            response.raise_for_status()

    await asyncio.gather(*(one(i) for i in range(n)))
    return started


def percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


async def end_to_end(endpoints: Endpoints, n: int, concurrency: int) -> dict[str, Any]:
    services = Slice(f"bench{uuid.uuid4().hex[:8]}", endpoints)
    services.start()
    mailpit = Mailpit(endpoints.mailpit_api)
    staff = await User.log_in(services, "demo.staff")
    try:
        members = [await staff.register_member(f"b{i}", "nl") for i in range(8)]
        for member_id in members:
            await eventually(
                lambda m=member_id: staff.issue_invoice(m, f"probe-{m}", "0.01"),  # type: ignore[misc]
                until=lambda r: r.status_code == 201,
            )
        started = await issue_all(staff, members, n, concurrency)
        issued_in = time.time() - min(started.values())
        emails = await eventually(
            lambda: mailpit.messages_to(services.email_domain),
            until=lambda e: len(e) >= n + len(members),
            within=max(300.0, n / 5),
            interval=1.0,
        )
        accepted: dict[int, float] = {}
        for email in emails:
            match = AMOUNT.search(email["Subject"])
            if match:
                euros = int(match.group(1).replace(" ", "").replace("\u202f", ""))
                accepted[euros - 1] = datetime.fromisoformat(email["Created"]).timestamp()
        latencies = [accepted[i] - started[i] for i in range(n)]
        elapsed = max(accepted.values()) - min(started.values())
        return {
            "throughput_per_s": round(n / elapsed, 1),
            "elapsed_s": round(elapsed, 2),
            "latency_p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "latency_p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "concurrency": concurrency,
            "api_issue_rate_per_s": round(n / issued_in, 1),
        }
    finally:
        await staff.aclose()
        await mailpit.aclose()
        services.stop()
        await remove_run(endpoints, services.run_id)


async def raw_kafka(endpoints: Endpoints, n: int, size: int) -> dict[str, Any]:
    """aiokafka alone: produce n messages (acks=all, idempotent) and consume them all."""
    topic = f"bench{uuid.uuid4().hex[:8]}.raw"
    bootstrap = endpoints.kafka_bootstrap_servers
    await ensure_topics(bootstrap, [topic], PARTITIONS)
    # no group: the consumer is assigned every partition at start
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    try:
        payload = b"x" * size
        start = time.time()

        async def produce() -> None:
            sends = [
                await producer.send(topic, payload, key=str(i % 64).encode()) for i in range(n)
            ]
            await asyncio.gather(*sends)

        received = 0

        async def consume() -> None:
            nonlocal received
            while received < n:
                batches = await consumer.getmany(timeout_ms=1000)
                received += sum(len(b) for b in batches.values())

        await asyncio.gather(produce(), consume())
        elapsed = time.time() - start
        return {"throughput_per_s": round(n / elapsed, 1), "elapsed_s": round(elapsed, 3)}
    finally:
        await producer.stop()
        await consumer.stop()
        await remove_run(endpoints, topic.split(".")[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with running_platform() as endpoints:
        e2e = asyncio.run(end_to_end(endpoints, args.invoices, args.concurrency))
        raw = asyncio.run(raw_kafka(endpoints, args.invoices, size=900))
    print(
        json.dumps(
            {
                "invoices": args.invoices,
                "end_to_end": e2e,
                "raw_kafka_produce_consume": raw,
                "ratio_end_to_end_vs_raw": round(
                    e2e["throughput_per_s"] / raw["throughput_per_s"], 4
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
