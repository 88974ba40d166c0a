"""Fixtures shared by every test suite of the workspace."""

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from testkit.platform import Endpoints, remove_run, running_platform

# the headless browser fixtures (`browser`, `phone`) and their screenshots on failure
pytest_plugins = ["testkit.browser"]


@pytest.fixture(scope="session")
def platform() -> Iterator[Endpoints]:
    """The real Kafka, FerretDB and Mailpit (started for the session when not running)."""
    with running_platform() as endpoints:
        yield endpoints


@pytest.fixture
async def run_id(platform: Endpoints) -> AsyncIterator[str]:
    """A unique name for one test's topics, databases and e-mail domain; both are
    removed afterwards, so tests leave nothing behind on a shared (e.g. `make run`) platform."""
    run = f"t{uuid.uuid4().hex[:10]}"
    yield run
    await remove_run(platform, run)
