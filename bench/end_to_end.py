"""One end-to-end run: fresh services on an isolated run, members, load, per-stage figures."""

import asyncio
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bench.load import Issuer, Post
from bench.seed import Template, grow_store
from bench.stats import latency, ms, percentile
from bench.trace import (
    Arrivals,
    Published,
    Run,
    TopicTail,
    delete_emails,
    wait_and_collect,
)
from testkit.platform import Endpoints, isolated, remove_run
from testkit.polling import eventually
from testkit.slice import Slice, User

MEMBERS = 16  # invoices go to these in turn; their ids are the Kafka keys
INVOICE_CONSUMERS = 2  # inbox-svc and notify-svc consume invoice.issued


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


async def clean_up(endpoints: Endpoints, run_id: str, email_domain: str) -> None:
    """Remove the run's databases, topics and e-mails; a failure here (the platform
    went away) is told, not raised over the error that may have ended the run."""
    try:
        await remove_run(endpoints, run_id)
        await delete_emails(endpoints.mailpit_api, email_domain)
    except Exception as error:
        say(f"{run_id}: could not clean up: {error!r}")


@dataclass(frozen=True)
class Load:
    """Closed loop (``rate`` None): ``invoices`` with ``concurrency`` in flight.
    Open loop: ``rate`` invoices/s for ``seconds``."""

    invoices: int = 2000
    concurrency: int = 4
    rate: float | None = None
    seconds: float = 60.0

    @property
    def count(self) -> int:
        return self.invoices if self.rate is None else round(self.rate * self.seconds)


@dataclass
class Bench:
    """A started run: its services, topic reader, members and the staff issuing invoices."""

    run_id: str
    services: Slice
    run: Run
    tail: TopicTail
    members: list[str]
    issuer: Issuer


@asynccontextmanager
async def started_run(endpoints: Endpoints, label: str) -> AsyncIterator[Bench]:
    """Fresh services on an isolated run with ``MEMBERS`` members (named ``label0`` …);
    afterwards everything stops and the run's databases, topics and e-mails go."""
    run_id = f"bench{uuid.uuid4().hex[:8]}"
    services = Slice(run_id, endpoints)
    run = Run(
        endpoints.kafka_bootstrap_servers,
        endpoints.mongodb_uri,
        endpoints.mailpit_api,
        run_id,
        str(isolated(endpoints, run_id, "inbox")["mongodb_database"]),
        services.email_domain,
    )
    tail = TopicTail(run.bootstrap, run.topic)
    staff: User | None = None
    issuer: Issuer | None = None
    try:
        say(f"{run_id}: starting the services")
        await asyncio.to_thread(services.start)
        await tail.start()
        staff = await User.log_in(services, "demo.staff")
        members = list(
            await asyncio.gather(
                *(staff.register_member(f"{label}{i}", "nl") for i in range(MEMBERS))
            )
        )
        issuer = Issuer(services.url("billing"), staff.headers, members)
        yield Bench(run_id, services, run, tail, members, issuer)
    finally:
        if issuer:
            await issuer.aclose()
        if staff:
            await staff.aclose()
        await tail.stop()
        await asyncio.to_thread(services.stop)
        await clean_up(endpoints, run_id, services.email_domain)


async def end_to_end(endpoints: Endpoints, load: Load, grown: int = 0) -> dict[str, Any]:
    async with started_run(endpoints, "b") as bench:
        run_id, run, tail, issuer = bench.run_id, bench.run, bench.tail, bench.issuer
        probe = await warm_up(issuer, run, tail, len(bench.members))
        seeded = None
        if grown:
            say(f"{run_id}: growing the store by {grown} invoices")
            published = tail.first(probe.invoice_id or "")
            assert published is not None
            template = Template(
                probe.invoice_id or "", published.event_id, bench.members[probe.index]
            )
            databases = [
                str(isolated(endpoints, run_id, module)["mongodb_database"])
                for module in ("billing", "inbox", "notify")
            ]
            seeded = await grow_store(endpoints.mongodb_uri, databases, template, grown)
        say(f"{run_id}: issuing {load.count} invoices")
        if load.rate is None:
            posts = await issuer.closed_loop("b", load.invoices, load.concurrency)
        else:
            posts = await issuer.open_loop("b", load.rate, load.seconds)
        accepted = [p.invoice_id for p in posts if p.invoice_id]
        say(f"{run_id}: waiting for {len(accepted)} invoices by id")
        arrivals, finished = await wait_and_collect(
            run, tail, accepted, INVOICE_CONSUMERS, within=max(300.0, len(posts) / 5)
        )
        figures = report(posts, arrivals, tail.records, finished)
        if seeded:
            figures["seeded"] = seeded
        return figures


async def warm_up(issuer: Issuer, run: Run, tail: TopicTail, members: int) -> Post:
    """One invoice per member once billing knows it (422 until member.registered is
    consumed), then wait for their e-mails: every consumer has joined and knows them."""

    async def accepted(post: Post) -> Post:
        return await eventually(
            lambda: issuer.issue(Post(post.index, post.key, time.time())),
            until=lambda p: p.status == 201,
            within=120,
            what="billing knows the member",
        )

    probes = await asyncio.gather(
        *(accepted(Post(i, f"probe-{i}", time.time())) for i in range(members))
    )
    ids = [p.invoice_id for p in probes if p.invoice_id]
    _, finished = await wait_and_collect(run, tail, ids, INVOICE_CONSUMERS, within=120)
    if not finished:
        raise RuntimeError(f"{run.run_id}: the warm-up invoices did not go through in 120 s")
    return probes[0]


STAGES = (
    "post_response",  # due → billing-svc answered 201
    "post_to_published",  # due → invoice.issued record on Kafka (relay sent it)
    "published_to_inbox",  # record → inbox document stored
    "published_to_email",  # record → e-mail accepted by the SMTP server
    "post_to_inbox",
    "post_to_email",
)


def report(
    posts: list[Post],
    arrivals: Arrivals,
    published: dict[str, list[Published]],
    finished: bool,
) -> dict[str, Any]:
    """Counts and per-stage latencies (from when each POST was due); ``published``:
    invoice id → its records on the topic."""
    stages: dict[str, list[float]] = {name: [] for name in STAGES}
    accepted = [p for p in posts if p.invoice_id and p.answered]
    lost = lost_emails = lost_inbox = duplicated = republished = 0
    emailed_at: list[float] = []
    for post in accepted:
        assert post.invoice_id and post.answered
        stages["post_response"].append(post.answered - post.due)
        records = published.get(post.invoice_id, [])  # >1: the relay sent it again
        republished += max(0, len(records) - 1)
        events = {r.event_id for r in records}
        filed = post.invoice_id in arrivals.inbox
        stored = arrivals.inbox.get(post.invoice_id)
        emailed = min((arrivals.email[e] for e in events if e in arrivals.email), default=None)
        lost_inbox += not filed
        lost_emails += emailed is None
        lost += not filed or emailed is None
        # Every e-mail beyond the first for an invoice: the same Message-ID accepted
        # again, or (should it ever happen) another event for the same invoice.
        duplicated += max(0, sum(arrivals.copies[e] for e in events) - 1)
        if not records:
            continue
        sent = min(r.at for r in records)
        stages["post_to_published"].append(sent - post.due)
        if stored is not None:
            stages["published_to_inbox"].append(stored - sent)
            stages["post_to_inbox"].append(stored - post.due)
        if emailed is not None:
            emailed_at.append(emailed)
            stages["published_to_email"].append(emailed - sent)
            stages["post_to_email"].append(emailed - post.due)
    first_due = min((p.due for p in posts), default=0.0)
    elapsed = (max(emailed_at) - first_due) if emailed_at else None
    issued_in = max((p.answered or p.started for p in posts), default=0.0) - first_due
    return {
        "sent": len(posts),
        "accepted": len(accepted),
        "post_errors": len(posts) - len(accepted),
        "emails": len(emailed_at),
        "inbox_documents": len(accepted) - lost_inbox,
        "lost": lost,
        "lost_emails": lost_emails,
        "lost_inbox_documents": lost_inbox,
        "duplicated": duplicated,
        "p50_ms": ms(percentile(stages["post_to_email"], 50)),
        "p99_ms": ms(percentile(stages["post_to_email"], 99)),
        "p50_inbox_ms": ms(percentile(stages["post_to_inbox"], 50)),
        "p99_inbox_ms": ms(percentile(stages["post_to_inbox"], 99)),
        "throughput_per_s": round(len(emailed_at) / elapsed, 1) if elapsed else None,
        "elapsed_s": round(elapsed, 2) if elapsed else None,
        "api_rate_per_s": round(len(posts) / issued_in, 1) if issued_in > 0 else None,
        "generator_lag_p99_ms": ms(percentile([p.started - p.due for p in posts], 99)),
        "republished": republished,
        "finished_before_deadline": finished,
        "stages": {name: latency(values) for name, values in stages.items()},
    }
