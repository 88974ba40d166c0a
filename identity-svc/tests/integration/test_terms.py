"""The current My LM terms published by identity-svc (RG-4; issue 20 item 2: a client
learns the version to accept from the API, not from the README), against the real
FerretDB and Kafka."""

import pytest
from identity.bootstrap import create_app
from identity.settings import IdentitySettings

from testkit.apps import serving
from testkit.platform import Endpoints, isolated

pytestmark = pytest.mark.integration


async def test_rg4_the_current_terms_version_and_text_are_public(
    platform: Endpoints, run_id: str
) -> None:
    """RG-4, issue 20 item 2: anyone reads the terms version a registration must accept
    (``TERMS_VERSION``) and its Dutch text; that version is the one confirm accepts."""
    settings = IdentitySettings(**isolated(platform, run_id, "identity"))  # type: ignore[arg-type]
    async with serving(create_app(settings)) as client:
        answer = await client.get("/v1/terms/current")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["version"] == settings.terms_version == "2024-01"
    assert body["language"] == "nl"
    assert body["title"] == "Algemene voorwaarden van My LM"
    assert "Ik aanvaard de voorwaarden" in body["text"]


async def test_rg4_another_terms_version_without_a_text_is_still_published(
    platform: Endpoints, run_id: str
) -> None:
    """RG-4: the mutuality moves to a new version (setting) before its text is kept here:
    the version is what counts, the text is null."""
    settings = IdentitySettings(  # type: ignore[arg-type]
        **isolated(platform, run_id, "identity"), terms_version="2027-01"
    )
    async with serving(create_app(settings)) as client:
        body = (await client.get("/v1/terms/current")).json()
    assert body == {"version": "2027-01", "language": "nl", "title": None, "text": None}
