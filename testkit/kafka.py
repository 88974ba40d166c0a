"""Read and write real Kafka topics from tests."""

import json
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from mylm_shared.events import CloudEvent


async def read_all(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record currently in ``topic`` (all partitions, from the beginning to the end)."""
    # Without a group id, aiokafka assigns the consumer every partition of the topic.
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        partitions = list(consumer.assignment())
        assert partitions, f"topic {topic} does not exist"
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        pending = {tp for tp in partitions if ends[tp] > 0}
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=1000)
            for tp, batch in batches.items():
                records.extend(batch)
                if batch and batch[-1].offset + 1 >= ends[tp]:
                    pending.discard(tp)
        return records
    finally:
        await consumer.stop()


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = list(consumer.assignment())
        ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
        return ends
    finally:
        await consumer.stop()


def event_ids(records: list[ConsumerRecord[bytes, bytes]]) -> list[str]:
    return [CloudEvent.model_validate_json(r.value or b"").id for r in records]


async def publish(bootstrap: str, topic: str, value: bytes | dict[str, Any], key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        body = value if isinstance(value, bytes) else json.dumps(value).encode()
        await producer.send_and_wait(topic, value=body, key=key.encode())
    finally:
        await producer.stop()


async def publish_event(bootstrap: str, topic: str, event: CloudEvent) -> None:
    """Publish a CloudEvent as a service would: JSON body, keyed by its subject (the member)."""
    await publish(bootstrap, topic, event.model_dump_json().encode(), key=event.subject or "")
