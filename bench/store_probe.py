"""Side-by-side probe of FerretDB's backends, as docs/store.md reports.

For each backend it starts a FerretDB of its own (and a PostgreSQL of its own) on spare
loopback ports in a temporary data dir, fills one collection of invoice-like documents
(indexed on ``member_id``, as the services do), and has C concurrent PyMongo clients run
each operation for S seconds at every size:

    python -m bench.store_probe [--sizes 5000,50000] [--clients 16] [--seconds 4]
        [--backends sqlite,postgresql,postgresql-nogin]

Backends: ``sqlite`` (the former local store), ``postgresql`` (the platform's: GIN
indexes by postgres.sql), ``postgresql-nogin`` (the same without them) and
``postgresql-fastupdate`` (GIN indexes with PostgreSQL's default pending list).
Prints one JSON object; nothing is left behind.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pymongo import DESCENDING, MongoClient
from pymongo.collection import Collection

from infra.local import postgres, servers

Doc = dict[str, Any]
BACKENDS = ("sqlite", "postgresql", "postgresql-nogin", "postgresql-fastupdate")
MEMBERS_PER_DOC = 10  # ten invoices per member
MAX_OPS_PER_CLIENT = 100_000  # bounds every loop, whatever the speed


def _wait(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout:.0f}s")
        time.sleep(0.2)


@contextlib.contextmanager
def _process(argv: list[str], log: Path, stop: signal.Signals) -> Iterator[None]:
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent
        )
    try:
        yield
    finally:
        proc.send_signal(stop)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def _ferretdb(backend: str, workdir: Path, port: int, pool: int) -> Iterator[str]:
    """A FerretDB of its own on `port` (its PostgreSQL on port + 1); yields its URI."""
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            db = workdir / "sqlite"
            db.mkdir()
            url = "file:" + urllib.parse.quote(str(db), safe="/") + "/?_pragma=synchronous(normal)"
            flags = ["--handler=sqlite", f"--sqlite-url={url}"]
        else:
            pg_port = port + 1
            if servers._port_open(pg_port):
                raise RuntimeError(f"port {pg_port} is busy")
            postgres.init_cluster(workdir / "postgres", workdir / "initdb.log")
            stack.enter_context(
                _process(
                    postgres.server_argv(workdir / "postgres", pg_port),
                    workdir / "postgres.log",
                    signal.SIGINT,
                )
            )
            _wait(lambda: postgres.ready(pg_port), "postgres")
            postgres.configure(pg_port, gin_indexes=backend != "postgresql-nogin")
            url = postgres.ferretdb_url(pg_port, pool)
            flags = ["--handler=postgresql", f"--postgresql-url={url}"]
        if servers._port_open(port):
            raise RuntimeError(f"port {port} is busy")
        argv = servers.ferretdb_argv(workdir, flags, port=port, debug_port=port + 2)
        stack.enter_context(_process(argv, workdir / "ferretdb.log", signal.SIGTERM))
        _wait(lambda: servers._mongo_ping(port), "ferretdb")
        yield f"mongodb://{servers.HOST}:{port}/"


def _invoice(i: int) -> Doc:
    return {
        "_id": f"inv-{i:08d}",
        "member_id": f"member-{i // MEMBERS_PER_DOC:07d}",
        "issue_date": f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        "status": "issued",
        "amount": f"{(i % 9000) / 100 + 10:.2f}",
        "lines": [{"description": "Consultatie", "amount": "12.50"}] * 3,
        "reference": f"+++{i % 1000:03d}/{i % 10000:04d}/{i % 100000:05d}+++",
    }


def _fill(coll: Collection[Doc], start: int, stop: int) -> None:
    for lo in range(start, stop, 1000):
        coll.insert_many([_invoice(i) for i in range(lo, min(lo + 1000, stop))], ordered=False)


def _run(
    uri: str, clients: int, seconds: float, op: Callable[[Collection[Doc], random.Random], None]
) -> dict[str, float]:
    """Ops/s of `clients` concurrent clients (one MongoClient each) for `seconds`."""
    done = [0] * clients
    errors = [0] * clients
    clock = {"start": 0.0, "deadline": 0.0}

    def go() -> None:  # runs once every client is connected
        clock["start"] = time.monotonic()
        clock["deadline"] = clock["start"] + seconds

    ready = threading.Barrier(clients, action=go)

    def client(k: int) -> None:
        # a stuck server shows as errors, not as a hung probe
        mongo: MongoClient[Doc] = MongoClient(uri, maxPoolSize=1, socketTimeoutMS=30_000)
        coll = mongo.probe.invoices
        rng = random.Random(k)
        mongo.admin.command("ping")
        ready.wait()
        try:
            for _ in range(MAX_OPS_PER_CLIENT):
                if time.monotonic() > clock["deadline"]:
                    break
                try:
                    op(coll, rng)
                    done[k] += 1
                except Exception:
                    errors[k] += 1
        finally:
            mongo.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - clock["start"]  # the last op may end after the deadline
    return {"ops_per_s": round(sum(done) / elapsed, 1), "ops": sum(done), "errors": sum(errors)}


def _measure(
    uri: str, size: int, clients: int, seconds: float, new_ids: Iterator[int]
) -> dict[str, Any]:

    def find_id(coll: Collection[Doc], rng: random.Random) -> None:
        assert coll.find_one({"_id": f"inv-{rng.randrange(size):08d}"}) is not None

    def update_id(coll: Collection[Doc], rng: random.Random) -> None:
        n = rng.randrange(size)
        coll.update_one({"_id": f"inv-{n:08d}"}, {"$set": {"status": "paid", "n": n}})

    def find_member(coll: Collection[Doc], rng: random.Random) -> None:
        member = f"member-{rng.randrange(size // MEMBERS_PER_DOC):07d}"
        cursor = coll.find({"member_id": member}).sort("issue_date", DESCENDING).limit(5)
        assert list(cursor)

    def insert(coll: Collection[Doc], rng: random.Random) -> None:
        coll.insert_one(_invoice(next(new_ids)))

    ops = {
        "find_one_by_id": find_id,
        "update_one_by_id": update_id,
        "find_by_member_sort_limit": find_member,
        "insert_one": insert,
    }
    return {name: _run(uri, clients, seconds, op) for name, op in ops.items()}


def probe(
    backend: str, sizes: list[int], clients: int, seconds: float, port: int, pool: int
) -> Doc:
    workdir = Path(tempfile.mkdtemp(prefix=f"probe-{backend}-", dir=servers.CACHE))
    out: Doc = {}
    try:
        with _ferretdb(backend, workdir, port, pool) as uri:
            mongo: MongoClient[Doc] = MongoClient(uri, socketTimeoutMS=120_000)
            coll = mongo.probe.invoices
            coll.create_index([("member_id", 1), ("issue_date", -1)])
            if backend == "postgresql-fastupdate":
                _gin_fastupdate_on(port + 1)
            stored, new_ids = 0, itertools.count(10_000_000)
            for size in sizes:
                t0 = time.monotonic()
                _fill(coll, stored, size)
                load_rate = round((size - stored) / (time.monotonic() - t0), 1)
                stored = size
                result = _measure(uri, size, clients, seconds, new_ids)
                result["insert_many_docs_per_s"] = load_rate  # one client, batches of 1000
                result["documents_after"] = coll.count_documents({})
                out[str(size)] = result
                print(f"[probe] {backend} {size}: {json.dumps(result)}", file=sys.stderr)
            mongo.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def _gin_fastupdate_on(pg_port: int) -> None:
    exe = postgres.binary("psql")
    assert exe is not None
    sql = (
        "DO $$ DECLARE i regclass; BEGIN FOR i IN SELECT c.oid FROM pg_class c JOIN pg_am a "
        "ON a.oid = c.relam WHERE a.amname = 'gin' LOOP "
        "EXECUTE format('ALTER INDEX %s SET (fastupdate = on)', i); END LOOP; END $$"
    )
    connect = ["-h", servers.HOST, "-p", str(pg_port), "-U", "postgres", "-d", "ferretdb"]
    subprocess.run(
        [str(exe), "-X", "-q", *connect, "-c", sql],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="5000,50000")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--backends", default="sqlite,postgresql,postgresql-nogin")
    ap.add_argument("--port", type=int, default=47017, help="FerretDB's; PostgreSQL's is +1")
    ap.add_argument("--pool", type=int, default=postgres.FERRETDB_POOL, help="FerretDB's pool")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    backends = args.backends.split(",")
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        ap.error(f"unknown backend(s) {sorted(unknown)}; choose from {BACKENDS}")
    results = {
        b: probe(b, sizes, args.clients, args.seconds, args.port, args.pool) for b in backends
    }
    print(json.dumps({"clients": args.clients, "seconds": args.seconds, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
