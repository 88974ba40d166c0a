"""The ``inbox`` fixture: inbox-svc with one known member (``testkit.inbox_app``). A
module sets that member's language by overriding ``member_language``."""

from collections.abc import AsyncIterator

import pytest
from mylm_shared.events.catalog import Language

from testkit.inbox_app import Inbox, inbox_with_member
from testkit.platform import Endpoints


@pytest.fixture
def member_language() -> Language:
    return "nl"


@pytest.fixture
async def inbox(
    platform: Endpoints, run_id: str, member_language: Language
) -> AsyncIterator[Inbox]:
    async with inbox_with_member(platform, run_id, member_language) as ready:
        yield ready
