"""Registration (RG-1..RG-4) and password reset by one-time code (RG-2; issue 7 item 3;
issue 15 item 1) without servers (issue 17 item 6): identity's use cases wired by
``bootstrap`` over the fakes of ``testkit/fakes/identity.py``."""

from datetime import date, timedelta

import pytest
from identity.domain.attempts import Locked
from identity.domain.codes import (
    CODE_LIFETIME,
    MAX_ATTEMPTS,
    Channel,
    CodeExpired,
    CodeLocked,
    CodeSuperseded,
    CodeUsed,
    WrongCode,
)
from identity.domain.members import Member
from identity.service.accounts import UsernameTaken
from identity.service.context import Origin
from identity.service.registration import CodeSent, InvalidPassword, TermsNotAccepted
from identity.service.sessions import InvalidCredentials
from identity.service.use_cases import IdentityUseCases

from testkit.fakes.identity import PASSWORD, IdentityFakes, enrol, unit_settings

ORIGIN = Origin("192.0.2.20")
NEW_PASSWORD = "autumn leaves over the Meuse valley"


@pytest.fixture
def fakes() -> IdentityFakes:
    return IdentityFakes()


@pytest.fixture
def use_cases(fakes: IdentityFakes) -> IdentityUseCases:
    return fakes.use_cases()


async def newcomer(use_cases: IdentityUseCases) -> Member:
    """A member in the directory without an account yet."""
    return await enrol(use_cases, "lotte", date(1990, 5, 17), account=False)


async def ask(
    fakes: IdentityFakes, use_cases: IdentityUseCases, identifier: str, channel: Channel = "email"
) -> CodeSent:
    """A registration request a second after the previous one (a newer request ends
    the earlier ones: "newer" is by time)."""
    fakes.clock.advance(timedelta(seconds=1))
    return await use_cases.registration.request(identifier, channel, ORIGIN)


async def confirm(
    use_cases: IdentityUseCases, code_id: str, code: str, username: str = "lotte"
) -> str:
    account = await use_cases.registration.confirm(
        code_id,
        code,
        username=username,
        password=PASSWORD,
        accept_terms=True,
        terms_version=use_cases.settings.terms_version,
        origin=ORIGIN,
    )
    return account.account_id


async def test_rg1_to_rg4_a_code_to_the_contact_on_file_opens_the_account(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """RG-1 (by member number), RG-2 (the code goes to the e-mail on file, masked in the
    answer), RG-3 (the username), RG-4 (the terms version recorded); account.created
    on the bus; LF-5: the code sent and the account created are in the trail."""
    member = await newcomer(use_cases)
    sent = await ask(fakes, use_cases, member.member_number, "email")
    [message] = fakes.code_delivery.sent
    assert message.message.to == member.email and sent.sent_to != member.email
    assert "*" in sent.sent_to
    account_id = await confirm(use_cases, sent.code_id, message.message.code)
    account = await use_cases.context.stores.accounts.get(account_id)
    assert account is not None and account.member_id == member.member_id
    assert account.terms_version == use_cases.settings.terms_version
    assert "account.created" in fakes.stores.topics()
    await fakes.code_delivery.drain()
    assert fakes.audit.actions(member.member_id) == ["registration.code-sent", "account.created"]
    assert await use_cases.sessions.log_in("lotte", PASSWORD, ORIGIN)


async def test_rg2_five_wrong_codes_lock_the_request_even_for_the_right_code(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """RG-2: 5 attempts per code; each wrong one says how many are left; then the
    request is locked, the right code too."""
    member = await newcomer(use_cases)
    sent = await ask(fakes, use_cases, member.member_number, "email")
    code = fakes.code_delivery.code_for(sent.code_id)
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, MAX_ATTEMPTS):
        with pytest.raises(WrongCode) as refused:
            await confirm(use_cases, sent.code_id, wrong)
        assert refused.value.attempts_left == MAX_ATTEMPTS - attempt
    with pytest.raises(CodeLocked):
        await confirm(use_cases, sent.code_id, wrong)
    with pytest.raises(CodeLocked):
        await confirm(use_cases, sent.code_id, code)
    assert await use_cases.context.account_of_member(member.member_id) is None


async def test_rg2_a_code_expires_after_its_lifetime_and_is_used_once(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """RG-2: a code is valid 15 minutes (CODE_LIFETIME), and opens one account once."""
    member = await newcomer(use_cases)
    late = await ask(fakes, use_cases, member.member_number, "email")
    fakes.clock.advance(CODE_LIFETIME)
    with pytest.raises(CodeExpired):
        await confirm(use_cases, late.code_id, fakes.code_delivery.code_for(late.code_id))
    sent = await ask(fakes, use_cases, member.member_number, "email")
    code = fakes.code_delivery.code_for(sent.code_id)
    await confirm(use_cases, sent.code_id, code)
    with pytest.raises(CodeUsed):
        await confirm(use_cases, sent.code_id, code, username="lotte2")


async def test_issue15_item1_a_newer_code_ends_the_earlier_one(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 15 item 1: every request ends the earlier ones of its purpose and target."""
    member = await newcomer(use_cases)
    first = await ask(fakes, use_cases, member.member_number, "email")
    second = await ask(fakes, use_cases, member.member_number, "sms")
    assert fakes.code_delivery.sent[-1].message.to == member.mobile
    with pytest.raises(CodeSuperseded):
        await confirm(use_cases, first.code_id, fakes.code_delivery.code_for(first.code_id))
    await confirm(use_cases, second.code_id, fakes.code_delivery.code_for(second.code_id))


async def test_issue15_item1_a_contact_gets_at_most_its_hourly_sends(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 15 item 1: CODES_PER_CONTACT_PER_HOUR (5) codes per contact and hour; a
    request beyond is answered the same (a request id, the masked contact) but sends
    nothing and its request holds no live code; the next hour sends again."""
    fakes.clock.at = fakes.clock().replace(minute=1, second=0)  # the hour is not ending
    member = await newcomer(use_cases)
    per_hour = use_cases.settings.codes_per_contact_per_hour
    answers = [
        await ask(fakes, use_cases, member.member_number, "email") for _ in range(per_hour + 1)
    ]
    assert len(fakes.code_delivery.sent) == per_hour
    assert len({a.sent_to for a in answers}) == 1  # the same answer
    with pytest.raises(WrongCode):  # nothing can match a request without a live code
        await confirm(use_cases, answers[-1].code_id, fakes.code_delivery.sent[-1].message.code)
    fakes.clock.advance(timedelta(hours=1))
    await ask(fakes, use_cases, member.member_number, "email")
    assert len(fakes.code_delivery.sent) == per_hour + 1


async def test_issue15_item1_guesses_are_budgeted_across_codes(fakes: IdentityFakes) -> None:
    """Issue 15 item 1: CODE_GUESSES_PER_IDENTIFIER wrong guesses per target and purpose
    across codes; then a new request sends nothing and a guess is Locked (429) before
    any code is compared."""
    use_cases = fakes.use_cases()
    member = await newcomer(use_cases)
    budget = use_cases.settings.code_guesses_per_identifier  # 10
    guesses = 0
    while guesses < budget:
        sent = await ask(fakes, use_cases, member.member_number, "email")
        code = fakes.code_delivery.code_for(sent.code_id)
        for _ in range(min(MAX_ATTEMPTS - 1, budget - guesses)):
            with pytest.raises(WrongCode):
                await confirm(use_cases, sent.code_id, "999999" if code != "999999" else "0" * 6)
            guesses += 1
    sends = len(fakes.code_delivery.sent)
    spent = await ask(fakes, use_cases, member.member_number, "email")
    assert len(fakes.code_delivery.sent) == sends  # nothing sent beyond the budget
    compared = fakes.codes.compared
    with pytest.raises(Locked):
        await confirm(use_cases, spent.code_id, "123456")
    assert fakes.codes.compared == compared


async def test_rg1_an_unknown_identifier_is_answered_like_a_member(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """RG-1, anti-enumeration: an identifier that finds nobody gets a request id and a
    plausible masked contact (the same each time), nothing is sent, and confirming
    fails like a wrong code."""
    first = await ask(fakes, use_cases, "NO-SUCH-NUMBER", "email")
    again = await ask(fakes, use_cases, "NO-SUCH-NUMBER", "email")
    assert first.sent_to == again.sent_to and "*" in first.sent_to
    assert fakes.code_delivery.sent == []
    with pytest.raises(WrongCode):
        await confirm(use_cases, again.code_id, "123456")


async def test_the_code_is_checked_before_anything_it_could_reveal(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 15 item 1: a wrong code says nothing of a taken username; with the right
    code the terms (RG-4), the password policy and RG-3's unique username are told, and
    such a refusal spends no attempt."""
    await enrol(use_cases, "taken", date(1970, 1, 1))
    member = await newcomer(use_cases)
    sent = await ask(fakes, use_cases, member.member_number, "email")
    code = fakes.code_delivery.code_for(sent.code_id)
    with pytest.raises(WrongCode):
        await confirm(use_cases, sent.code_id, "999999" if code != "999999" else "0" * 6, "taken")
    with pytest.raises(UsernameTaken):
        await confirm(use_cases, sent.code_id, code, username="TAKEN")  # case-insensitive
    with pytest.raises(TermsNotAccepted):
        await use_cases.registration.confirm(
            sent.code_id,
            code,
            username="lotte",
            password=PASSWORD,
            accept_terms=True,
            terms_version="1999-01",
            origin=ORIGIN,
        )
    with pytest.raises(InvalidPassword):
        await use_cases.registration.confirm(
            sent.code_id,
            code,
            username="lotte",
            password="password1",
            accept_terms=True,
            terms_version=use_cases.settings.terms_version,
            origin=ORIGIN,
        )
    await confirm(use_cases, sent.code_id, code)  # 1 attempt spent of 5: still open


async def test_code_routes_are_budgeted_per_client_address() -> None:
    """Issue 15 item 1: CODE_REQUESTS_PER_ADDRESS_PER_HOUR per address, whatever the
    outcome; another address is not affected."""
    fakes = IdentityFakes(unit_settings(code_requests_per_address_per_hour=3))
    use_cases = fakes.use_cases()
    for n in range(3):
        await ask(fakes, use_cases, f"X-{n}", "email")
    with pytest.raises(Locked):
        await ask(fakes, use_cases, "X-9", "email")
    await use_cases.password_reset.request("X-9", "email", Origin("192.0.2.21"))


async def test_a_password_reset_sets_the_password_and_ends_every_session(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """Issue 7 item 3 and LF-4: a code to the contact on file (asked by username) sets
    a new password, ends LF-4's forced reset and every session; LF-5: in the trail."""
    member = await enrol(use_cases, "piet", date(1985, 2, 3))
    pair = await use_cases.sessions.log_in("piet", PASSWORD, ORIGIN)
    account = await use_cases.context.account_of_member(member.member_id)
    assert account is not None
    await use_cases.account_life.report_compromise(account.account_id, ORIGIN)
    sent = await use_cases.password_reset.request("piet", "sms", ORIGIN)
    [message] = fakes.code_delivery.sent
    assert message.message.to == member.mobile and message.message.purpose == "password-reset"
    await use_cases.password_reset.confirm(sent.code_id, message.message.code, NEW_PASSWORD, ORIGIN)
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.refresh(pair.refresh_token)
    with pytest.raises(InvalidCredentials):
        await use_cases.sessions.log_in("piet", PASSWORD, ORIGIN)
    assert await use_cases.sessions.log_in("piet", NEW_PASSWORD, ORIGIN)
    with pytest.raises(CodeUsed):
        await use_cases.password_reset.confirm(
            sent.code_id, message.message.code, PASSWORD + "!", ORIGIN
        )
    await fakes.code_delivery.drain()
    assert "password.reset" in fakes.audit.actions(member.member_id)
    assert "password-reset.code-sent" in fakes.audit.actions(member.member_id)


async def test_staff_and_ended_accounts_get_no_reset_code(
    use_cases: IdentityUseCases, fakes: IdentityFakes
) -> None:
    """An ended account (LF-1) gets no code; the answer is the same as for anyone."""
    member = await enrol(use_cases, "gone", date(1960, 7, 7))
    await use_cases.account_life.end(member.member_id, "letter of 2026-01-05", ORIGIN)
    sent = await use_cases.password_reset.request("gone", "email", ORIGIN)
    assert "*" in sent.sent_to and fakes.code_delivery.sent == []
