"""Re-announce identity's directory to its consumers (issue 18 item 3, EI-2): the rules
are ``identity.domain.reannouncement``'s; this walks the members and then the accounts
with the shared paced, resumable fan-out (``mylm_shared.fanout``), through identity's
outbox.

Two triggers, one runner: each start of identity opens the current backfill
generation's run (``at_start_up``; a generation recorded done is not run again), and
staff ask for a run with ``POST /v1/jobs/reannounce`` (``request``: a request still to
be done is answered again, so the route is idempotent). The scheduler task ``run``,
under identity's lease ``identity-reannounce`` (one replica), does every run still to
be done and records it done. A run interrupted by a crash or a lost lease resumes after
its last batch written; a run done again writes events with the same ids (consumers
deduplicate them) and the same times (projections keep what they have).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from mylm_shared.auth import Clock, utc_now
from mylm_shared.fanout import fan_out

from identity.domain.reannouncement import (
    GENERATION,
    Replayed,
    Run,
    generation_run,
    replay_account,
    replay_member,
)
from identity.service.ports import DirectorySnapshot, Reannouncements

log = logging.getLogger(__name__)

LEASE_NAME = "identity-reannounce"


@dataclass(frozen=True)
class RunAccepted:
    run_id: str
    generation: int


@dataclass
class Reannouncement:
    directory: DirectorySnapshot
    runs: Reannouncements
    batch_size: int = 200
    pause_seconds: float = 1.0
    # Real time, never a test's moved clock: runs are compared with the stored versions'
    # ``saved_at`` (``mylm_shared.aggregates``), which is real time.
    clock: Clock = utc_now
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def at_start_up(self) -> None:
        """The current generation's run, to be done unless it was (EI-2 backfill)."""
        await self.runs.open(generation_run(GENERATION), self.clock())

    async def request(self) -> RunAccepted:
        """Staff ask for a re-announcement now (idempotent while it is to be done)."""
        return RunAccepted(await self.runs.request(self.clock()), GENERATION)

    async def run(self, today: date | None = None) -> int:
        """The scheduler's task: every run to be done, to its end, each then recorded
        done. Answers how many events were written."""
        written = 0
        for run in await self.runs.pending():
            events = await self._run(run)
            await self.runs.finish(run.run_id, self.clock())
            log.info("directory re-announced", extra={"run": run.run_id, "events": events})
            written += events
        return written

    async def _run(self, run: Run) -> int:
        async def members(after: str) -> tuple[list[Replayed], str, bool]:
            page, end, exhausted = await self.directory.members_after(after, self.batch_size)
            replays = (replay_member(stored, run.opened_at) for stored in page)
            return [replay for replay in replays if replay is not None], end, exhausted

        async def accounts(after: str) -> tuple[list[Replayed], str, bool]:
            page, end, exhausted = await self.directory.accounts_after(after, self.batch_size)
            replays = (replay_account(stored, run.opened_at) for stored in page)
            return [replay for replay in replays if replay is not None], end, exhausted

        # Members first: a consumer then knows the member when their account arrives.
        written = 0
        for part, page in (("members", members), ("accounts", accounts)):
            written += await fan_out(
                f"{run.run_id}:{part}",
                self.runs,
                page,
                pause_seconds=self.pause_seconds,
                sleep=self.sleep,
            )
        return written
