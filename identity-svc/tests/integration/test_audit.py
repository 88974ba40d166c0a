"""LF-5, issue 15 item 6, against the real FerretDB and Kafka: every operation goes into a
trail chained with an HMAC under a key outside the database; the trail's head is
published to ``audit.checkpoint`` and kept there; staff verify the stored trail against
its HMACs and its latest checkpoint, and each way of tampering is detected and named
(rewriting, even with a recomputed plain hash; a deleted middle entry; a truncated
tail; an emptied trail). "My data" exports without secrets."""

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from fastapi import FastAPI
from identity.adapters.audit import AUDIT, CheckpointPublisher
from identity.bootstrap import checkpoint_publisher, create_app
from identity.demo import TITULAR, demo_id
from identity.service.account_life import AccountLife
from identity.service.context import Origin
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.service import use_cases_of
from pymongo import AsyncMongoClient

from testkit.apps import serving
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"
MANUAL = 3600.0  # checkpoints published by the test itself (the loop's first pass aside)


@dataclass
class Identity:
    app: FastAPI
    client: httpx.AsyncClient
    trail: Any  # the raw audit_trail collection, as someone with database access sees it

    async def publish_checkpoints(self) -> int:
        publisher = checkpoint_publisher(self.app)
        assert isinstance(publisher, CheckpointPublisher)
        return await publisher.publish_due()


@asynccontextmanager
async def running(platform: Endpoints, run_id: str, **settings: Any) -> AsyncIterator[Identity]:
    config = {
        **isolated(platform, run_id, "identity"),
        "seed_demo_data": True,
        "audit_checkpoint_seconds": MANUAL,
        **settings,
    }
    app = create_app(IdentitySettings(**config))
    database = str(config["mongodb_database"])
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(platform.mongodb_uri)
    try:
        async with serving(app) as client:
            yield Identity(app, client, mongo[database][AUDIT])
    finally:
        await mongo.close()


@pytest.fixture
async def identity(platform: Endpoints, run_id: str) -> AsyncIterator[Identity]:
    async with running(platform, run_id) as service:
        yield service


async def bearer(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post("/v1/sessions", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def verification(client: httpx.AsyncClient, member_id: str) -> dict[str, Any]:
    staff = await bearer(client, "demo.staff")
    response = await client.get(f"/v1/audit/{member_id}/verify", headers=staff)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def findings(result: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [(f["kind"], f["seq"]) for f in result["findings"]]


async def logins_then_checkpoint(identity: Identity, n: int) -> None:
    for _ in range(n):
        await bearer(identity.client, "demo.titular")
    await identity.publish_checkpoints()
    result = await verification(identity.client, TITULAR)
    assert (result["valid"], result["entries"], result["checkpoint_seq"]) == (True, n, n)


async def test_lf5_concurrent_operations_chain_without_forking(identity: Identity) -> None:
    """Issue 15 item 6: 30 operations on one trail at once claim 30 sequence numbers
    (insert-only ``_id = trail@seq``, retried on a duplicate key): no fork, no loss."""
    context = use_cases_of(identity.app, IdentityUseCases).context
    origin = Origin("192.0.2.1")
    await asyncio.gather(
        *(context.record(TITULAR, "test.concurrent", origin, n=n) for n in range(30))
    )
    await identity.publish_checkpoints()
    result = await verification(identity.client, TITULAR)
    assert result == {
        "valid": True,
        "entries": 30,
        "checkpoint_seq": 30,
        "findings": [],
        "first_broken": None,
    }
    numbers = [e["details"]["n"] async for e in identity.trail.find({"trail": TITULAR})]
    assert sorted(numbers) == list(range(30))


async def test_lf5_the_checkpoint_is_published_periodically_and_kept(
    platform: Endpoints, run_id: str
) -> None:
    """Issue 15 item 6: without anyone asking, the head reaches audit.checkpoint, a topic
    that is compacted (the newest checkpoint of each trail is kept for ever)."""
    async with running(platform, run_id, audit_checkpoint_seconds=0.2) as identity:
        for _ in range(3):
            await bearer(identity.client, "demo.titular")

        async def anchored() -> int | None:
            seq: int | None = (await verification(identity.client, TITULAR))["checkpoint_seq"]
            return seq

        await eventually(anchored, until=lambda seq: seq == 3, what="checkpoint at 3")
        admin = AIOKafkaAdminClient(bootstrap_servers=platform.kafka_bootstrap_servers)
        await admin.start()
        try:
            topic = f"{run_id}.audit.checkpoint"
            described = await admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, topic)]
            )
            configs = {
                entry[0]: entry[1]
                for response in described
                for resource in response.resources
                for entry in resource[4]
            }
        finally:
            await admin.close()
        assert configs["cleanup.policy"] == "compact"
        assert configs["retention.ms"] == "-1"


async def rewrite_with_plain_hash(trail: Any) -> None:
    """Someone with database access changes where login 2 came from and, to cover it,
    recomputes an unkeyed SHA-256 the way the chain of before issue 15 did."""
    entry = await trail.find_one({"_id": f"{TITULAR}@00000002"})
    entry["source"] = "203.0.113.7"
    content = {k: v for k, v in entry.items() if k not in ("_id", "hash")}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    forged = hashlib.sha256(canonical.encode()).hexdigest()
    changed = await trail.update_one(
        {"_id": entry["_id"]}, {"$set": {"source": "203.0.113.7", "hash": forged}}
    )
    assert changed.modified_count == 1


async def delete_middle(trail: Any) -> None:
    assert (await trail.delete_one({"_id": f"{TITULAR}@00000002"})).deleted_count == 1


async def truncate_tail(trail: Any) -> None:
    for seq in (3, 4):
        assert (await trail.delete_one({"_id": f"{TITULAR}@{seq:08d}"})).deleted_count == 1


async def empty(trail: Any) -> None:
    assert (await trail.delete_many({"trail": TITULAR})).deleted_count == 4


TAMPERING: dict[str, tuple[Callable[[Any], Awaitable[None]], list[tuple[str, int | None]]]] = {
    "rewritten": (rewrite_with_plain_hash, [("rewritten", 2), ("rewritten", 3)]),
    "deleted": (delete_middle, [("deleted", 2)]),
    "truncated": (truncate_tail, [("truncated", 3)]),
    "emptied": (empty, [("emptied", 1)]),
}


@pytest.mark.parametrize("tampering", list(TAMPERING))
async def test_lf5_tampering_with_the_stored_trail_is_detected_and_named(
    identity: Identity, tampering: str
) -> None:
    """Issue 15 item 6: each way of tampering is its own finding; and a tampered trail
    gets no new checkpoint that would launder it."""
    await logins_then_checkpoint(identity, 4)
    tamper, expected = TAMPERING[tampering]
    await tamper(identity.trail)
    result = await verification(identity.client, TITULAR)
    assert result["valid"] is False
    assert findings(result) == expected
    assert result["checkpoint_seq"] == 4

    # identity goes on appending; the next checkpoint pass refuses this trail
    await bearer(identity.client, "demo.titular")
    await identity.publish_checkpoints()  # (the staff's trail, used to verify, gets one)
    again = await verification(identity.client, TITULAR)
    assert again["valid"] is False and again["checkpoint_seq"] == 4


async def test_lf5_a_checkpoint_moves_on_with_the_trail(identity: Identity) -> None:
    """Issue 15 item 6: appends after a checkpoint verify; the next one vouches for them."""
    await logins_then_checkpoint(identity, 2)
    await bearer(identity.client, "demo.titular")
    result = await verification(identity.client, TITULAR)
    assert (result["valid"], result["entries"], result["checkpoint_seq"]) == (True, 3, 2)
    assert await identity.publish_checkpoints() >= 1
    assert (await verification(identity.client, TITULAR))["checkpoint_seq"] == 3


async def test_lf5_key_rotation_keeps_old_entries_verifiable(
    platform: Endpoints, run_id: str, tmp_path: Path
) -> None:
    """Issue 15 item 6: entries name their key; after a rotation the retired key still
    verifies them; a key that is no longer configured makes them ``unknown_key``."""
    old, new = tmp_path / "audit-old.key", tmp_path / "audit-new.key"
    old.write_text("o" * 64)
    new.write_text("n" * 64)
    async with running(platform, run_id, audit_key_file=str(old)) as identity:
        await logins_then_checkpoint(identity, 2)
    async with running(
        platform, run_id, audit_key_file=str(new), audit_retired_key_files=(str(old),)
    ) as identity:
        await bearer(identity.client, "demo.titular")
        await identity.publish_checkpoints()
        result = await verification(identity.client, TITULAR)
        assert (result["valid"], result["entries"], result["checkpoint_seq"]) == (True, 3, 3)
        keys = {e["key_id"] async for e in identity.trail.find({"trail": TITULAR})}
        assert len(keys) == 2
    async with running(platform, run_id, audit_key_file=str(new)) as identity:
        result = await verification(identity.client, TITULAR)
        assert findings(result)[:2] == [("unknown_key", 1), ("unknown_key", 2)]


async def actions(identity: Identity, trail: str) -> list[dict[str, Any]]:
    entries = await identity.trail.find({"trail": trail}).to_list()
    return sorted(entries, key=lambda e: e["seq"])


async def test_lf5_failed_logins_and_lockouts_are_recorded(identity: Identity) -> None:
    """Issue 15 item 6: wrong passwords and the attempts a lock refuses go into the
    account's trail (with the client address), and the trail still verifies."""
    wrong = {"username": "demo.other", "password": "not the password"}
    statuses = [
        (await identity.client.post("/v1/sessions", json=wrong)).status_code for _ in range(7)
    ]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    other = demo_id("member/other")
    # written after the answer (an existing account must not answer slower)
    entries = await eventually(
        lambda: actions(identity, other), until=lambda found: len(found) == 7, what="7 entries"
    )
    assert [e["action"] for e in entries] == ["login.failed"] * 5 + ["login.locked"] * 2
    assert all(e["by"] is None and e["source"] for e in entries)
    assert (await verification(identity.client, other))["valid"] is True


async def test_lf5_refresh_token_reuse_is_recorded(identity: Identity) -> None:
    """Issue 15 item 6: a spent refresh token presented again is recorded."""
    login = {"username": "demo.titular", "password": PASSWORD}
    refresh_token = (await identity.client.post("/v1/sessions", json=login)).json()["refresh_token"]
    body = {"refresh_token": refresh_token}
    assert (await identity.client.post("/v1/sessions/refresh", json=body)).status_code == 200
    assert (await identity.client.post("/v1/sessions/refresh", json=body)).status_code == 401
    entries = await eventually(
        lambda: actions(identity, TITULAR), until=lambda found: len(found) == 2, what="reuse"
    )
    assert [e["action"] for e in entries] == ["session.created", "refresh_token.reused"]
    assert entries[1]["details"]["session"]


async def test_lf5_operations_acting_for_a_dependant_name_actor_and_dossier(
    identity: Identity,
) -> None:
    """Issue 15 item 6 (AC-2): the exchange and what the titular does in the child's
    dossier are in the child's trail, with the actor and the dossier."""
    child = demo_id("member/child")
    titular = await bearer(identity.client, "demo.titular")
    exchanged = await identity.client.post(f"/v1/me/dossiers/{child}/token", headers=titular)
    assert exchanged.status_code == 200, exchanged.text
    acting = {"Authorization": f"Bearer {exchanged.json()['access_token']}"}
    assert (await identity.client.get("/v1/me", headers=acting)).status_code == 200
    read = await identity.client.get(f"/v1/members/{child}", headers=acting)
    assert read.status_code == 200
    entries = await actions(identity, child)
    assert [e["action"] for e in entries] == [
        "dossier.opened_by_titular",
        "dossier.profile_read",
        "dossier.entry_read",
    ]
    titular_account = entries[1]["by"]
    assert titular_account and titular_account != child
    for entry in entries[1:]:
        assert (entry["by"], entry["acting_for"]) == (titular_account, child)
        assert entry["details"]["actor_member"] == TITULAR
    assert (await verification(identity.client, child))["valid"] is True


async def test_lf5_an_operation_is_written_with_its_change_and_survives_a_crash(
    identity: Identity,
) -> None:
    """Issue 15 item 6: the suspension (LF-2) and its audit operation are one insert (the
    account's new version carries it); a crash before it is chained loses nothing: the
    sweep finds it in the changed document and chains it."""
    context = use_cases_of(identity.app, IdentityUseCases).context
    other = demo_id("member/other")
    publisher = checkpoint_publisher(identity.app)
    # The start-up sweep (when the lease is taken) has run, so only the test's own sweep
    # below can chain what the simulated crash leaves (the next one is minutes away).
    await asyncio.wait_for(publisher.swept.wait(), timeout=30)

    class Crash(Exception):
        pass

    async def crash(*_: object, **__: object) -> None:
        raise Crash

    chain = context.audit.record
    context.audit.record = crash  # the process dies right after the change's insert
    try:
        with pytest.raises(Crash):
            await AccountLife(context).suspend(other, "fraud-indication", Origin("192.0.2.9"))
    finally:
        context.audit.record = chain
    account = await context.account_of_member(other)
    assert account is not None and account.status == "suspended"
    versions = identity.trail.database["accounts"].find({"account_id": account.account_id})
    newest = max(await versions.to_list(), key=lambda version: version["version"])
    [pending] = newest["_audit"]
    assert (pending["action"], pending["trail"]) == ("account.suspended", other)
    assert pending["details"] == {"reason": "fraud-indication"}
    assert await actions(identity, other) == []

    assert await publisher.sweep() == 1
    assert await publisher.sweep() == 0  # chained once
    [entry] = await actions(identity, other)
    assert (entry["action"], entry["op_id"]) == ("account.suspended", pending["op_id"])
    assert entry["source"] == "192.0.2.9"
    assert (await verification(identity.client, other))["valid"] is True


async def test_lf5_verify_is_for_staff_and_names_unknown_trails(identity: Identity) -> None:
    member = await bearer(identity.client, "demo.titular")
    response = await identity.client.get(f"/v1/audit/{TITULAR}/verify", headers=member)
    assert response.status_code == 403
    staff = await bearer(identity.client, "demo.staff")
    assert (await identity.client.get("/v1/audit/nobody/verify", headers=staff)).status_code == 404


async def test_my_data_export_holds_my_data_and_no_secrets(identity: Identity) -> None:
    headers = await bearer(identity.client, "demo.titular")
    response = await identity.client.get("/v1/me/export", headers=headers)
    assert response.status_code == 200
    export = response.json()
    assert export["member"]["member_id"] == TITULAR
    assert export["member"]["national_number"] == "85073003328"
    assert export["account"]["username"] == "demo.titular"
    assert [e["action"] for e in export["audit_trail"]] == ["session.created"]
    assert [s["revoked"] for s in export["sessions"]] == [False]
    assert "password_hash" not in response.text
    assert "$argon2" not in response.text
