"""Per-consumer throughput: inbox-svc's and notify-svc's ``invoice.issued`` consumers
against a minimal consumer doing the same store writes, on the same broker and the same
FerretDB in the same run.

1. The slice starts on its own run; members are registered and one invoice each goes
   all the way through (the warm-up: every consumer has joined and knows the members);
   identity-svc and billing-svc stop (their relays would poll the store meanwhile).
2. K ``invoice.issued`` events are produced straight onto the run's topic (faster than
   any consumer drains it) and the services drain it; their rate comes from the time
   stamps of their last write per event (inbox's documents ``stored_at``, notify's
   ``emails_sent``), since the warm-up.
3. The services stop. A minimal aiokafka consumer per service drains the same topic
   (own group): partitions in parallel, in order within each, one commit per batch; per
   event it inserts copies of exactly the documents the service wrote for the warm-up
   invoice (into a scratch database on the same FerretDB) and, for notify, sends the
   e-mail over SMTP. No reads, no ledger lookups, no framework.

Rates are events/s over the middle 80 % of completions (``steady_rate``).
"""

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import aiosmtplib
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from billing.domain.structured_reference import structured_reference
from mylm_shared.events import INVOICE_ISSUED, InvoiceIssuedV1, InvoiceLineV1, new_event
from pymongo import AsyncMongoClient

from bench.end_to_end import INVOICE_CONSUMERS, Bench, say, started_run, warm_up
from bench.seed import Document, Template, copier
from bench.stats import ratio, steady_rate
from bench.trace import Run, drained_groups
from testkit.platform import Endpoints, isolated

CONSUMERS = ("inbox", "notify")
# The write that ends each service's handling of one event (collection, time stamp field).
LAST_WRITE = {"inbox": ("documents", "stored_at"), "notify": ("emails_sent", "at")}
FIRST_REFERENCE = 8_000_000_000
Effect = Callable[[dict[str, Any]], Awaitable[None]]


async def consumer_throughput(endpoints: Endpoints, events: int) -> dict[str, Any]:
    client: AsyncMongoClient[Document] = AsyncMongoClient(endpoints.mongodb_uri, tz_aware=True)
    try:
        async with started_run(endpoints, "c") as bench:
            return await _measure(bench, endpoints, client, events)
    finally:
        await client.close()


async def _measure(
    bench: Bench, endpoints: Endpoints, client: AsyncMongoClient[Document], events: int
) -> dict[str, Any]:
    run_id, run, tail, services, members = (
        bench.run_id,
        bench.run,
        bench.tail,
        bench.services,
        bench.members,
    )
    database = {m: str(isolated(endpoints, run_id, m)["mongodb_database"]) for m in CONSUMERS}
    probe = await warm_up(bench.issuer, run, tail, len(members))
    published = tail.first(probe.invoice_id or "")
    assert published is not None
    template = Template(probe.invoice_id or "", published.event_id, members[probe.index])
    await template.read(client, list(database.values()))
    for idle in ("identity", "billing"):  # no load of theirs on the store meanwhile
        await asyncio.to_thread(services.services[idle].stop)

    say(f"{run_id}: consumers: {events} events onto {run.topic}")
    since = datetime.now(UTC)
    event_ids = await produce(run.bootstrap, run.topic, members, events)
    await wait_drained(run, within=max(300.0, events / 5))
    service_rates = {
        m: await effect_rate(client, database[m], LAST_WRITE[m], since) for m in CONSUMERS
    }
    await asyncio.to_thread(services.stop)

    say(f"{run_id}: consumers: minimal consumers on the same topic")
    for m in CONSUMERS:  # the same writes cost the same: the service's indexes too
        await mirror_indexes(client, database[m], f"{run_id}_minimal_{m}", template)
    effects = {
        m: writes_like(client, f"{run_id}_minimal_{m}", database[m], template) for m in CONSUMERS
    }
    effects["notify"] = with_email(effects["notify"], endpoints.smtp_url, services.email_domain)
    done = await asyncio.gather(
        *(minimal_consumer(run, f"{run_id}.minimal-{m}", effects[m], event_ids) for m in CONSUMERS)
    )
    figures: dict[str, Any] = {"events": events}
    for module, completions in zip(CONSUMERS, done, strict=True):
        minimal = steady_rate(completions)
        figures[module] = {
            "service_per_s": service_rates[module],
            "minimal_per_s": minimal,
            "ratio": ratio(service_rates[module], minimal),
            "writes_per_event": sum(
                len(docs)
                for (db, _), docs in template.per_invoice.items()
                if db == database[module]
            ),
        }
    return figures


async def produce(bootstrap: str, topic: str, members: list[str], count: int) -> set[str]:
    """``count`` invoice.issued events as billing's relay would send them; their ids."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        ids: set[str] = set()
        sends = []
        for k in range(count):
            member_id = members[k % len(members)]
            event = new_event(
                INVOICE_ISSUED,
                InvoiceIssuedV1(
                    invoice_id=str(uuid.uuid4()),
                    member_id=member_id,
                    issue_date=date(2026, 11, 23),
                    due_date=date(2026, 12, 23),
                    total=Decimal("12.50"),
                    structured_reference=structured_reference(FIRST_REFERENCE + k),
                    lines=[
                        InvoiceLineV1(
                            service_date=date(2026, 11, 2),
                            description="Consultatie",
                            amount=Decimal("12.50"),
                        )
                    ],
                ),
                source="/bench",
                subject=member_id,
            )
            ids.add(event.id)
            headers = [
                ("content-type", b"application/cloudevents+json"),
                ("ce_id", event.id.encode()),
            ]
            sends.append(
                await producer.send(
                    topic,
                    event.model_dump_json().encode(),
                    key=member_id.encode(),
                    headers=headers,
                )
            )
        await asyncio.gather(*sends)
        return ids
    finally:
        await producer.stop()


async def wait_drained(run: Run, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        groups = await drained_groups(run.bootstrap, f"{run.run_id}.", run.topic)
        if len(groups) >= INVOICE_CONSUMERS:
            return
        await asyncio.sleep(0.5)
    say(f"{run.run_id}: consumers: not drained within {within:.0f} s; rates from what was done")


async def effect_rate(
    client: AsyncMongoClient[Document], database: str, last_write: tuple[str, str], since: datetime
) -> float | None:
    """Events/s of a service's consumer, from the time stamps of its last write per event."""
    collection, stamp = last_write
    completions = [
        doc[stamp].timestamp()
        async for doc in client[database][collection].find({}, {stamp: 1})
        if doc.get(stamp) and doc[stamp] >= since
    ]
    return steady_rate(completions)


async def mirror_indexes(
    client: AsyncMongoClient[Document], database: str, scratch: str, template: Template
) -> None:
    """Creates in ``scratch`` the secondary indexes the service's collections have, for
    the collections the template writes to."""
    for db, name in template.per_invoice:
        if db != database:
            continue
        async for index in await client[database][name].list_indexes():
            if index["name"] == "_id_":
                continue
            await client[scratch][name].create_index(
                list(index["key"].items()), name=index["name"], unique=index.get("unique", False)
            )


def writes_like(
    client: AsyncMongoClient[Document], scratch: str, database: str, template: Template
) -> Effect:
    """Inserts, per event, copies of what the service stored for the template invoice."""
    documents = [
        (name, doc)
        for (db, name), docs in template.per_invoice.items()
        if db == database
        for doc in docs
    ]
    copy = copier(template.tokens)

    async def effect(event: dict[str, Any]) -> None:
        data = event.get("data", {})
        mapping = template.mapping(
            member_id=data.get("member_id", ""),
            invoice_id=data.get("invoice_id", ""),
            event_id=event["id"],
            reference=data.get("structured_reference", ""),
        )
        for name, document in documents:
            await client[scratch][name].insert_one(copy(document, mapping))

    return effect


def with_email(effect: Effect, smtp_url: str, domain: str) -> Effect:
    """``effect``, then one e-mail over SMTP (a new connection each, as notify does)."""
    parts = urlsplit(smtp_url)

    async def send(event: dict[str, Any]) -> None:
        await effect(event)
        message = EmailMessage()
        message["From"] = "bench@notify.mylm"
        message["To"] = f"minimal@{domain}"
        message["Subject"] = f"Invoice {event.get('data', {}).get('structured_reference', '')}"
        message["Message-ID"] = f"<{event['id']}@minimal.bench>"
        message.set_content("A new invoice is available.")
        await aiosmtplib.send(
            message, hostname=parts.hostname or "127.0.0.1", port=parts.port or 25
        )

    return send


async def minimal_consumer(
    run: Run, group: str, effect: Effect, wanted: set[str], within: float = 600.0
) -> list[float]:
    """Drain the topic with ``effect`` per event; completion times of ``wanted`` events."""
    done: list[float] = []
    remaining = set(wanted)
    consumer = AIOKafkaConsumer(
        run.topic,
        group_id=group,
        bootstrap_servers=run.bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )

    async def partition(records: list[Any]) -> None:
        for record in records:  # in order within a partition, like the services
            event = json.loads(record.value or b"{}")
            await effect(event)
            if event.get("id") in remaining:
                remaining.discard(event["id"])
                done.append(time.time())

    await consumer.start()
    try:
        async with asyncio.timeout(within):
            while remaining:
                batches = await consumer.getmany(timeout_ms=500)
                await asyncio.gather(*(partition(batch) for batch in batches.values()))
                if batches:
                    await consumer.commit()
    except TimeoutError:
        say(f"{group}: {len(remaining)} events not done within {within:.0f} s")
    finally:
        await consumer.stop()
    return done
