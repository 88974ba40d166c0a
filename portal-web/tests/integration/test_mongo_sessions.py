"""The portal's session store on the real FerretDB (issue 20 item 2): a session round-
trips with its tokens and times (and the dependant's dossier open, with its exchanged
token), is replaced by its one writer, and is deleted."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from mylm_shared.mongo import make_mongo_client
from portal.adapters import MongoSessions
from portal.ports import PortalSession
from portal.sessions import session_key

from testkit.platform import Endpoints

pytestmark = pytest.mark.integration


async def test_a_session_round_trips_and_is_deleted(platform: Endpoints, run_id: str) -> None:
    client = make_mongo_client(platform.mongodb_uri, "portal-test")
    try:
        store = MongoSessions(client[f"{run_id}_portal"]["sessions"])
        now = datetime(2026, 12, 2, 9, 0, 0, tzinfo=UTC)
        session = PortalSession(
            key=session_key("opaque-id"),
            csrf="csrf-token",
            language="fr",
            created_at=now,
            last_seen=now,
        )
        await store.put(session)
        assert await store.get(session.key) == session
        logged_in = replace(
            session,
            member_id="m-1",
            access_token="a",
            refresh_token="r",
            access_expires_at=now + timedelta(minutes=5),
            last_seen=now + timedelta(minutes=1),
        )
        await store.put(logged_in)
        assert await store.get(session.key) == logged_in
        # issue 20 item 2: a dependant's dossier open, its exchanged token beside the own
        acting = replace(
            logged_in,
            dossier_member_id="m-child",
            dossier_name="Lotte Peeters",
            dossier_token="exchanged",
            dossier_expires_at=now + timedelta(minutes=15),
        )
        await store.put(acting)
        assert await store.get(session.key) == acting
        closed = replace(
            logged_in, dossier_closed="Lotte Peeters", last_seen=now + timedelta(minutes=2)
        )
        await store.put(closed)  # back to the own dossier: the dependant's fields gone
        assert await store.get(session.key) == closed
        assert await store.get(session_key("another-id")) is None
        await store.delete(session.key)
        assert await store.get(session.key) is None
    finally:
        await client.close()
