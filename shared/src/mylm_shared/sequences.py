"""Unique numbers (structured references, claim numbers …) by insert-only allocation.

A counter document updated with ``$inc`` is not safe on FerretDB v1: it applies update
operators between a read and a write, so concurrent increments are lost and two
callers get the same number. Here a process *reserves a block* of numbers by inserting
``{_id: "<name>:<block>"}``; the unique ``_id`` decides who owns a block, and numbers
are then handed out from memory (one event loop: no race). A restart abandons the rest
of its block, so numbers are unique and increasing per process, not gapless.
"""

import asyncio
from datetime import UTC, datetime
from typing import Protocol

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from mylm_shared.mongo import Document, IndexSpec

SEQUENCE_BLOCKS = "sequence_blocks"
SEQUENCE_INDEX = IndexSpec(SEQUENCE_BLOCKS, [("sequence", 1)])


class NumberSource(Protocol):
    """The port use cases depend on."""

    async def next(self) -> int: ...


class BlockSequence:
    """Numbers 1, 2, 3 … of one named sequence, unique across processes."""

    def __init__(self, blocks: AsyncCollection[Document], name: str, block_size: int = 1000):
        self._blocks = blocks
        self._name = name
        self._size = block_size
        self._next = 0
        self._end = 0  # exclusive
        self._lock = asyncio.Lock()

    async def next(self) -> int:
        async with self._lock:
            if self._next >= self._end:
                block = await self._reserve_block()
                self._next, self._end = block * self._size + 1, (block + 1) * self._size + 1
            number = self._next
            self._next += 1
            return number

    async def _reserve_block(self) -> int:
        taken = await self._blocks.find({"sequence": self._name}, {"block": 1}).to_list()
        block = max((doc["block"] for doc in taken), default=-1) + 1
        while True:
            try:
                await self._blocks.insert_one(
                    {
                        "_id": f"{self._name}:{block}",
                        "sequence": self._name,
                        "block": block,
                        "at": datetime.now(UTC),
                    }
                )
                return block
            except DuplicateKeyError:
                block += 1  # another process took it a moment ago
