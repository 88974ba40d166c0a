"""Single-document read-modify-writes that lose a race are run again; other errors are not."""

import pytest
from mylm_shared.mongo import is_write_conflict, retry_on_conflict
from pymongo.errors import OperationFailure

SQLITE_BUSY = OperationFailure("[...UpdateAll] database is locked (5) (SQLITE_BUSY)", code=1)


def test_mongodb_write_conflict_and_sqlite_busy_are_conflicts() -> None:
    assert is_write_conflict(OperationFailure("WriteConflict", code=112))
    assert is_write_conflict(SQLITE_BUSY)
    assert not is_write_conflict(OperationFailure("bad update", code=9))


async def test_a_lost_race_is_retried_until_it_succeeds() -> None:
    calls = 0

    async def increment() -> int:
        nonlocal calls
        calls += 1
        if calls < 3:
            raise SQLITE_BUSY
        return 42

    assert await retry_on_conflict(increment) == 42
    assert calls == 3


async def test_other_errors_and_endless_conflicts_surface() -> None:
    async def bad() -> None:
        raise OperationFailure("bad update", code=9)

    async def always_busy() -> None:
        raise SQLITE_BUSY

    with pytest.raises(OperationFailure, match="bad update"):
        await retry_on_conflict(bad)
    with pytest.raises(OperationFailure, match="SQLITE_BUSY"):
        await retry_on_conflict(always_busy, attempts=3)
