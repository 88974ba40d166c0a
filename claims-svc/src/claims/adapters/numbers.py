"""Claim numbers ``CL-<year>-<nnnnnn>`` from one insert-only block sequence per year
(``mylm_shared.sequences``: unique across replicas, not gapless)."""

from mylm_shared.mongo import Document
from mylm_shared.sequences import BlockSequence, NumberSource
from pymongo.asynchronous.collection import AsyncCollection

from claims.domain.claim import claim_number


class YearlyClaimNumbers:
    def __init__(self, blocks: AsyncCollection[Document], block_size: int = 100) -> None:
        self._blocks = blocks
        self._size = block_size
        self._years: dict[int, NumberSource] = {}

    def _source(self, year: int) -> NumberSource:
        if year not in self._years:
            self._years[year] = BlockSequence(self._blocks, f"claims-{year}", self._size)
        return self._years[year]

    async def next(self, year: int) -> str:
        return claim_number(year, await self._source(year).next())
