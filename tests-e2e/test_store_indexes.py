"""Finds by `_id` and by an indexed field use an index, however large the collection.

FerretDB on PostgreSQL pushes `{field: value}` down as `_jsonb->'field' @> value`; only
the GIN indexes infra/local/postgres.sql adds under FerretDB serve that, and only with
custom plans (the key is a bind parameter), which the platform forces for FerretDB's role.
"""

import asyncio
import subprocess
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from infra.local.targets import external_target
from testkit.platform import Endpoints, store_psql

pytestmark = pytest.mark.integration

DOCUMENTS = 3000
MEMBERS = 300

Doc = dict[str, Any]


@pytest.fixture
async def invoices(platform: Endpoints, run_id: str) -> AsyncIterator[AsyncCollection[Doc]]:
    """A few thousand invoice-like documents, indexed on member_id as billing does."""
    if external_target("MONGODB_URI"):
        pytest.skip("MONGODB_URI points to an external server: its indexes are not ours")
    client: AsyncMongoClient[Doc] = AsyncMongoClient(platform.mongodb_uri)
    collection = client[f"{run_id}_store"]["invoices"]
    await collection.create_index([("member_id", 1), ("issue_date", -1)])
    await collection.insert_many(
        {"_id": f"inv-{i:05d}", "member_id": f"m-{i % MEMBERS:04d}", "issue_date": f"d{i:05d}"}
        for i in range(DOCUMENTS)
    )
    try:
        yield collection
    finally:
        await client.close()


def _nodes(plan: Doc) -> Iterator[Doc]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


async def _ferretdb_plan(collection: AsyncCollection[Doc], filter_: Doc) -> Doc:
    """PostgreSQL's plan of the SELECT FerretDB builds for this find (its `explain`)."""
    explain = await collection.database.command(
        "explain", {"find": collection.name, "filter": filter_}
    )
    plan: Doc = explain["queryPlanner"]["Plan"]
    return plan


def _index_conditions(plan: Doc) -> list[str]:
    return [node["Index Cond"] for node in _nodes(plan) if "Index Cond" in node]


class PsqlSession:
    """One psql session (``store_psql``): statements run in order, each answer read up
    to a marker."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            store_psql(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def run(self, sql: str) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(f"{sql}\n\\echo --done--\n")
        self._proc.stdin.flush()
        lines: list[str] = []
        while (line := self._proc.stdout.readline()) and line.strip() != "--done--":
            lines.append(line)
        assert line, f"psql ended: {''.join(lines)}"
        return "".join(lines)

    def close(self) -> None:
        self._proc.communicate("\\q\n", timeout=30)


@pytest.mark.parametrize(
    ("field", "value"), [("_id", "inv-01234"), ("member_id", "m-0042")], ids=["_id", "member_id"]
)
async def test_find_by_id_and_by_member_id_use_an_index(
    invoices: AsyncCollection[Doc], field: str, value: str
) -> None:
    found = await invoices.find({field: value}).to_list()
    assert found and all(doc[field] == value for doc in found)
    assert len(found) == (1 if field == "_id" else DOCUMENTS // MEMBERS)

    plan = await _ferretdb_plan(invoices, {field: value})
    assert [node["Node Type"] for node in _nodes(plan) if node["Node Type"] == "Seq Scan"] == []
    assert any(f"'{field}'::text" in cond for cond in _index_conditions(plan)), plan


async def test_an_index_added_under_prepared_finds_is_used_by_them(
    invoices: AsyncCollection[Doc],
) -> None:
    """FerretDB's driver prepares each statement once per connection and reuses it. With
    PostgreSQL's default plan cache, finds that ran before an index existed keep a generic
    plan, a table scan (a generic plan cannot match `_jsonb->$1` to the index), after the
    index is made; forced custom plans use it at once."""
    grown = invoices.database["indexed_later"]
    await grown.insert_many(
        {"_id": f"inv-{i:05d}", "member_id": f"m-{i % MEMBERS:04d}"} for i in range(DOCUMENTS)
    )
    plan = await _ferretdb_plan(grown, {"member_id": "m-0000"})
    table = f'"{plan["Schema"]}"."{plan["Relation Name"]}"'
    psql = PsqlSession()
    try:
        # the statement FerretDB builds for {member_id: ...}, run as often as a pool would
        runs = "".join(f"EXECUTE find('member_id', '\"m-{n:04d}\"');" for n in range(8))
        await asyncio.to_thread(
            psql.run,
            f"PREPARE find(text, jsonb) AS SELECT _jsonb FROM {table} "  # noqa: S608 - ours
            f"WHERE _jsonb->$1 @> $2;{runs}",
        )
        await grown.create_index("member_id")
        output = await asyncio.to_thread(
            psql.run, "EXPLAIN (FORMAT TEXT) EXECUTE find('member_id', '\"m-0009\"');"
        )
    finally:
        await asyncio.to_thread(psql.close)
    assert "Index Scan" in output and "Seq Scan" not in output, output
