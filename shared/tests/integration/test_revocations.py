"""The revocation list on the real Kafka (LF-2..LF-4, AC-3, AC-5): each process reads
every partition without a consumer group from "now − horizon", is ready once it has read
what the topics held at start, forgets nothing within the horizon, skips what is older,
and applies a new revocation within seconds; two replicas both see every event."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import AIOKafkaProducer
from mylm_shared.auth import Principal
from mylm_shared.events import (
    ACCESS_CHANGED,
    ACCOUNT_STATUS_CHANGED,
    AccessChangedV1,
    AccountStatusChangedV1,
    new_event,
)
from mylm_shared.kafka import ensure_topics
from mylm_shared.revocations import ACCOUNT_REFUSED, RevocationList, revocation_list
from mylm_shared.settings import ServiceSettings

from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration
HOUR = timedelta(hours=1)


def status_changed(account_id: str, invalid_before: datetime) -> bytes:
    payload = AccountStatusChangedV1(
        account_id=account_id,
        member_id=None,
        status="suspended",
        reason="system-security",
        tokens_invalid_before=invalid_before,
    )
    event = new_event(ACCOUNT_STATUS_CHANGED, payload, source="/tests", subject=account_id)
    return event.model_dump_json().encode()


def withdrawal(dependant: str, titular: str, at: datetime) -> bytes:
    payload = AccessChangedV1(
        dependant_member_id=dependant,
        titular_member_id=titular,
        titular_may_access=False,
        changed_at=at,
    )
    return (
        new_event(ACCESS_CHANGED, payload, source="/tests", subject=dependant)
        .model_dump_json()
        .encode()
    )


def own(account_id: str, issued_at: datetime) -> Principal:
    return Principal(account_id, f"m-{account_id}", frozenset({"member"}), issued_at=issued_at)


@pytest.fixture
async def settings(platform: Endpoints, run_id: str) -> ServiceSettings:
    settings = ServiceSettings(
        service_name="revocations-tests",
        revocation_horizon_seconds=3600,
        **isolated(platform, run_id, "shared", partitions=3),  # type: ignore[arg-type]
    )
    topics = [settings.topic("account.status_changed"), settings.topic("access.changed")]
    await ensure_topics(settings.kafka_bootstrap_servers, topics, 3)
    return settings


async def publish(
    settings: ServiceSettings, topic: str, values: list[tuple[str, bytes]], at: datetime
) -> None:
    """Messages stamped ``at`` (Kafka's CreateTime, which "now − horizon" looks up)."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, acks="all")
    await producer.start()
    try:
        for key, value in values:
            await producer.send_and_wait(
                settings.topic(topic),
                value=value,
                key=key.encode(),
                timestamp_ms=int(at.timestamp() * 1000),
            )
    finally:
        await producer.stop()


async def started(settings: ServiceSettings) -> RevocationList:
    revocations = revocation_list(settings)
    revocations.start()
    assert await revocations.wait_ready(30), "revocation list not caught up"
    return revocations


async def test_reads_the_horizon_at_start_and_new_revocations_within_seconds(
    settings: ServiceSettings,
) -> None:
    now = datetime.now(UTC)
    # Published two hours ago: beyond the horizon, not read.
    stale = [(f"old-{n}", status_changed(f"old-{n}", now - 2 * HOUR)) for n in range(3)]
    await publish(settings, "account.status_changed", stale, now - 2 * HOUR)
    # Within the horizon, on several partitions (keys spread them).
    recent = [(f"a-{n}", status_changed(f"a-{n}", now - HOUR / 4)) for n in range(10)]
    await publish(settings, "account.status_changed", recent, now - HOUR / 4)
    withdrawn = withdrawal("teen", "titular", now - HOUR / 4)
    await publish(settings, "access.changed", [("teen", withdrawn)], now - HOUR / 4)

    first, second = await started(settings), await started(settings)
    try:
        for revocations in (first, second):  # no group: each replica sees everything
            assert revocations.counts() == {"accounts": 10, "dossier_withdrawals": 1}
            assert revocations.refusal(own("a-7", now - HOUR / 2)) == ACCOUNT_REFUSED
            assert revocations.refusal(own("old-1", now - 3 * HOUR)) is None

        token_issued = datetime.now(UTC) - timedelta(seconds=1)
        assert first.refusal(own("suspended-now", token_issued)) is None
        suspended_at = datetime.now(UTC)
        event = status_changed("suspended-now", suspended_at)
        await publish(settings, "account.status_changed", [("s", event)], suspended_at)
        published = time.monotonic()
        for revocations in (first, second):

            async def refused(replica: RevocationList = revocations) -> str | None:
                return replica.refusal(own("suspended-now", token_issued))

            await eventually(refused, within=5, interval=0.05, what="revocation applied")
        latency = time.monotonic() - published
        assert latency < 5, latency
        # A login after the suspension (a later iat) is not refused.
        later = datetime.now(UTC)
        assert first.refusal(own("suspended-now", later)) is None
    finally:
        await first.stop()
        await second.stop()


async def test_not_ready_until_the_topics_exist(platform: Endpoints, run_id: str) -> None:
    """In production the topics are declared by the platform: until they are, the list
    keeps trying and the service does not report ready."""
    settings = ServiceSettings(
        service_name="revocations-tests",
        **{**isolated(platform, run_id, "shared"), "topic_prefix": f"{run_id}.late."},  # type: ignore[arg-type]
    )
    revocations = revocation_list(settings)
    revocations.start()
    try:
        assert not await revocations.wait_ready(2)
        topics = [settings.topic("account.status_changed"), settings.topic("access.changed")]
        await ensure_topics(settings.kafka_bootstrap_servers, topics, 1)
        assert await revocations.wait_ready(30)
    finally:
        await revocations.stop()
