"""The revocation list every service keeps from the bus: access tokens that are still
signed and unexpired but must be refused (LF-2..LF-4, AC-3, AC-5).

identity-svc announces ``account.status_changed`` (suspension, end, "report
compromise", logout everywhere: ``tokens_invalid_before``) and ``access.changed`` (a
dependant withdrew their titular's access). Each service process reads both topics
*without a consumer group*: every replica must see every event, so it assigns itself
all partitions and starts at the offsets of "now − horizon". The horizon is at least
the longest access-token lifetime: a revocation older than that can only concern tokens
that expired already, so entries older than the horizon are forgotten, and a process
(re)starting needs to read only that much.

Refused, compared at full precision:

- a token whose account (``Principal.account_id``: the actor's for an exchanged token)
  has ``tokens_invalid_before`` after the token's ``iat`` (issued *before* the
  revocation);
- an exchanged token for a dependant's dossier, acting for a titular, issued before
  the dependant's last withdrawal of that titular's access (a later grant needs no
  entry: tokens issued after it are after the withdrawal).

``iat`` precision: JWT allows a non-integer NumericDate, and identity-svc issues
``iat`` in milliseconds, rounded down. So a token issued before a revocation always has
``iat`` < the revocation's instant, and a login right after a reactivation (the same
second) is not refused; only a token issued within the same millisecond after the
revocation would be, on the safe side. A whole-second ``iat`` (another issuer) stays
correct for tokens of before and at worst refuses a token of the revocation's second.

Readiness: ``ready`` is set once the reader has read up to the end offsets it found at
start, so a replica never serves with a list missing a known revocation.

Fail closed (issue 15 item 7): ``current`` is ``ready`` and a read of the bus completed
within ``revocation_stale_seconds``; while it is not, ``TokenVerifier`` answers every
request bearing a token 503 + Retry-After (unauthenticated routes keep answering). A
read that merely returns nothing because the broker went away is not detected here
(the Kafka client retries inside ``getmany``); a reader failing repeatedly is.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol, TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from pydantic import ValidationError

from mylm_shared.auth import Clock, Principal, utc_now
from mylm_shared.events import (
    ACCESS_CHANGED,
    ACCOUNT_STATUS_CHANGED,
    AccessChangedV1,
    AccountStatusChangedV1,
    CloudEvent,
)
from mylm_shared.settings import ServiceSettings

log = logging.getLogger(__name__)
K = TypeVar("K")

TOPICS = (ACCOUNT_STATUS_CHANGED.topic, ACCESS_CHANGED.topic)
ACCOUNT_REFUSED = (
    "This session was ended: the account was suspended, ended or reported compromised, "
    "or logged out everywhere. Log in again."
)
ACCESS_REFUSED = "The dependant withdrew access to this dossier (AC-3, AC-5)."
RETRY_SECONDS = 1.0
FORGET_EVERY_SECONDS = 30.0


class EventFeed(Protocol):
    """Where the events come from (Kafka; a fake in unit tests)."""

    async def open(self, since: datetime) -> None:
        """Position at the events published since ``since``; note where the log ends."""

    async def read(self) -> Sequence[bytes]:
        """The next values (CloudEvents JSON), waiting a little when there are none."""

    @property
    def caught_up(self) -> bool:
        """Everything up to the end noted at ``open`` has been read."""

    async def close(self) -> None: ...


class RevocationState:
    """What is revoked (pure: no I/O), keyed for the check each request makes."""

    def __init__(self, horizon: timedelta) -> None:
        self.horizon = horizon
        self.accounts: dict[str, datetime] = {}  # account id → tokens_invalid_before
        self.withdrawals: dict[tuple[str, str], datetime] = {}  # (dependant, titular) → at

    def apply(self, event: CloudEvent) -> None:
        if event.type == ACCOUNT_STATUS_CHANGED.event_type:
            self.account_revoked(ACCOUNT_STATUS_CHANGED.parse(event))
        elif event.type == ACCESS_CHANGED.event_type:
            self.access_changed(ACCESS_CHANGED.parse(event))

    def account_revoked(self, event: AccountStatusChangedV1) -> None:
        # None: a reactivation; the tokens refused before stay refused (LF-2).
        if event.tokens_invalid_before is not None:
            _keep_latest(self.accounts, event.account_id, event.tokens_invalid_before)

    def access_changed(self, event: AccessChangedV1) -> None:
        # A grant/restore (true) needs nothing: tokens issued after it are after the
        # withdrawal, and those issued before the withdrawal stay refused.
        if not event.titular_may_access and event.titular_member_id is not None:
            key = (event.dependant_member_id, event.titular_member_id)
            _keep_latest(self.withdrawals, key, event.changed_at)

    def refusal(self, principal: Principal) -> str | None:
        issued = principal.issued_at
        if issued is None:  # the verifier requires iat; a token without one is not ours
            return None
        invalid_before = self.accounts.get(principal.account_id)
        if invalid_before is not None and issued < invalid_before:
            return ACCOUNT_REFUSED
        actor = principal.actor
        if actor is not None and actor.member_id and principal.member_id:
            withdrawn = self.withdrawals.get((principal.member_id, actor.member_id))
            if withdrawn is not None and issued < withdrawn:
                return ACCESS_REFUSED
        return None

    def forget_before(self, now: datetime) -> None:
        """Entries older than the horizon can only refuse tokens that expired already."""
        oldest = now - self.horizon
        _forget(self.accounts, oldest)
        _forget(self.withdrawals, oldest)


def _keep_latest(table: dict[K, datetime], key: K, at: datetime) -> None:
    at = at if at.tzinfo else at.replace(tzinfo=UTC)  # compared with aware iat instants
    current = table.get(key)
    if current is None or at > current:
        table[key] = at


def _forget(table: dict[K, datetime], oldest: datetime) -> None:
    for key in [k for k, at in table.items() if at < oldest]:
        del table[key]


class RevocationList:
    """``mylm_shared.auth.Revocations`` fed from the bus in the background."""

    def __init__(
        self,
        feed: EventFeed,
        horizon: timedelta,
        *,
        clock: Clock = utc_now,
        stale_after_seconds: float = 30.0,
        ticks: Callable[[], float] = time.monotonic,
    ) -> None:
        self.state = RevocationState(horizon)
        self._feed = feed
        self._clock = clock
        self._stale_after = stale_after_seconds
        self._ticks = ticks
        self._read_at: float | None = None  # ``ticks`` of the last completed read
        self.ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def refusal(self, principal: Principal) -> str | None:
        return self.state.refusal(principal)

    @property
    def current(self) -> bool:
        """Caught up with what the bus held at start and still reading it (issue 15
        item 7): otherwise a token is answered 503, neither accepted nor refused."""
        if not self.ready.is_set() or self._read_at is None:
            return False
        return self._ticks() - self._read_at <= self._stale_after

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="revocation-list")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._feed.close()

    async def wait_ready(self, timeout_seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_seconds):
                await self.ready.wait()
        return self.ready.is_set()

    async def _run(self) -> None:
        opened = False
        forgotten_at = 0.0
        while True:
            try:
                if not opened:
                    await self._feed.open(self._clock() - self.state.horizon)
                    opened = True
                    self._read_at = self._ticks()
                self._note_caught_up()  # nothing to read at start: ready at once
                for value in await self._feed.read():
                    self._apply(value)
                self._read_at = self._ticks()
                self._note_caught_up()
                if time.monotonic() - forgotten_at > FORGET_EVERY_SECONDS:
                    self.state.forget_before(self._clock())
                    forgotten_at = time.monotonic()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # Kafka unreachable or the topics not declared yet: keep trying; until
                # the first catch-up the service does not report ready.
                log.warning("revocation list: %r; retrying", error)
                await asyncio.sleep(RETRY_SECONDS)

    def _note_caught_up(self) -> None:
        if self._feed.caught_up and not self.ready.is_set():
            log.info("revocation list caught up", extra=self.counts())
            self.ready.set()

    def _apply(self, value: bytes) -> None:
        try:
            self.state.apply(CloudEvent.model_validate_json(value))
        except ValidationError as error:  # not ours to dead-letter: the owner's consumers do
            log.warning("revocation list: malformed event skipped", extra={"error": str(error)})

    def counts(self) -> dict[str, int]:
        return {
            "accounts": len(self.state.accounts),
            "dossier_withdrawals": len(self.state.withdrawals),
        }


class KafkaFeed:
    """Both topics, every partition, no consumer group and no commits."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._topics = [settings.topic(t) for t in TOPICS]
        self._consumer: AIOKafkaConsumer | None = None
        self._ends: dict[TopicPartition, int] = {}
        self._positions: dict[TopicPartition, int] = {}

    async def open(self, since: datetime) -> None:
        partitions = await self._partitions()
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self._settings.kafka_bootstrap_servers,
            client_id=f"{self._settings.service_name}-revocations",
            group_id=None,
            enable_auto_commit=False,
            fetch_max_wait_ms=250,
        )
        await consumer.start()
        try:
            consumer.assign(partitions)
            self._ends = await consumer.end_offsets(partitions)
            starts = await consumer.offsets_for_times(
                {tp: int(since.timestamp() * 1000) for tp in partitions}
            )
            for tp in partitions:
                found = starts.get(tp)
                # None: nothing published since then on that partition.
                self._positions[tp] = found.offset if found is not None else self._ends[tp]
                consumer.seek(tp, self._positions[tp])
        except BaseException:
            await consumer.stop()
            raise
        self._consumer = consumer

    async def _partitions(self) -> list[TopicPartition]:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self._settings.kafka_bootstrap_servers,
            client_id=f"{self._settings.service_name}-revocations",
        )
        await admin.start()
        try:
            described = await admin.describe_topics(self._topics)
        finally:
            await admin.close()
        partitions = [
            TopicPartition(topic["topic"], p["partition"])
            for topic in described
            if not topic["error_code"]
            for p in topic["partitions"]
        ]
        found = {tp.topic for tp in partitions}
        missing = [t for t in self._topics if t not in found]
        if missing:
            raise LookupError(f"topics not declared yet: {', '.join(missing)}")
        return partitions

    async def read(self) -> Sequence[bytes]:
        assert self._consumer is not None
        batches = await self._consumer.getmany(timeout_ms=500, max_records=500)
        values: list[bytes] = []
        for tp, records in batches.items():
            for record in records:
                if record.value is not None:
                    values.append(record.value)
            if records:
                self._positions[tp] = records[-1].offset + 1
        for tp, end in self._ends.items():
            if self._positions.get(tp, 0) < end:  # offsets without a record to return
                self._positions[tp] = await self._consumer.position(tp)
        return values

    @property
    def caught_up(self) -> bool:
        return all(self._positions.get(tp, 0) >= end for tp, end in self._ends.items())

    async def close(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None


def revocation_list(settings: ServiceSettings, *, clock: Clock = utc_now) -> RevocationList:
    return RevocationList(
        KafkaFeed(settings),
        timedelta(seconds=settings.revocation_horizon_seconds),
        clock=clock,
        stale_after_seconds=settings.revocation_stale_seconds,
    )


class RevocationMetrics(Collector):
    """``mylm_revocations_known{kind}``, ``mylm_revocations_ready``."""

    def __init__(self, current: Callable[[], RevocationList | None]) -> None:
        self._current = current  # the running process's list (None before start-up)

    def collect(self) -> Iterator[Metric]:
        revocations = self._current()
        if revocations is None:
            return
        known = GaugeMetricFamily(
            "mylm_revocations_known",
            "Revocations this process holds (accounts, dossier withdrawals) within the horizon.",
            labels=["kind"],
        )
        for kind, count in revocations.counts().items():
            known.add_metric([kind], count)
        yield known
        yield GaugeMetricFamily(
            "mylm_revocations_ready",
            "1 once the revocation list has read the bus up to where it ended at start.",
            value=1 if revocations.ready.is_set() else 0,
        )
        yield GaugeMetricFamily(
            "mylm_revocations_current",
            "1 while the revocation list is current (else tokens are answered 503).",
            value=1 if revocations.current else 0,
        )
