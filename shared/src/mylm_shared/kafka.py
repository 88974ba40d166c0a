"""Kafka clients: an idempotent producer (acks=all), the FastStream broker, explicit topics.

Topics are never auto-created: they are declared with their partition counts (here at
service start-up on the local platform, as Strimzi ``KafkaTopic`` in Kubernetes).
"""

import contextlib
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
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


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=settings.service_name,
        enable_idempotence=True,
        acks="all",
        logger=logging.getLogger(f"{settings.service_name}.bus"),
        log_level=logging.DEBUG,  # per-message "Received/Processed" lines; errors stay loud
    )


def topics_with_dead_letters(topics: Iterable[str]) -> list[str]:
    names: list[str] = []
    for topic in topics:
        names += [topic, dlq_topic(topic)]
    return names


async def ensure_topics(bootstrap_servers: str, names: Iterable[str], partitions: int) -> None:
    """Create the topics that do not exist yet (auto-creation is off on our brokers)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in dict.fromkeys(names) if n not in existing]
        if not missing:
            return
        new = [NewTopic(n, num_partitions=partitions, replication_factor=1) for n in missing]
        with contextlib.suppress(TopicAlreadyExistsError):  # another service was quicker
            await admin.create_topics(new)
        log.info("created topics", extra={"topics": missing})
    finally:
        await admin.close()
