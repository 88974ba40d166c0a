"""The local platform is the real thing, set up as the contract says."""

import asyncio
import os
import re
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from pymongo import AsyncMongoClient

from infra.local import servers
from infra.local.targets import external_target
from testkit.platform import Endpoints, store_sql

pytestmark = pytest.mark.e2e


async def test_mailpit_web_page_loads_with_its_ui_assets(platform: Endpoints) -> None:
    async with httpx.AsyncClient(base_url=platform.mailpit_api, timeout=10) as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert "<title>Mailpit</title>" in page.text
        assets = re.findall(r'(?:href|src)="(/dist/[^"?]+)', page.text)
        assert assets, "the page links no UI assets"
        for asset in assets:
            response = await client.get(asset)
            assert response.status_code == 200, asset
            assert len(response.content) > 10_000, asset  # the npm-built UI, not a stub


async def test_kafka_does_not_create_topics_on_the_fly(platform: Endpoints) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=platform.kafka_bootstrap_servers, request_timeout_ms=3000
    )
    await producer.start()
    try:
        with pytest.raises(KafkaError):
            await producer.send_and_wait(f"never-declared-{uuid.uuid4().hex}", b"x")
    finally:
        await producer.stop()


EXTERNAL = {
    "KAFKA_BOOTSTRAP_SERVERS": "broker-1.example:9092,broker-2.example:9092",
    "MONGODB_URI": "mongodb+srv://user:secret@cluster.example/",
    "SMTP_URL": "smtp+starttls://user:secret@smtp.example:587",
    "CSAM_ISSUER": "https://idp.iamfas.belgium.be/fas/oauth2",
}


def test_with_every_server_external_nothing_is_installed_or_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install = subprocess.run(
        ["bash", str(servers.HERE / "install.sh")],
        env={**os.environ, **EXTERNAL},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert install.returncode == 0, install.stderr
    for name, var in [
        ("kafka", "KAFKA_BOOTSTRAP_SERVERS"),
        ("postgres", "MONGODB_URI"),
        ("ferretdb", "MONGODB_URI"),
        ("mailpit", "SMTP_URL"),
        ("oidc", "CSAM_ISSUER"),
    ]:
        assert f"{name}: not installed, {var} points to an external server" in install.stdout
    assert "up to date" not in install.stdout and "installed " not in install.stdout

    for var, value in EXTERNAL.items():
        monkeypatch.setenv(var, value)
    assert servers.up(tmp_path) == []
    assert all(info["external"] for info in servers.status(tmp_path).values())
    assert not (tmp_path / "postgres").exists()


async def test_the_store_is_postgresql_on_loopback_only(platform: Endpoints, run_id: str) -> None:
    if external_target("MONGODB_URI"):
        pytest.skip("MONGODB_URI points to an external server")
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(platform.mongodb_uri)
    try:
        await client[f"{run_id}_store"]["things"].insert_one({"_id": "written-through-ferretdb"})
    finally:
        await client.close()
    rows = await asyncio.to_thread(
        store_sql,
        "SELECT current_setting('listen_addresses'), count(*) FROM pg_tables"
        " WHERE schemaname = :'schema' AND tablename LIKE 'things\\_%';",
        schema=f"{run_id}_store",
    )
    assert rows.strip() == "127.0.0.1|1"
