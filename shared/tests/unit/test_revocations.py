"""The revocation list (LF-2..LF-4, AC-3, AC-5) on a fake event feed: what it refuses,
what it lets through (a login right after a reactivation, in the same second), what it
forgets, and that it is ready only once it has read what the bus held at start."""

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mylm_shared.auth import Actor, Principal, TokenVerifier
from mylm_shared.events import (
    ACCESS_CHANGED,
    ACCOUNT_STATUS_CHANGED,
    AccessChangedV1,
    AccountStatusChangedV1,
    CloudEvent,
    new_event,
)
from mylm_shared.problems import Problem
from mylm_shared.revocations import (
    ACCESS_REFUSED,
    ACCOUNT_REFUSED,
    RevocationList,
    RevocationState,
)

from testkit.fakes.shared import FakeEventFeed, MovableClock
from testkit.polling import eventually

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def status_changed(
    account_id: str, invalid_before: datetime | None, status: str = "suspended"
) -> CloudEvent:
    payload = AccountStatusChangedV1(
        account_id=account_id,
        member_id=f"member-of-{account_id}",
        status=status,
        reason="system-security",
        tokens_invalid_before=invalid_before,
    )
    return new_event(ACCOUNT_STATUS_CHANGED, payload, source="/tests", subject=account_id)


def access_changed(dependant: str, titular: str, may: bool, at: datetime) -> CloudEvent:
    payload = AccessChangedV1(
        dependant_member_id=dependant,
        titular_member_id=titular,
        titular_may_access=may,
        changed_at=at,
    )
    return new_event(ACCESS_CHANGED, payload, source="/tests", subject=dependant)


def own(account_id: str, issued_at: datetime) -> Principal:
    return Principal(
        account_id, f"member-of-{account_id}", frozenset({"member"}), issued_at=issued_at
    )


def acting(titular_account: str, titular: str, dependant: str, issued_at: datetime) -> Principal:
    """An exchanged token: subject the dependant's dossier, ``act`` the titular."""
    return Principal(
        dependant,
        dependant,
        frozenset({"member"}),
        actor=Actor(titular_account, titular),
        issued_at=issued_at,
        access_basis="AC-2",
    )


def test_lf2_tokens_issued_before_a_suspension_are_refused_later_ones_not() -> None:
    state = RevocationState(HOUR)
    state.apply(status_changed("a-1", NOON))
    assert state.refusal(own("a-1", NOON - timedelta(minutes=5))) == ACCOUNT_REFUSED
    assert state.refusal(own("a-1", NOON + timedelta(milliseconds=1))) is None
    assert state.refusal(own("a-2", NOON - timedelta(minutes=5))) is None  # another account


def test_lf2_reactivation_keeps_the_old_tokens_refused() -> None:
    state = RevocationState(HOUR)
    state.apply(status_changed("a-1", NOON))
    state.apply(status_changed("a-1", None, status="active"))  # reactivated: no instant
    assert state.refusal(own("a-1", NOON - timedelta(seconds=1))) == ACCOUNT_REFUSED


def test_a_login_in_the_same_second_after_the_revocation_is_not_refused() -> None:
    """identity-svc issues ``iat`` in milliseconds: suspended at 12:00:00.700, reactivated
    and logged in again at 12:00:00.900 — that token works; one of 12:00:00.300 does not.
    A whole-second ``iat`` (12:00:00) of a token from before is refused too."""
    state = RevocationState(HOUR)
    revoked_at = NOON + timedelta(milliseconds=700)
    state.apply(status_changed("a-1", revoked_at))
    assert state.refusal(own("a-1", NOON + timedelta(milliseconds=900))) is None
    assert state.refusal(own("a-1", NOON + timedelta(milliseconds=300))) == ACCOUNT_REFUSED
    assert state.refusal(own("a-1", NOON)) == ACCOUNT_REFUSED


def test_the_latest_revocation_wins_whatever_the_order_events_arrive_in() -> None:
    """The two topics (and their partitions) are read in no global order."""
    state = RevocationState(HOUR)
    state.apply(status_changed("a-1", NOON + timedelta(minutes=2)))
    state.apply(status_changed("a-1", NOON))  # older, read later
    assert state.refusal(own("a-1", NOON + timedelta(minutes=1))) == ACCOUNT_REFUSED


def test_an_exchanged_token_is_refused_when_its_actor_is_suspended() -> None:
    """``Principal.account_id`` of an exchanged token is the titular's (the actor)."""
    state = RevocationState(HOUR)
    state.apply(status_changed("titular-account", NOON))
    token = acting("titular-account", "titular", "child", NOON - timedelta(minutes=1))
    assert state.refusal(token) == ACCOUNT_REFUSED


def test_ac3_ac5_a_withdrawal_refuses_the_titulars_earlier_exchanged_tokens() -> None:
    state = RevocationState(HOUR)
    state.apply(access_changed("teen", "titular", False, NOON))
    before = acting("titular-account", "titular", "teen", NOON - timedelta(minutes=1))
    assert state.refusal(before) == ACCESS_REFUSED
    # Not the dependant's own token, not another titular's, not another dossier.
    assert state.refusal(own("teen", NOON - timedelta(minutes=1))) is None
    assert state.refusal(acting("other-account", "other", "teen", NOON - HOUR / 2)) is None
    assert state.refusal(acting("titular-account", "titular", "child", NOON - HOUR / 2)) is None


def test_ac3_ac5_a_later_grant_lets_tokens_issued_after_it_through() -> None:
    state = RevocationState(HOUR)
    state.apply(access_changed("teen", "titular", False, NOON))
    state.apply(access_changed("teen", "titular", True, NOON + timedelta(minutes=1)))
    after = acting("titular-account", "titular", "teen", NOON + timedelta(minutes=2))
    before = acting("titular-account", "titular", "teen", NOON - timedelta(minutes=1))
    assert state.refusal(after) is None
    assert state.refusal(before) == ACCESS_REFUSED


def test_an_instant_without_a_time_zone_is_taken_as_utc() -> None:
    state = RevocationState(HOUR)
    state.apply(status_changed("a-1", NOON.replace(tzinfo=None)))
    assert state.refusal(own("a-1", NOON - timedelta(seconds=1))) == ACCOUNT_REFUSED


def test_entries_older_than_the_horizon_are_forgotten() -> None:
    """Older revocations can only concern tokens that expired already."""
    state = RevocationState(HOUR)
    state.apply(status_changed("old", NOON - 2 * HOUR))
    state.apply(status_changed("new", NOON - HOUR / 2))
    state.apply(access_changed("teen", "titular", False, NOON - 2 * HOUR))
    state.forget_before(NOON)
    assert set(state.accounts) == {"new"}
    assert state.withdrawals == {}


def encoded(event: CloudEvent) -> bytes:
    return event.model_dump_json().encode()


async def test_ready_only_after_reading_what_the_bus_held_at_start() -> None:
    now = datetime.now(UTC)
    backlog = [encoded(status_changed(f"a-{n}", now - timedelta(minutes=n))) for n in range(5)]
    feed = FakeEventFeed([*backlog, b"not json", encoded(access_changed("d", "t", False, now))])
    revocations = RevocationList(feed, HOUR, clock=lambda: now)
    assert not revocations.ready.is_set()
    revocations.start()
    try:
        assert await revocations.wait_ready(5)
        assert feed.opened_since == now - HOUR  # "now − horizon"
        assert revocations.counts() == {"accounts": 5, "dossier_withdrawals": 1}
        # Then events published while it runs apply too.
        feed.live.put_nowait(encoded(status_changed("late", now)))

        async def late_refusal() -> str | None:
            return revocations.refusal(own("late", now - timedelta(seconds=1)))

        await eventually(late_refusal, within=5, what="the live event applied")
    finally:
        await revocations.stop()
    assert feed.closed


async def test_the_reader_retries_until_the_bus_answers() -> None:
    feed = FakeEventFeed([], fail_opens=2)
    revocations = RevocationList(feed, HOUR)
    revocations.start()
    try:
        assert await revocations.wait_ready(10)
    finally:
        await revocations.stop()


async def test_the_token_verifier_answers_401_with_the_reason() -> None:
    key = Ed25519PrivateKey.generate()
    now = time.time()
    claims = {
        "iss": "mylm-identity",
        "aud": "mylm",
        "sub": "a-1",
        "member_id": "m-1",
        "roles": ["member"],
        "typ": "access",
        "iat": round(now - 10, 3),  # a millisecond iat, as identity-svc issues it
        "exp": int(now) + 600,
    }
    token = jwt.encode(claims, key, algorithm="EdDSA")
    revocations = RevocationList(FakeEventFeed([]), HOUR)
    verifier = TokenVerifier("mylm-identity", "mylm", key=key.public_key(), revocations=revocations)
    revocations.start()
    try:
        assert await revocations.wait_ready(5)
        assert (await verifier.verify(token)).account_id == "a-1"
        revocations.state.apply(status_changed("a-1", datetime.now(UTC)))
        with pytest.raises(Problem) as refused:
            await verifier.verify(token)
        assert refused.value.status == 401
        assert refused.value.detail == ACCOUNT_REFUSED
    finally:
        await revocations.stop()


def access_token(key: Ed25519PrivateKey, **extra: object) -> str:
    now = time.time()
    claims = {
        "iss": "mylm-identity",
        "aud": "mylm",
        "sub": "a-1",
        "member_id": "m-1",
        "roles": ["member"],
        "typ": "access",
        "iat": round(now - 10, 3),
        "exp": int(now) + 600,
        **extra,
    }
    return jwt.encode(claims, key, algorithm="EdDSA")


async def test_tokens_get_503_until_the_list_is_current_then_again_when_it_goes_stale() -> None:
    """Issue 15 item 7 (fail closed): before the list has caught up, a valid token is
    answered 503 + Retry-After (neither accepted nor refused); once caught up it is
    accepted; when the reader has not completed a read for ``stale_after`` seconds, 503
    again. A forged token is 401 whatever the list's state."""
    key = Ed25519PrivateKey.generate()
    ticks = MovableClock()
    feed = FakeEventFeed([], fail_opens=1_000_000)  # the bus does not answer yet
    revocations = RevocationList(feed, HOUR, stale_after_seconds=30, ticks=ticks)
    verifier = TokenVerifier("mylm-identity", "mylm", key=key.public_key(), revocations=revocations)
    revocations.start()
    try:
        with pytest.raises(Problem) as unavailable:
            await verifier.verify(access_token(key))
        assert unavailable.value.status == 503
        assert unavailable.value.headers == {"Retry-After": "2"}
        with pytest.raises(Problem) as forged:
            await verifier.verify(access_token(Ed25519PrivateKey.generate()))
        assert forged.value.status == 401

        feed.fail_opens = 0  # the bus answers: the list catches up
        assert await revocations.wait_ready(10)
        assert revocations.current
        assert (await verifier.verify(access_token(key))).account_id == "a-1"

        feed.fail_opens = 1_000_000
        ticks.now += 29  # still within stale_after: reads keep completing meanwhile
        assert revocations.current
        feed.open = feed.read = _failing  # type: ignore[method-assign]  # reads now fail

        async def stale() -> bool:
            ticks.now += 31
            return not revocations.current

        await eventually(stale, within=5, what="the list no longer current")
        with pytest.raises(Problem) as stale_answer:
            await verifier.verify(access_token(key))
        assert stale_answer.value.status == 503
    finally:
        await revocations.stop()


async def _failing(*_: object) -> Sequence[bytes]:
    raise ConnectionError("broker not reachable")
