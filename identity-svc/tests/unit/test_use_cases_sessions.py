"""identity's session use cases without servers (issue 17 item 6): wired by
``identity.bootstrap.bootstrap`` over the fakes of ``testkit/fakes/identity.py``.

Logging in (issue 7 item 3), the lockout reserved before verifying (issue 15 item 2),
rotating refresh tokens and their reuse (issue 15 item 6, LF-5), LF-4's forced reset,
logging out everywhere, and the audit trail of each (LF-5)."""

import asyncio
from datetime import timedelta

import pytest
from identity.domain.attempts import Locked
from identity.service.context import Origin
from identity.service.sessions import InvalidCredentials, PasswordResetRequired
from identity.service.use_cases import IdentityUseCases

from testkit.fakes.identity import PASSWORD, IdentityFakes, enrol

ORIGIN = Origin("192.0.2.10")


@pytest.fixture
def fakes() -> IdentityFakes:
    return IdentityFakes()


@pytest.fixture
async def use_cases(fakes: IdentityFakes) -> IdentityUseCases:
    use_cases = fakes.use_cases()
    await enrol(use_cases, "jan", fakes.clock().date().replace(year=1980))
    return use_cases


async def trail_of(use_cases: IdentityUseCases, username: str) -> list[str]:
    account = await use_cases.context.account_by_username(username)
    assert account is not None and account.member_id is not None
    return [e.operation.action for e in await use_cases.context.audit.entries(account.member_id)]


async def test_the_right_password_opens_a_session_whose_token_names_the_account(
    use_cases: IdentityUseCases,
) -> None:
    """Issue 7 item 3: a login answers an access token (verified with identity's own
    key) and a refresh token; LF-5: ``session.created`` goes into the trail."""
    pair = await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    principal = await use_cases.status_verifier.verify(pair.access_token)
    account = await use_cases.context.account_by_username("jan")
    assert account is not None
    assert (principal.subject, principal.member_id) == (account.account_id, account.member_id)
    assert pair.refresh_token and pair.expires_in == use_cases.settings.access_token_seconds
    assert await trail_of(use_cases, "jan") == ["account.created", "session.created"]


async def test_a_wrong_password_or_an_unknown_username_is_the_same_refusal(
    use_cases: IdentityUseCases,
) -> None:
    """Callers cannot tell an unknown user from a wrong password; LF-5: the failed
    attempt on a real account is in its trail (issue 15 item 6)."""
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.log_in("jan", "not the password at all", ORIGIN)
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.log_in("nobody", PASSWORD, ORIGIN)
    assert (await trail_of(use_cases, "jan"))[-1] == "login.failed"


async def test_five_failures_lock_the_username_even_for_the_right_password(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 7 item 3 / issue 15 item 2: after LOGIN_FAILURES_PER_ACCOUNT (5) failures in
    the window the username is locked (429 with Retry-After), the right password too,
    and nothing is verified; the window over, the right password opens a session."""
    for n in range(5):
        with pytest.raises(InvalidCredentials):
            await use_cases.sessions.log_in("jan", f"wrong guess {n}", Origin(f"192.0.2.{n}"))
    verified = fakes.passwords.verifications
    with pytest.raises(Locked) as locked:
        await use_cases.sessions.log_in("jan", PASSWORD, Origin("203.0.113.7"))
    assert 1 <= locked.value.retry_after <= use_cases.settings.login_failure_window_seconds
    assert fakes.passwords.verifications == verified  # refused before argon2
    assert (await trail_of(use_cases, "jan"))[-2:] == ["login.failed", "login.locked"]
    fakes.clock.advance(timedelta(seconds=use_cases.settings.login_failure_window_seconds))
    assert await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)


async def test_parallel_guesses_verify_at_most_the_budget(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 15 item 2: an attempt is reserved before the password is verified, so of 40
    parallel guesses from 40 addresses at most 5 are verified; the rest are Locked."""
    verified = fakes.passwords.verifications
    outcomes = await asyncio.gather(
        *(
            use_cases.sessions.log_in("jan", f"guess {n}", Origin(f"198.51.100.{n}"))
            for n in range(40)
        ),
        return_exceptions=True,
    )
    kinds = [type(outcome) for outcome in outcomes]
    assert kinds.count(InvalidCredentials) == 5
    assert kinds.count(Locked) == 35
    assert fakes.passwords.verifications - verified == 5
    assert await fakes.throttle.failures("jan") == 5


async def test_a_right_password_gives_back_only_its_own_attempt(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 15 item 2: a success does not clear the failures before it (an attacker who
    knows one password cannot reset the count); unknown usernames lock alike."""
    for n in range(4):
        with pytest.raises(InvalidCredentials):
            await use_cases.sessions.log_in("JAN", f"wrong {n}", ORIGIN)  # case-insensitive
    await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    assert await fakes.throttle.failures("jan") == 4
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.log_in("jan", "wrong again", ORIGIN)
    with pytest.raises(Locked):
        await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    for n in range(5):
        with pytest.raises(InvalidCredentials):
            await use_cases.sessions.log_in("ghost", f"wrong {n}", Origin(f"192.0.2.{n}"))
    with pytest.raises(Locked):
        await use_cases.sessions.log_in("ghost", "wrong", Origin("192.0.2.99"))


async def test_one_address_guessing_many_usernames_is_locked_at_its_own_budget(
    fakes: IdentityFakes,
) -> None:
    """Issue 7 item 3: LOGIN_FAILURES_PER_ADDRESS (20) failures from one address lock
    that address, whatever the usernames."""
    use_cases = fakes.use_cases()
    for n in range(20):
        with pytest.raises(InvalidCredentials):
            await use_cases.sessions.log_in(f"user{n}", "wrong", ORIGIN)
    with pytest.raises(Locked):
        await use_cases.sessions.log_in("someone-else", "wrong", ORIGIN)
    with pytest.raises(InvalidCredentials):  # another address is not locked
        await use_cases.sessions.log_in("someone-else", "wrong", Origin("192.0.2.200"))


async def test_a_refresh_rotates_and_a_reused_token_ends_the_session(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 15 item 6: each refresh spends its token; presenting a spent one again
    (a stolen copy) revokes the whole family (the newest token too) and goes into the
    account's trail (LF-5). The session keeps its login time (``auth_time``)."""
    fakes.clock.advance(-timedelta(minutes=5))  # tokens are also checked in real time
    first = await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    login = await use_cases.status_verifier.verify(first.access_token)
    fakes.clock.advance(timedelta(minutes=2))
    second = await use_cases.sessions.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    refreshed = await use_cases.status_verifier.verify(second.access_token)
    assert refreshed.auth_time == login.auth_time is not None
    assert refreshed.issued_at is not None and login.issued_at is not None
    assert refreshed.issued_at > login.issued_at
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.refresh(first.refresh_token)  # reuse
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.refresh(second.refresh_token)  # the family is revoked
    assert (await trail_of(use_cases, "jan"))[-1] == "refresh_token.reused"


async def test_a_session_ends_at_its_absolute_lifetime_however_often_refreshed(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """SESSION_ABSOLUTE_HOURS: a stolen refresh token cannot be kept alive for ever."""
    pair = await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    lifetime = timedelta(hours=use_cases.settings.session_absolute_hours)
    for _ in range(3):
        fakes.clock.advance(lifetime / 4)
        pair = await use_cases.sessions.refresh(pair.refresh_token)
    fakes.clock.advance(lifetime / 4)
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.refresh(pair.refresh_token)


async def test_logging_out_everywhere_refuses_every_session_and_access_token(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Every refresh-token family is revoked and the access tokens issued so far are
    refused everywhere (``tokens_invalid_before``, announced as account.status_changed);
    LF-5: ``sessions.revoked_all`` is written with the change."""
    one = await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    two = await use_cases.sessions.log_in("jan", PASSWORD, Origin("192.0.2.11"))
    account = await use_cases.context.account_by_username("jan")
    assert account is not None
    await use_cases.sessions.log_out_everywhere(account.account_id, ORIGIN)
    for pair in (one, two):
        with pytest.raises(InvalidCredentials):
            await use_cases.sessions.refresh(pair.refresh_token)
    after = await use_cases.context.account_by_username("jan")
    assert after is not None and after.tokens_invalid_before == fakes.clock()
    assert "account.status_changed" in fakes.stores.topics()
    assert (await trail_of(use_cases, "jan"))[-1] == "sessions.revoked_all"


async def test_lf4_a_compromised_account_needs_a_reset_even_with_the_right_password(
    use_cases: IdentityUseCases,
) -> None:
    """LF-4: after "report compromise" every session ends; the right password is told
    a reset is needed (a wrong one stays a plain refusal: nothing told to a guesser)."""
    pair = await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    account = await use_cases.context.account_by_username("jan")
    assert account is not None
    state = await use_cases.account_life.report_compromise(account.account_id, ORIGIN)
    assert state.password_reset_required
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.refresh(pair.refresh_token)
    with pytest.raises(PasswordResetRequired):
        await use_cases.sessions.log_in("jan", PASSWORD, ORIGIN)
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.log_in("jan", "a wrong password", ORIGIN)
    # LF-5: the report, then only the wrong password (the right one changed nothing)
    assert (await trail_of(use_cases, "jan"))[-3:] == [
        "session.created",
        "account.compromise_reported",
        "login.failed",
    ]
