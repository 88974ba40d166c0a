"""Issue 18 item 3, EI-2: identity re-announces its directory (the backfill), so
consumers whose projections lack the history (billing: names, addresses, e-invoicing
switched on by ``account.created``) get it: every member as ``member.updated`` with
their current entry, every open account as ``account.created`` dated at its original
creation, with ids derived from what they announce, in paced, resumable batches.

Against the fakes of identity's ports (``testkit/fakes/identity.py``)."""

from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
from identity.domain.accounts import Account
from identity.domain.members import Member, MemberEntry
from identity.domain.reannouncement import (
    GENERATION,
    StoredAccount,
    StoredMember,
    account_event_id,
    generation_run,
    member_event_id,
    replay_account,
    replay_member,
    state_time,
)
from identity.service.context import Origin
from mylm_shared.events import ACCOUNT_CREATED, MEMBER_UPDATED, AccountCreatedV1, MemberUpdatedV1
from mylm_shared.fanout import Announcement

from testkit.fakes.identity import IdentityFakes, enrol, insz, unit_settings

STAFF = Origin("192.0.2.9")
ENTRY = MemberEntry(
    member_number="M-1",
    national_number=insz(date(1980, 5, 17)),
    first_name="Jan",
    last_name="Peeters",
    birth_date=date(1980, 5, 17),
    language="nl",
    mutuality="LM Plus",
)


def of_type(published: list[Announcement], topic: str) -> dict[str, Announcement]:
    return {a.message.subject: a for a in published if a.message.spec.topic == topic}


async def world(batch_size: int = 200) -> tuple[IdentityFakes, dict[str, str]]:
    """Jan (account, then suspended), An (account ended), Piet (no account), Mia (a
    CSAM account), a staff account: the directory before the backfill."""
    fakes = IdentityFakes(unit_settings(reannounce_batch_size=batch_size))
    use_cases = fakes.use_cases()
    ids: dict[str, str] = {}
    for name, account in (("jan", True), ("an", True), ("piet", False), ("mia", True)):
        member = await enrol(use_cases, name, date(1980, 5, 17), account=account)
        ids[name] = member.member_id
    await use_cases.account_life.suspend(ids["jan"], "maintenance", STAFF)
    await use_cases.account_life.end(ids["an"], "letter of 1 March", STAFF)
    staff = Account(account_id="staff-1", username="staff", password_hash="x", member_id=None)
    await fakes.stores.accounts.save(staff)
    return fakes, ids


async def test_ei2_every_member_and_every_open_account_is_announced_again() -> None:
    """Issue 18 item 3, EI-2: the start-up run of the backfill generation publishes each
    member's whole current entry (``member.updated``, nothing ``changed``) and
    ``account.created`` for each open account (active or suspended) of a member, dated
    at the account's ORIGINAL creation; not for an ended account nor for staff."""
    fakes, ids = await world()
    fakes.clock.advance(timedelta(days=400))  # the backfill runs long after
    use_cases = fakes.use_cases()
    await use_cases.reannouncement.at_start_up()
    written = await use_cases.reannouncement.run()
    published = fakes.reannouncements.published
    members = of_type(published, MEMBER_UPDATED.topic)
    accounts = of_type(published, ACCOUNT_CREATED.topic)
    assert set(members) == set(ids.values())
    assert set(accounts) == {ids["jan"], ids["mia"]}
    assert written == len(published) == 6
    for name, member_id in ids.items():
        payload = MemberUpdatedV1.model_validate(members[member_id].message.payload.model_dump())
        assert (payload.first_name, payload.changed) == (name.title(), [])
        member = await fakes.stores.members.get(member_id)
        assert member is not None and members[member_id].event_id == member_event_id(
            member_id, member.version
        )
    for name in ("jan", "mia"):
        account = await use_cases.context.account_of_member(ids[name])
        assert account is not None and account.created_at is not None
        replay = accounts[ids[name]]
        created = AccountCreatedV1.model_validate(replay.message.payload.model_dump())
        assert replay.time == account.created_at == created.terms_accepted_at
        assert replay.time < fakes.clock() - timedelta(days=399)  # not the time of the run
        assert replay.event_id == account_event_id(account.account_id)
        assert created.account_id == account.account_id
    assert await fakes.reannouncements.done(generation_run(GENERATION))


async def test_ei2_a_member_state_is_dated_just_after_its_own_version() -> None:
    """Issue 18 item 3, EI-2: a replayed member state is newer than the event its version
    raised (stored with microseconds, the version's ``saved_at`` with milliseconds) so a
    projection holding the registration takes it, and it is never dated at the run."""
    fakes, ids = await world()
    use_cases = fakes.use_cases()
    await use_cases.reannouncement.at_start_up()
    await use_cases.reannouncement.run()
    replay = of_type(fakes.reannouncements.published, MEMBER_UPDATED.topic)[ids["piet"]]
    (document,) = [
        d for d in fakes.stores.member_store.documents.values() if d["aggregate_id"] == ids["piet"]
    ]
    saved_at = document["saved_at"]
    assert saved_at < replay.time <= saved_at + timedelta(milliseconds=1)
    # the version's own event is made before its store (<= saved_at); MongoDB then cuts
    # the stored saved_at to milliseconds: the replay is still strictly later
    stored = saved_at.replace(microsecond=saved_at.microsecond // 1000 * 1000)
    assert state_time(stored) > saved_at


async def test_ei2_the_generation_runs_once_and_a_staff_run_repeats_the_same_events() -> None:
    """Issue 18 item 3, EI-2: the generation recorded done is not run again at the next
    start-up; a staff request (idempotent while it is to be done) re-publishes events
    with the SAME ids and times, which consumers deduplicate: nothing new downstream."""
    fakes, _ = await world()
    use_cases = fakes.use_cases()
    await use_cases.reannouncement.at_start_up()
    first = await use_cases.reannouncement.run()
    generation = fakes.reannouncements.published
    # a restart: the generation is done, nothing to run
    await use_cases.reannouncement.at_start_up()
    assert await use_cases.reannouncement.run() == 0
    # staff ask twice before the job runs: one run
    asked = [await use_cases.reannouncement.request() for _ in range(2)]
    assert asked[0] == asked[1] and asked[0].generation == GENERATION
    assert await use_cases.reannouncement.run() == first
    again = fakes.reannouncements.published[len(generation) :]
    assert [(a.event_id, a.time) for a in again] == [(a.event_id, a.time) for a in generation]
    # done: the next request is a new run
    assert (await use_cases.reannouncement.request()).run_id != asked[0].run_id


async def test_ei2_what_was_stored_after_the_run_opened_is_not_announced_again() -> None:
    """Issue 18 item 3, EI-2: a member registered (or account opened) after the run was
    opened was announced as it happened: no second event for it."""
    fakes, ids = await world()
    use_cases = fakes.use_cases()
    await use_cases.reannouncement.at_start_up()
    late = await enrol(use_cases, "lotte", date(1990, 1, 2))
    await use_cases.reannouncement.run()
    subjects = {a.message.subject for a in fakes.reannouncements.published}
    assert late.member_id not in subjects
    assert ids["piet"] in subjects


async def test_ei2_batches_are_paced_and_a_broken_run_resumes_where_it_stopped() -> None:
    """Issue 18 item 3, EI-2: small batches with a pause between them (bus and consumers
    steady); a run that fails half-way (a crash, a database outage) resumes after its
    last batch written, and every member is announced exactly once."""
    fakes, ids = await world(batch_size=2)
    for n in range(5):
        await enrol(fakes.use_cases(), f"extra{n}", date(1970, 1, 1 + n), account=False)
    use_cases = fakes.use_cases()
    await use_cases.reannouncement.at_start_up()
    snapshot = fakes.directory_snapshot
    real = snapshot.members_after

    async def failing(after: str, limit: int) -> tuple[list[StoredMember], str, bool]:
        if snapshot.pages >= 3:
            raise ConnectionError("the database went away")
        return await real(after, limit)

    snapshot.members_after = failing  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await use_cases.reannouncement.run()
    written_before = len(fakes.reannouncements.published)
    assert 0 < written_before < 9
    snapshot.members_after = real  # type: ignore[method-assign]
    await use_cases.reannouncement.run()
    members = [
        a.message.subject
        for a in fakes.reannouncements.published
        if a.message.spec.topic == MEMBER_UPDATED.topic
    ]
    assert sorted(members) == sorted(set(members)) and len(members) == 9
    assert fakes.paused and set(fakes.paused) == {fakes.settings.reannounce_batch_pause_seconds}
    assert ids["jan"] in members


def test_ei2_an_account_of_before_the_creation_time_was_recorded() -> None:
    """Issue 18 item 3, EI-2: an account stored before identity kept ``created_at`` is
    dated at its acceptance of the terms, else at its first stored version (never at the
    run: a member's later switch to paper stays older than it)."""
    first = datetime(2019, 3, 1, 8, 0, tzinfo=UTC)
    opened = datetime(2026, 12, 1, tzinfo=UTC)
    legacy = Account(account_id="a-1", username="jan", password_hash=None, member_id="m-1")
    replay = replay_account(StoredAccount(legacy, first), opened)
    assert replay is not None and replay.at == first
    created = AccountCreatedV1.model_validate(
        {**_payload(replay.event), "terms_version": "", "method": "csam"}
    )
    assert created.terms_accepted_at == first
    accepted = datetime(2020, 6, 1, tzinfo=UTC)
    legacy.terms_accepted_at = accepted
    replay = replay_account(StoredAccount(legacy, first), opened)
    assert replay is not None and replay.at == accepted


def test_ei2_ended_staff_and_new_accounts_are_not_replayed() -> None:
    """Issue 18 item 3, EI-2: an ended account has no inbox (billing switched it off),
    staff have no member, an account opened after the run announced itself."""
    at = datetime(2025, 1, 1, tzinfo=UTC)
    opened = datetime(2026, 1, 1, tzinfo=UTC)

    def account(**fields: object) -> Account:
        values: dict[str, object] = {
            "account_id": "a-1",
            "username": "jan",
            "password_hash": "h",
            "member_id": "m-1",
            "created_at": at,
            **fields,
        }
        return Account(**values)  # type: ignore[arg-type]

    assert replay_account(StoredAccount(account(status="ended"), at), opened) is None
    assert replay_account(StoredAccount(account(member_id=None), at), opened) is None
    later = opened + timedelta(seconds=1)
    assert replay_account(StoredAccount(account(), later), opened) is None
    assert replay_account(StoredAccount(account(status="suspended"), at), opened) is not None


def test_ei2_event_ids_derive_from_what_is_announced() -> None:
    """Issue 18 item 3, EI-2: deterministic ids: an account's, a member's per version."""
    assert account_event_id("a-1") == account_event_id("a-1") != account_event_id("a-2")
    assert member_event_id("m-1", 1) != member_event_id("m-1", 2)
    assert member_event_id("m-1", 2) == member_event_id("m-1", 2)


def test_ei2_a_member_state_stored_after_the_run_opened_is_not_replayed() -> None:
    """Issue 18 item 3, EI-2: that state went out as it was stored."""
    member = Member.register("m-1", ENTRY)
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    before = StoredMember(member, 3, opened - timedelta(milliseconds=1))
    replay = replay_member(before, opened)
    assert replay is not None and replay.event_id == member_event_id("m-1", 3)
    assert replay_member(StoredMember(member, 3, opened + timedelta(seconds=1)), opened) is None


def _payload(event: object) -> dict[str, object]:
    return asdict(event)  # type: ignore[call-overload, no-any-return]
