"""How a batch is split and run, without servers: chains per partition and key in offset
order, keys concurrently within the concurrency bound, and shutdown stopping the batch."""

import asyncio

import pytest
from aiokafka import ConsumerRecord
from mylm_shared.consumer import Record, handle_batch, in_key_order
from mylm_shared.failures import ShuttingDown


def record(partition: int, offset: int, key: bytes | None) -> Record:
    return ConsumerRecord(
        topic="t",
        partition=partition,
        offset=offset,
        timestamp=0,
        timestamp_type=0,
        key=key,
        value=b"{}",
        checksum=None,
        serialized_key_size=0,
        serialized_value_size=2,
        headers=(),
    )


def test_a_batch_is_split_into_chains_per_partition_and_key_in_offset_order() -> None:
    batch = [
        record(0, 0, b"a"),
        record(0, 1, b"b"),
        record(0, 2, b"a"),
        record(1, 0, b"c"),
        record(1, 1, None),
        record(1, 2, None),
    ]
    chains = in_key_order(batch)
    assert [[(r.partition, r.offset) for r in chain] for chain in chains] == [
        [(0, 0), (0, 2)],
        [(0, 1)],
        [(1, 0)],
        [(1, 1), (1, 2)],  # no key: kept in partition order
    ]


async def test_keys_run_concurrently_within_the_bound_and_in_order_per_key() -> None:
    batch = [record(0, n, str(n % 6).encode()) for n in range(30)]
    handled: list[Record] = []
    in_flight = most = 0

    async def handle(r: Record) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.001 * (r.offset % 3))  # uneven latencies
        in_flight -= 1
        handled.append(r)

    await handle_batch(batch, handle, concurrency=4, stopping=asyncio.Event())

    assert most == 4
    assert sorted(r.offset for r in handled) == list(range(30))
    for key in {r.key for r in batch}:
        offsets = [r.offset for r in handled if r.key == key]
        assert offsets == sorted(offsets)


async def test_shutdown_stops_the_batch_and_raises_shutting_down() -> None:
    stopping = asyncio.Event()
    batch = [record(0, n, str(n % 2).encode()) for n in range(10)]
    started: list[int] = []

    async def handle(r: Record) -> None:
        started.append(r.offset)
        if r.offset == 3:
            stopping.set()  # the service stops while this one waits out an outage
            raise ShuttingDown("retrying")

    with pytest.raises(ShuttingDown):
        await handle_batch(batch, handle, concurrency=1, stopping=stopping)
    assert started[-1] == 3  # nothing started after the service began stopping
    assert len(started) < len(batch)


async def test_an_unexpected_error_fails_the_batch_after_the_other_keys() -> None:
    batch = [record(0, 0, b"a"), record(0, 1, b"b"), record(0, 2, b"b")]
    handled: list[int] = []

    async def handle(r: Record) -> None:
        if r.key == b"a":
            raise RuntimeError("the dead-letter topic refused it")
        handled.append(r.offset)

    with pytest.raises(RuntimeError):
        await handle_batch(batch, handle, concurrency=2, stopping=asyncio.Event())
    assert handled == [1, 2]  # uncommitted anyway: the batch comes back
