"""List, inspect and re-drive dead-letter topics (``<topic>.dlq``).

    python -m mylm_shared.dlq list    [--prefix P]
    python -m mylm_shared.dlq show    TOPIC.dlq [--limit N]
    python -m mylm_shared.dlq redrive TOPIC.dlq [--reason R] [--dry-run]

(``make dlq ARGS="list"``.) Reads ``KAFKA_BOOTSTRAP_SERVERS``.

Re-driving publishes each dead letter again, byte for byte, to the topic it came from
(header ``dlq-original-topic``), with a ``dlq-redriven-from`` header instead of the
``dlq-*`` ones. Consumers are idempotent on the event id, so the consumer groups that
handled it before skip it and the one that failed handles it now. The command commits
its progress as the consumer group ``mylm.dlq-redrive``: running it again re-drives
only what was dead-lettered since (a crash between publishing and committing re-drives
a message twice, which the consumers absorb). A message that several consumer groups
dead-lettered goes back once. With ``--reason`` the others stay for a later run. It
re-drives up to the end the topic had when it started, so a message that fails again is
not looped in the same run.
"""

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic_settings import BaseSettings

REDRIVE_GROUP = "mylm.dlq-redrive"
DLQ_SUFFIX = ".dlq"


class DlqSettings(BaseSettings):
    kafka_bootstrap_servers: str = "127.0.0.1:9092"


@dataclass
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: str
    reason: str
    error: str
    original_topic: str
    consumer: str
    event_id: str
    event_type: str
    redriven: bool = field(default=False)


@dataclass
class DlqSummary:
    topic: str
    messages: int
    not_redriven: int


def _header(record: ConsumerRecord[bytes, bytes], name: str) -> str:
    for key, value in record.headers or ():
        if key == name:
            return str(value.decode(errors="replace"))
    return ""


def _dead_letter(record: ConsumerRecord[bytes, bytes], redriven: bool) -> DeadLetter:
    try:
        body = json.loads(record.value or b"")
        event_id, event_type = str(body.get("id", "")), str(body.get("type", ""))
    except (ValueError, AttributeError):
        event_id, event_type = "", "(not JSON)"
    return DeadLetter(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=(record.key or b"").decode(errors="replace"),
        reason=_header(record, "dlq-reason"),
        error=_header(record, "dlq-error"),
        original_topic=_header(record, "dlq-original-topic"),
        consumer=_header(record, "dlq-consumer"),
        event_id=event_id,
        event_type=event_type,
        redriven=redriven,
    )


class _Reader:
    """A DLQ topic from the start (or from the re-drive group's position) to its end now."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self._topic = topic
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=REDRIVE_GROUP,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )

    async def __aenter__(self) -> "_Reader":
        await self.consumer.start()
        self.consumer._client.add_topic(self._topic)  # metadata of this topic, please
        await self.consumer._client.force_metadata_update()
        partitions = self.consumer.partitions_for_topic(self._topic) or set()
        if not partitions:
            await self.consumer.stop()
            raise SystemExit(f"no topic {self._topic!r}")
        self.partitions = [TopicPartition(self._topic, p) for p in sorted(partitions)]
        self.consumer.assign(self.partitions)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.consumer.stop()

    async def committed(self) -> dict[TopicPartition, int]:
        return {tp: await self.consumer.committed(tp) or 0 for tp in self.partitions}

    async def records(self, *, from_start: bool) -> list[ConsumerRecord[bytes, bytes]]:
        if from_start:
            await self.consumer.seek_to_beginning(*self.partitions)
        else:
            for tp, offset in (await self.committed()).items():
                self.consumer.seek(tp, offset)
        ends = await self.consumer.end_offsets(self.partitions)
        found: list[ConsumerRecord[bytes, bytes]] = []
        pending = {tp for tp in self.partitions if await self.consumer.position(tp) < ends[tp]}
        while pending:
            batches = await self.consumer.getmany(*pending, timeout_ms=1000)
            for tp, batch in batches.items():
                found += [record for record in batch if record.offset < ends[tp]]
                if batch and batch[-1].offset + 1 >= ends[tp]:
                    pending.discard(tp)
        self.ends = ends
        return found


async def list_dlqs(bootstrap: str, prefix: str = "") -> list[DlqSummary]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = sorted(
            t for t in await admin.list_topics() if t.endswith(DLQ_SUFFIX) and t.startswith(prefix)
        )
    finally:
        await admin.close()
    summaries = []
    for name in names:
        async with _Reader(bootstrap, name) as reader:
            starts = await reader.consumer.beginning_offsets(reader.partitions)
            ends = await reader.consumer.end_offsets(reader.partitions)
            done = await reader.committed()
            summaries.append(
                DlqSummary(
                    topic=name,
                    messages=sum(ends[tp] - starts[tp] for tp in reader.partitions),
                    not_redriven=sum(
                        ends[tp] - max(done[tp], starts[tp]) for tp in reader.partitions
                    ),
                )
            )
    return summaries


async def show(bootstrap: str, topic: str, limit: int = 100) -> list[DeadLetter]:
    async with _Reader(bootstrap, topic) as reader:
        done = await reader.committed()
        records = await reader.records(from_start=True)
    return [
        _dead_letter(r, r.offset < done[TopicPartition(r.topic, r.partition)])
        for r in records[:limit]
    ]


async def redrive(
    bootstrap: str, topic: str, *, reason: str | None = None, dry_run: bool = False
) -> list[DeadLetter]:
    """Re-drive what the previous runs did not; returns what it re-drove (or would)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        async with _Reader(bootstrap, topic) as reader:
            records = await reader.records(from_start=False)
            chosen = [r for r in records if reason is None or _header(r, "dlq-reason") == reason]
            if dry_run:
                return [_dead_letter(r, False) for r in chosen]
            sent: set[str] = set()
            for record in chosen:
                original = _header(record, "dlq-original-topic") or topic.removesuffix(DLQ_SUFFIX)
                # Each consumer group that failed on a message dead-lettered its own copy:
                # the original goes back once.
                source = ":".join(
                    (
                        original,
                        _header(record, "dlq-original-partition"),
                        _header(record, "dlq-original-offset"),
                    )
                )
                if source in sent:
                    continue
                sent.add(source)
                headers = [(k, v) for k, v in record.headers or () if not k.startswith("dlq-")]
                headers.append(
                    ("dlq-redriven-from", f"{topic}:{record.partition}:{record.offset}".encode())
                )
                await producer.send_and_wait(
                    original, value=record.value, key=record.key, headers=headers
                )
            await reader.consumer.commit(_done_up_to(reader, records, chosen))
            return [_dead_letter(r, True) for r in chosen]
    finally:
        await producer.stop()


def _done_up_to(
    reader: _Reader,
    records: Sequence[ConsumerRecord[bytes, bytes]],
    chosen: Sequence[ConsumerRecord[bytes, bytes]],
) -> dict[TopicPartition, int]:
    """Per partition, the offset up to which every dead letter was re-driven: a letter
    that ``--reason`` left out stays for a later run (and the ones after it may be
    re-driven again then, which the consumers absorb)."""
    taken = {(r.partition, r.offset) for r in chosen}
    done = dict(reader.ends)
    for record in records:
        tp = TopicPartition(record.topic, record.partition)
        if (record.partition, record.offset) not in taken:
            done[tp] = min(done[tp], record.offset)
    return done


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mylm_shared.dlq", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="every dead-letter topic with its counts")
    listing.add_argument("--prefix", default="", help="only topics starting with this")
    showing = commands.add_parser("show", help="the dead letters of one topic")
    showing.add_argument("topic")
    showing.add_argument("--limit", type=int, default=100)
    driving = commands.add_parser("redrive", help="publish them again to their topic")
    driving.add_argument("topic")
    driving.add_argument("--reason", help="only this dlq-reason (e.g. dependency-missing)")
    driving.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    bootstrap = DlqSettings().kafka_bootstrap_servers

    rows: Sequence[object]
    if args.command == "list":
        rows = asyncio.run(list_dlqs(bootstrap, args.prefix))
    elif args.command == "show":
        rows = asyncio.run(show(bootstrap, args.topic, args.limit))
    else:
        rows = asyncio.run(redrive(bootstrap, args.topic, reason=args.reason, dry_run=args.dry_run))
    for row in rows:
        print(json.dumps(asdict(row), ensure_ascii=False))  # type: ignore[call-overload]
    if args.command == "redrive":
        verb = "would re-drive" if args.dry_run else "re-drove"
        print(f"{verb} {len(rows)} message(s) from {args.topic}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
