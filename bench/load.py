"""Load generators: staff POST invoices to billing-svc, closed loop or open loop.

Closed loop: a fixed number of requests in flight; each answer lets the next one go.
Open loop: request i is due at ``t0 + i / rate`` whatever the latency of the others
(its latency counts from when it was due, so a slow system cannot slow the load
down and hide its own queueing — no coordinated omission).
"""

import asyncio
import time
from dataclasses import dataclass

import httpx

CONNECTIONS = 1000  # open loop: every due request gets a connection, up to this many


@dataclass
class Post:
    """One POST /v1/invoices and what came of it (times: Unix epoch seconds)."""

    index: int
    key: str
    due: float  # latencies count from here
    started: float = 0.0
    answered: float | None = None
    status: int | None = None  # None: no answer (timeout, connection error)
    invoice_id: str | None = None


class Issuer:
    """Issues invoices as one staff user; members in turn (the Kafka key spreads them)."""

    def __init__(self, billing_url: str, headers: dict[str, str], members: list[str]) -> None:
        self._members = members
        self._http = httpx.AsyncClient(
            base_url=billing_url,
            headers=headers,
            timeout=60,
            limits=httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=100),
        )

    async def issue(self, post: Post) -> Post:
        body = {
            "member_id": self._members[post.index % len(self._members)],
            "issue_date": "2026-11-23",
            "due_date": "2026-12-23",
            "lines": [
                {
                    "service_date": "2026-11-02",
                    "description": "Consultatie",
                    "amount": f"{post.index % 500 + 1}.00",
                }
            ],
        }
        post.started = time.time()
        try:
            response = await self._http.post(
                "/v1/invoices", json=body, headers={"Idempotency-Key": post.key}
            )
        except httpx.HTTPError:
            post.answered = time.time()
            return post
        post.answered = time.time()
        post.status = response.status_code
        if response.status_code == 201:
            post.invoice_id = response.json()["invoice_id"]
        return post

    async def closed_loop(self, prefix: str, count: int, concurrency: int) -> list[Post]:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> Post:
            async with gate:
                return await self.issue(Post(i, f"{prefix}-{i}", due=time.time()))

        return list(await asyncio.gather(*(one(i) for i in range(count))))

    async def open_loop(self, prefix: str, rate: float, seconds: float) -> list[Post]:
        loop = asyncio.get_running_loop()
        count = round(rate * seconds)
        start_loop, start_wall = loop.time() + 0.05, time.time() + 0.05
        tasks: list[asyncio.Task[Post]] = []
        for i in range(count):
            # Pacing the schedule, not synchronising on anything: wake when request i is due.
            await asyncio.sleep(max(0.0, start_loop + i / rate - loop.time()))
            post = Post(i, f"{prefix}-{i}", due=start_wall + i / rate)
            tasks.append(asyncio.create_task(self.issue(post)))
        return list(await asyncio.gather(*tasks))

    async def aclose(self) -> None:
        await self._http.aclose()
