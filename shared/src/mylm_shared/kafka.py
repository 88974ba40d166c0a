"""Kafka clients: an idempotent producer (acks=all), the FastStream broker, explicit topics.

Topics are never auto-created: they are declared with their partition counts and
replication factor (``TOPIC_PARTITIONS``, ``TOPIC_REPLICATION_FACTOR``; here at service
start-up, as Strimzi ``KafkaTopic`` in Kubernetes).
"""

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code
from faststream.kafka import KafkaBroker

from mylm_shared.events import dlq_topic
from mylm_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


def make_producer(settings: ServiceSettings) -> AIOKafkaProducer:
    # Idempotent producer: broker-side de-duplication of retries, ordering kept per partition.
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        client_id=f"{settings.service_name}-producer",
        enable_idempotence=True,
        acks="all",
        linger_ms=2,
    )


def make_broker(settings: ServiceSettings, middlewares: Sequence[Any] = ()) -> KafkaBroker:
    """``middlewares``: FastStream middlewares (e.g. its Prometheus middleware)."""
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=settings.service_name,
        enable_idempotence=True,
        acks="all",
        logger=logging.getLogger(f"{settings.service_name}.bus"),
        log_level=logging.DEBUG,  # per-message "Received/Processed" lines; errors stay loud
        middlewares=middlewares,
    )


def topics_with_dead_letters(topics: Iterable[str]) -> list[str]:
    names: list[str] = []
    for topic in topics:
        names += [topic, dlq_topic(topic)]
    return names


async def ensure_topics(
    bootstrap_servers: str, names: Iterable[str], partitions: int, replication_factor: int = 1
) -> None:
    """Create the topics that do not exist yet (auto-creation is off on our brokers)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        await create_missing_topics(admin, names, partitions, replication_factor)
    finally:
        await admin.close()


async def create_missing_topics(
    admin: AIOKafkaAdminClient, names: Iterable[str], partitions: int, replication_factor: int
) -> list[str]:
    """The topics it created. Fails (rather than carrying on without topics) when the
    broker refuses one, e.g. a replication factor above its number of brokers."""
    existing = set(await admin.list_topics())
    missing = [n for n in dict.fromkeys(names) if n not in existing]
    if not missing:
        return []
    new = [NewTopic(n, partitions, replication_factor) for n in missing]
    response = await admin.create_topics(new)
    for topic, code, *rest in response.topic_errors:
        error = for_code(code)
        if code and error is not TopicAlreadyExistsError:  # another service may be quicker
            message = rest[0] if rest and rest[0] else error.__name__
            raise error(f"cannot create topic {topic}: {message}")
    log.info(
        "created topics",
        extra={
            "topics": missing,
            "partitions": partitions,
            "replication_factor": replication_factor,
        },
    )
    return missing
