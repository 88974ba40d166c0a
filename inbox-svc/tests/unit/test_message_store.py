"""ES-2 (issue 19 item 3; issue 19's last defect): the message store over the in-memory
PyMongo stand-in (``testkit/fakes/mongo.py``), with the real HMAC chain and the real
outbox relay.

The defect: ``message.received`` sat in the message's own ``_outbox``, so the outbox
relay's ``$pullAll`` updated the stored message after its insert. On FerretDB v1 an
update is a read-then-write of the whole document (ARCHITECTURE "Data"), so that write
could put back the copy it had read and silently undo a change made to the message
meanwhile: the integrity check then (rightly) found nothing to report, as in the
fresh-clone CI run where one of two altered messages went unreported. A stored message
is now only ever inserted; its event lives in a document of its own."""

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from inbox.adapters.message_store import (
    MESSAGE_EVENTS,
    MESSAGES,
    OUTBOX_COLLECTIONS,
    MessageStore,
)
from inbox.domain.messages import Message, StoredFile, new_message
from mylm_shared.kernel.audit_chain import AuditKey, AuditKeys
from mylm_shared.outbox import OUTBOX, OutboxRelay

from testkit.fakes.mongo import FakeDatabase

JAN = "member-jan"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


class Producer:
    """The relay's producer: every send acknowledged at once, kept."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    async def send(self, topic: str, *, value: bytes, **_: Any) -> "asyncio.Future[None]":
        self.sent.append((topic, value))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def message(message_id: str, text: str) -> Message:
    return new_message(
        message_id=message_id,
        member_id=JAN,
        subject="Terugbetaling bril",
        content=StoredFile("bericht.txt", "text/plain", text.encode()),
        attachments=[],
        signature=None,
        check=None,
        block=None,
        received_at=NOW,
        sent_by="account-jan",
        acting_for=None,
    )


class World:
    def __init__(self) -> None:
        self.db = FakeDatabase()
        self.store = MessageStore(
            self.db,  # type: ignore[arg-type]
            AuditKeys(AuditKey(b"k" * 64)),
            source="/inbox-svc",
        )
        self.producer = Producer()
        self.relay = OutboxRelay(
            [self.db[name] for name in OUTBOX_COLLECTIONS],  # type: ignore[misc]
            self.producer,  # type: ignore[arg-type]
        )

    def received(self) -> list[str]:
        return [topic for topic, _ in self.producer.sent if topic == "message.received"]

    def stored(self, message_id: str) -> dict[str, Any]:
        return self.db[MESSAGES].documents[message_id]

    async def findings(self) -> set[tuple[str, str | None]]:
        _, findings = await self.store.integrity()
        return {(f.kind, f.message_id) for f in findings}


@pytest.fixture
def world() -> World:
    return World()


async def test_es2_the_relay_never_writes_a_stored_message(world: World) -> None:
    """ES-2, issue 19's last defect: publishing ``message.received`` leaves the stored
    messages as inserted: the only writes ``messages`` ever sees are the inserts."""
    await world.store.add(message("m-1", "Beste, mijn bril."))
    await world.store.add(message("m-2", "Beste, mijn lenzen."))

    assert await world.relay.publish_pending() == 2
    assert len(world.received()) == 2
    assert world.db[MESSAGES].writes == [("insert_one", "m-1"), ("insert_one", "m-2")]
    assert MESSAGES not in OUTBOX_COLLECTIONS
    assert all(OUTBOX not in doc for doc in world.db[MESSAGES].documents.values())
    assert world.db[MESSAGE_EVENTS].documents["m-1"][OUTBOX] == []  # published, emptied


async def test_es2_a_change_made_while_the_relay_publishes_stays_and_is_reported(
    world: World,
) -> None:
    """ES-2, issue 19's last defect (the CI run: one of two altered messages missing):
    both messages of one member are altered in the database (the integration test's two
    changes) exactly while the relay removes the newer one's published event, between
    its read and its write-back (FerretDB v1). Both changes stay; both are reported."""
    await world.store.add(message("m-1", "Beste, mijn bril."))
    assert await world.relay.publish_pending() == 1
    await world.store.add(message("m-2", "Beste, mijn lenzen."))  # event not yet published
    assert await world.findings() == set()
    altered: list[str] = []

    def alter_both() -> None:
        m1, m2 = world.stored("m-1"), world.stored("m-2")
        m1["verification"] = {**m1["verification"], "status": "valid", "reason": None}
        m2["content"] = {**m2["content"], "content": b"Ik zeg alles op.", "sha256": "forged"}
        altered.extend(["m-1", "m-2"])

    world.db.meanwhile = alter_both
    assert await world.relay.publish_pending() == 1

    assert altered == ["m-1", "m-2"]  # the change was made during the relay's write
    assert bytes(world.stored("m-2")["content"]["content"]) == b"Ik zeg alles op."
    assert await world.findings() == {("altered", "m-1"), ("altered", "m-2")}


async def test_es2_a_crash_before_the_event_is_announced_once_at_start(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ES-2: a crash between the message's insert and its event leaves it stored,
    unannounced and unchained; the start-up repair announces it once and chains it."""

    async def crash(*_: object) -> None:
        raise RuntimeError("crash between the message and its event")

    with monkeypatch.context() as patched:
        patched.setattr(world.store, "_announce", crash)
        with pytest.raises(RuntimeError):
            await world.store.add(message("m-1", "Beste, mijn bril."))
    assert await world.findings() == {("unchained", "m-1")}

    assert await world.store.chain_unchained() == 1
    assert await world.store.chain_unchained() == 0
    assert await world.relay.publish_pending() == 1
    assert await world.findings() == set()
    assert world.db[MESSAGES].writes == [("insert_one", "m-1")]


async def test_es2_a_crash_before_chaining_does_not_announce_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ES-2: a crash between the event and the chaining: the repair chains the message
    and announces nothing again (the event's ``_id`` is the message id)."""

    async def crash(*_: object) -> None:
        raise RuntimeError("crash between the event and the chaining")

    with monkeypatch.context() as patched:
        patched.setattr(world.store, "_chain_one", crash)
        with pytest.raises(RuntimeError):
            await world.store.add(message("m-1", "Beste, mijn bril."))

    assert await world.store.chain_unchained() == 1
    assert await world.relay.publish_pending() == 1
    assert len(world.received()) == 1
    assert await world.findings() == set()
