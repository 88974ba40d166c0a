"""The local platform is the real thing, set up as the contract says."""

import re
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from testkit.platform import Endpoints

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
