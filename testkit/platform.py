"""The real servers the integration and e2e tests talk to.

If Kafka, FerretDB and Mailpit already answer (e.g. `make run` is up, or external
servers are configured), they are used as they are; tests isolate themselves with their
own topic prefix and database names. Otherwise the test platform is started from a
clean data folder and stopped at the end of the session.
"""

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

from infra.local import postgres, servers

TEST_DATA_DIR = servers.CACHE / "data" / "test"


@dataclass(frozen=True)
class Endpoints:
    kafka_bootstrap_servers: str
    mongodb_uri: str
    smtp_url: str
    mailpit_api: str


def endpoints() -> Endpoints:
    return Endpoints(
        kafka_bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        mongodb_uri=os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/"),
        smtp_url=os.environ.get("SMTP_URL", "smtp://127.0.0.1:1025"),
        mailpit_api=os.environ.get("MAILPIT_API", "http://127.0.0.1:8025"),
    )


def isolated(
    endpoints: Endpoints, run_id: str, service: str, partitions: int = 2
) -> dict[str, object]:
    """Settings giving one test run of one service its own topics, database and consumer
    groups on the shared servers (as keyword arguments; ``as_env`` turns them into env)."""
    return {
        "profile": "test",
        "kafka_bootstrap_servers": endpoints.kafka_bootstrap_servers,
        "mongodb_uri": endpoints.mongodb_uri,
        "smtp_url": endpoints.smtp_url,
        "topic_prefix": f"{run_id}.",
        "mongodb_database": f"{run_id}_{service}",
        "consumer_group": f"{run_id}.{service}",
        "topic_partitions": partitions,
    }


def as_env(settings: dict[str, object]) -> dict[str, str]:
    return {name.upper(): str(value) for name, value in settings.items()}


@contextmanager
def running_platform() -> Iterator[Endpoints]:
    state = servers.status(TEST_DATA_DIR).values()
    if all(info["external"] or info["healthy"] for info in state):
        yield endpoints()
        return
    if not any(info["healthy"] for info in state):
        shutil.rmtree(TEST_DATA_DIR, ignore_errors=True)  # a session of our own starts clean
    started = servers.up(TEST_DATA_DIR)
    try:
        yield endpoints()
    finally:
        if started:
            servers.down(TEST_DATA_DIR)


async def remove_run(endpoints: Endpoints, run: str) -> None:
    """Drop the databases and delete the topics of one isolated run (best effort), so
    tests and benchmarks leave nothing behind on a shared (e.g. `make run`) platform."""
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(endpoints.mongodb_uri)
    admin = AIOKafkaAdminClient(bootstrap_servers=endpoints.kafka_bootstrap_servers)
    try:
        for name in await mongo.list_database_names():
            if name.startswith(f"{run}_"):
                await mongo.drop_database(name)
        await admin.start()
        topics = [t for t in await admin.list_topics() if t.startswith(f"{run}.")]
        if topics:
            with contextlib.suppress(Exception):
                await admin.delete_topics(topics)
    finally:
        await admin.close()
        await mongo.close()


def store_psql() -> list[str]:
    """psql on the local platform's PostgreSQL as FerretDB's own role (its settings
    apply), unaligned rows (`a|b`), stopping at the first error."""
    psql = postgres.binary("psql")
    assert psql is not None, "PostgreSQL's psql is not installed"
    connect = ["-h", postgres.HOST, "-p", str(postgres.PORT), "-U", "ferretdb", "-d", "ferretdb"]
    return [str(psql), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", *connect]


def store_sql(sql: str, **variables: str) -> str:
    """Run SQL (psql variables :'name' allowed) with ``store_psql``; returns its rows."""
    argv = store_psql() + [f"--variable={name}={value}" for name, value in variables.items()]
    result = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout
