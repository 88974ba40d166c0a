"""Fixtures shared by every test suite of the workspace."""

import uuid
from collections.abc import Iterator

import pytest

from testkit.platform import Endpoints, running_platform


@pytest.fixture(scope="session")
def platform() -> Iterator[Endpoints]:
    """The real Kafka, FerretDB and Mailpit (started for the session when not running)."""
    with running_platform() as endpoints:
        yield endpoints


@pytest.fixture
def run_id() -> str:
    """A unique name for one test's topics, databases and e-mail domain."""
    return f"t{uuid.uuid4().hex[:10]}"
