"""Where each invoice is on its way: POST → published → inbox document → e-mail accepted.

* published: the timestamp of its ``invoice.issued`` record on the run's topic (set by
  billing's relay when it sends), which also gives the event id;
* inbox document: ``stored_at`` (or ``saved_at``) of the document inbox-svc filed for
  it (its insert time);
* e-mail accepted: Mailpit's ``Created`` of the message whose Message-ID is
  ``<event id@…>`` (notify derives it from the event, so a resend has the same one).

Waiting is by id, never by a count: until every accepted invoice is on the topic and
every consumer group of the run has committed the whole topic, then the stores are
read once per id (a few more times within a short grace if something is missing).
"""

import asyncio
import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from inbox.adapters.repository import DOCUMENTS
from pymongo import AsyncMongoClient

from testkit.kafka import end_offsets
from testkit.mailpit import Mailpit

GRACE_SECONDS = 10.0  # after the consumers committed everything, for the stores to show it


@dataclass
class Published:
    event_id: str
    at: float  # record timestamp, epoch seconds


class TopicTail:
    """Follows a topic from its beginning in the background: invoice id → records."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.records: dict[str, list[Published]] = {}
        self._consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # No group: the consumer is assigned every partition (the topic exists already).
        await self._consumer.start()
        self._task = asyncio.create_task(self._follow())

    async def _follow(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=500)
            for batch in batches.values():
                for record in batch:
                    try:
                        event = json.loads(record.value or b"{}")
                        invoice_id, event_id = event["data"]["invoice_id"], event["id"]
                    except (ValueError, KeyError, TypeError):
                        continue  # not an invoice event of ours: not the benchmark's business
                    self.records.setdefault(invoice_id, []).append(
                        Published(event_id, record.timestamp / 1000)
                    )

    def first(self, invoice_id: str) -> Published | None:
        found = self.records.get(invoice_id)
        return min(found, key=lambda p: p.at) if found else None

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()


async def drained_groups(bootstrap: str, prefix: str, topic: str) -> list[str]:
    """Consumer groups named ``prefix…`` that have committed every record of ``topic``."""
    ends = {tp: end for tp, end in (await end_offsets(bootstrap, topic)).items()}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        drained = []
        for group, *_ in await admin.list_consumer_groups():
            if not str(group).startswith(prefix):
                continue
            committed = {
                tp: meta.offset
                for tp, meta in (await admin.list_consumer_group_offsets(group)).items()
                if tp.topic == topic
            }
            if committed and all(committed.get(tp, 0) >= end for tp, end in ends.items()):
                drained.append(str(group))
        return drained
    finally:
        await admin.close()


@dataclass
class Arrivals:
    """What the stores hold for the invoices: first time seen, and copies per e-mail."""

    inbox: dict[str, float | None] = field(default_factory=dict)  # invoice id → stored_at
    email: dict[str, float] = field(default_factory=dict)  # event id → first accepted
    copies: Counter[str] = field(default_factory=Counter)  # event id → e-mails accepted


async def read_inbox(
    mongodb_uri: str, database: str, invoice_ids: list[str]
) -> dict[str, float | None]:
    """invoice id → ``stored_at`` (epoch s; None if inbox-svc does not write it)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    found: dict[str, float | None] = {}
    try:
        documents = client[database][DOCUMENTS]
        for i in range(0, len(invoice_ids), 1000):
            cursor = documents.find(
                {"source_id": {"$in": invoice_ids[i : i + 1000]}},
                {"source_id": 1, "stored_at": 1, "saved_at": 1},
            )
            async for document in cursor:
                # stored_at: inbox's insert time; saved_at: the same, if the documents
                # become versioned aggregates (mylm_shared.aggregates)
                stored: datetime | None = document.get("stored_at") or document.get("saved_at")
                found[document["source_id"]] = stored.timestamp() if stored else None
    finally:
        await client.close()
    return found


async def read_emails(mailpit_api: str, domain: str) -> tuple[dict[str, float], Counter[str]]:
    """event id → first ``Created`` of its e-mail, and the number of copies per event."""
    mailpit = Mailpit(mailpit_api)
    try:
        messages = await mailpit.messages_to(domain)
    finally:
        await mailpit.aclose()
    first: dict[str, float] = {}
    copies: Counter[str] = Counter()
    for message in messages:
        event_id = message["MessageID"].strip("<>").split("@")[0]
        created = datetime.fromisoformat(message["Created"]).timestamp()
        copies[event_id] += 1
        first[event_id] = min(created, first.get(event_id, created))
    return first, copies


async def delete_emails(mailpit_api: str, domain: str) -> None:
    """Remove the run's e-mails from Mailpit (best effort)."""
    async with httpx.AsyncClient(base_url=mailpit_api, timeout=30) as client:
        with contextlib.suppress(httpx.HTTPError):
            await client.delete("/api/v1/search", params={"query": f"to:{domain}"})


@dataclass
class Run:
    """The names one isolated run uses on the shared servers."""

    bootstrap: str
    mongodb_uri: str
    mailpit_api: str
    run_id: str
    inbox_database: str
    email_domain: str

    @property
    def topic(self) -> str:
        return f"{self.run_id}.invoice.issued"


async def wait_and_collect(
    run: Run, tail: TopicTail, invoice_ids: list[str], consumers: int, within: float
) -> tuple[Arrivals, bool]:
    """Wait (by id, with a deadline) until every invoice went through, then read the
    stores. Returns what arrived and whether the wait ended before the deadline."""
    deadline = time.monotonic() + within
    finished = False
    while time.monotonic() < deadline:
        if all(i in tail.records for i in invoice_ids):
            groups = await drained_groups(run.bootstrap, f"{run.run_id}.", run.topic)
            if len(groups) >= consumers:
                finished = True
                break
        await asyncio.sleep(0.5)
    arrivals = Arrivals()
    grace = time.monotonic() + (GRACE_SECONDS if finished else 0.0)
    while True:
        arrivals.inbox = await read_inbox(run.mongodb_uri, run.inbox_database, invoice_ids)
        arrivals.email, arrivals.copies = await read_emails(run.mailpit_api, run.email_domain)
        if all(_complete(arrivals, tail, i) for i in invoice_ids) or time.monotonic() > grace:
            return arrivals, finished
        await asyncio.sleep(1.0)


def _complete(arrivals: Arrivals, tail: TopicTail, invoice_id: str) -> bool:
    published = tail.first(invoice_id)
    return (
        published is not None
        and invoice_id in arrivals.inbox
        and published.event_id in arrivals.email
    )
