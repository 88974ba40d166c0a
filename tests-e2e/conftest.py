"""E2e fixtures: the four slice services as real processes on the real platform."""

from collections.abc import AsyncIterator, Iterator

import pytest

from testkit.mailpit import Mailpit
from testkit.platform import Endpoints
from testkit.slice import Slice, User


@pytest.fixture
def services(platform: Endpoints, run_id: str) -> Iterator[Slice]:
    running = Slice(run_id, platform)
    yield running
    running.stop()


@pytest.fixture
async def mailpit(platform: Endpoints) -> AsyncIterator[Mailpit]:
    client = Mailpit(platform.mailpit_api)
    yield client
    await client.aclose()


@pytest.fixture
async def staff(services: Slice) -> AsyncIterator[User]:
    """Staff logged in to the slice (call ``services.start()`` first: lazily started here)."""
    if not services.services:
        services.start()
    user = await User.log_in(services, "demo.staff")
    yield user
    await user.aclose()
