"""Issue 18 item 3, EI-2: identity re-announces its directory to an existing installation
(the backfill), against the real Kafka and FerretDB, with billing-svc, inbox-svc and
notify-svc in process.

The installation: identity ran before this version; its members and accounts were
announced on topics billing never read (gone: Kafka keeps 7 days), and identity's
database has no record of a backfill. billing starts empty: it knows no member, no
e-invoicing state. A member whose account is old switched e-invoicing off meanwhile.
Then identity (this version) starts, and its backfill generation runs by itself."""

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from identity.adapters.reannouncement import REANNOUNCE_BATCHES, REANNOUNCE_RUNS
from identity.adapters.store import ACCOUNTS, MEMBERS
from identity.bootstrap import create_app
from identity.domain.members import MemberEntry, PostalAddress
from identity.domain.reannouncement import generation_run
from identity.service.context import Origin
from identity.service.use_cases import IdentityUseCases
from identity.settings import IdentitySettings
from mylm_shared.events import CloudEvent
from mylm_shared.service import use_cases_of
from pymongo.asynchronous.database import AsyncDatabase

from testkit.apps import serving
from testkit.billing_world import BillingWorld, billing_world
from testkit.kafka import read_all
from testkit.people import national_number
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.slice import consumer_lag

pytestmark = pytest.mark.integration

PASSWORD = "Demo-Passw0rd!"  # the demo accounts' (demo.staff runs the job by hand)
ADDRESSES = {
    "an": PostalAddress("Kerkstraat", "12", "1730", "Asse", box="3"),
    "bart": PostalAddress("Rue Haute", "7", "5000", "Namur"),
    "chris": PostalAddress("Markt", "1", "9000", "Gent"),
}


@dataclass
class Installation:
    """What identity left in its database before this version: An and Bart with an
    account (created then), Chris without; their member and account ids."""

    members: dict[str, str]
    accounts: dict[str, str]
    created: dict[str, datetime]


def entry(name: str) -> MemberEntry:
    insz = national_number()
    return MemberEntry(
        member_number=f"R-{uuid.uuid4().hex[:10]}",
        national_number=insz,
        first_name=name.title(),
        last_name="Backfill",
        birth_date=date(1900 + int(insz[0:2]), int(insz[2:4]), int(insz[4:6])),
        language="fr" if name == "bart" else "nl",
        mutuality="LM Plus",
        email=f"{name}-{uuid.uuid4().hex[:6]}@example.test",
        address=ADDRESSES[name],
    )


def identity_settings(platform: Endpoints, run_id: str, topics_of: str) -> IdentitySettings:
    settings: dict[str, Any] = {
        **isolated(platform, topics_of, "identity"),
        "mongodb_database": f"{run_id}_identity",  # one database, before and after
        "consumer_group": f"{topics_of}.identity",
        "seed_demo_data": True,
        "reannounce_batch_size": 3,  # several batches
        "reannounce_batch_pause_seconds": 0,
        "reannounce_check_seconds": 0.2,
    }
    return IdentitySettings(**settings)


async def unpublished(db: AsyncDatabase[dict[str, Any]]) -> int:
    found = 0
    for collection in (MEMBERS, ACCOUNTS):
        async for doc in db[collection].find({}, {"_outbox": 1}):
            found += len(doc.get("_outbox") or [])
    return found


async def before_this_version(platform: Endpoints, run_id: str) -> Installation:
    """identity as it ran before: its events on topics of their own (``<run>-old.*``),
    all published; then its database without the backfill's record."""
    app = create_app(identity_settings(platform, run_id, f"{run_id}-old"))
    async with serving(app):
        use_cases = use_cases_of(app, IdentityUseCases)
        members: dict[str, str] = {}
        accounts: dict[str, str] = {}
        created: dict[str, datetime] = {}
        for name in ("an", "bart", "chris"):
            member = await use_cases.directory.register(entry(name))
            members[name] = member.member_id
            if name == "chris":
                continue
            account = await use_cases.opening.open(
                member,
                username=f"{name}-{uuid.uuid4().hex[:6]}",
                password_hash=use_cases.context.passwords.hash(PASSWORD),
                method="password",
                terms_version=use_cases.settings.terms_version,
                origin=Origin("192.0.2.1"),
            )
            stored = await use_cases.context.account_of_member(member.member_id)
            assert stored is not None and stored.created_at is not None
            accounts[name], created[name] = account.account_id, stored.created_at
        db = app.state.runtime.db
        await eventually(lambda: unpublished(db), until=lambda n: n == 0, what="old events out")
        await eventually(lambda: generation_done(db), until=bool, what="its start-up run")
        # the database as the version before left it: no backfill ever ran
        await db[REANNOUNCE_RUNS].delete_many({})
        await db[REANNOUNCE_BATCHES].delete_many({})
    return Installation(members, accounts, created)


async def run_done(db: AsyncDatabase[dict[str, Any]], run_id: str) -> bool:
    run = await db[REANNOUNCE_RUNS].find_one({"_id": run_id})
    return bool(run and run.get("done"))


async def generation_done(db: AsyncDatabase[dict[str, Any]]) -> bool:
    return await run_done(db, generation_run())


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[BillingWorld]:
    async with billing_world(platform, run_id) as world:
        yield world


async def events(world: BillingWorld, topic: str, subjects: set[str]) -> list[CloudEvent]:
    records = await read_all(world.bootstrap, f"{world.run_id}.{topic}")
    found = [CloudEvent.model_validate_json(r.value or b"") for r in records]
    return [event for event in found if event.subject in subjects]


async def caught_up(world: BillingWorld, *consumers: tuple[str, str]) -> None:
    """billing's consumers (topic, consumer name) have committed all of their topic."""
    for topic, consumer in consumers:
        group, full = f"{world.run_id}.billing.{consumer}", f"{world.run_id}.{topic}"

        async def lag(group: str = group, full: str = full) -> int:
            return await consumer_lag(world.bootstrap, group, full)

        await eventually(lag, until=lambda n: n == 0, what=f"billing consumed {topic}")


async def paper_request(world: BillingWorld, invoice_id: str) -> dict[str, Any]:
    async def requests() -> list[dict[str, Any]]:
        found = await world.records("invoice.print_requested")
        return [r for r in found if r["invoice_id"] == invoice_id]

    (request,) = await eventually(requests, until=lambda found: len(found) == 1, what="print")
    return request


async def test_ei2_a_backfill_gives_billing_einvoicing_names_and_addresses_once(
    platform: Endpoints, run_id: str, world: BillingWorld
) -> None:
    """Issue 18 item 3, EI-2 (and EI-3): after identity's backfill generation, billing
    has e-invoicing on for An (account of before, since its creation), invoices Chris
    (no account) on paper with name and postal address, and Bart, who switched it off
    after his account was created, stays on paper; running the job again by hand
    (idempotent route, staff) publishes the same event ids: nothing new downstream."""
    old = await before_this_version(platform, run_id)
    an, bart, chris = (old.members[name] for name in ("an", "bart", "chris"))
    ours = {an, bart, chris}
    # billing knows nobody yet; Bart switches e-invoicing off (EI-3), a recorded choice
    switched = await world.client.put(
        f"/v1/members/{bart}/einvoicing", json={"enabled": False}, headers=world.tokens.member(bart)
    )
    assert switched.status_code == 200, switched.text
    assert (await world.einvoicing(an))["enabled"] is False  # no record: paper

    app = create_app(identity_settings(platform, run_id, run_id))
    async with serving(app) as identity:
        db = app.state.runtime.db
        await eventually(lambda: generation_done(db), until=bool, what="the backfill ran")
        # EI-2: on since the account's original creation, by the system
        state = await eventually(
            lambda: world.einvoicing(an), until=lambda s: s["enabled"], what="EI-2 for An"
        )
        assert state["changed_by"] == "system"
        assert datetime.fromisoformat(state["since"]) == old.created["an"]
        # Bart: his replayed account.created was consumed, and changed nothing
        created = await events(world, "account.created", ours)
        assert {e.subject for e in created} == {an, bart}
        await caught_up(world, ("account.created", "billing-einvoicing-accounts"))
        bart_state = await world.einvoicing(bart)
        assert (bart_state["enabled"], bart_state["changed_by"]) == (False, "member")

        # names and addresses: billing knows the members from the replay alone
        today = datetime.now(UTC).date().isoformat()
        electronic = await world.issue(an, today, today)
        assert electronic["channel"] == "electronic"
        for name, member_id, language in (("chris", chris, "nl"), ("bart", bart, "fr")):
            invoice = await world.issue(member_id, today, today)
            assert invoice["channel"] == "paper"
            request = await paper_request(world, invoice["invoice_id"])
            assert request["member_name"] == f"{name.title()} Backfill"
            assert request["language"] == language
            address = ADDRESSES[name]
            assert request["address"]["street"] == address.street
            assert request["address"]["postal_code"] == address.postal_code
            assert request["address_missing"] is False

        # the job again, by hand: idempotent while to be done, the same events
        async def changes() -> list[tuple[str, bool, str]]:
            found = await world.records("einvoicing.changed")
            return sorted(
                (c["member_id"], c["enabled"], c["changed_by"])
                for c in found
                if c["member_id"] in ours
            )

        changes_before = await eventually(
            changes, until=lambda found: len(found) == 2, what="einvoicing.changed"
        )
        assert changes_before == sorted([(an, True, "system"), (bart, False, "member")])
        login = await identity.post(
            "/v1/sessions", json={"username": "demo.staff", "password": PASSWORD}
        )
        staff = {"Authorization": f"Bearer {login.json()['access_token']}"}
        asked = [await identity.post("/v1/jobs/reannounce", headers=staff) for _ in range(2)]
        assert [r.status_code for r in asked] == [202, 202], asked[0].text
        run = asked[0].json()["run_id"]
        assert asked[1].json()["run_id"] == run

        await eventually(lambda: run_done(db, run), until=bool, what="the staff run")
        twice = await eventually(
            lambda: events(world, "account.created", ours),
            until=lambda found: len(found) == 4,
            what="the accounts announced again",
        )
        assert sorted(Counter(e.id for e in twice).values()) == [2, 2]  # the same ids
        assert {e.time for e in twice} == {old.created["an"], old.created["bart"]}
        updates = await eventually(
            lambda: events(world, "member.updated", ours),
            until=lambda found: len(found) == 6,
            what="the members announced again",
        )
        assert sorted(Counter(e.id for e in updates).values()) == [2, 2, 2]
        await caught_up(
            world,
            ("account.created", "billing-einvoicing-accounts"),
            ("member.updated", "billing-member-updates"),
        )
        assert await changes() == changes_before
        assert (await world.einvoicing(bart))["enabled"] is False
        on = await world.einvoicing(an)
        assert on["since"] == state["since"]
