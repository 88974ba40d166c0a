"""CSAM login (RG-5, RG-6) without servers (issue 17 item 6): ``CsamLogin`` wired by
``bootstrap`` over the fakes of ``testkit/fakes/identity.py`` (the provider's side is
``FakeCsamProvider``)."""

from datetime import date

import pytest
from identity.service.context import Origin
from identity.service.csam import LoggedIn, LoginFailed, MethodDisabled, NotAMember, SignupPending
from identity.service.use_cases import IdentityUseCases

from testkit.fakes.identity import IdentityFakes, enrol, unit_settings

ORIGIN = Origin("192.0.2.40")


async def log_in(fakes: IdentityFakes, use_cases: IdentityUseCases, national: str) -> object:
    started = await use_cases.csam.start("/dossiers")
    state = started.authorization_url.rsplit("state=", 1)[1]
    code = fakes.csam_provider.authenticate(state, national)
    return await use_cases.csam.finish(
        state=state,
        code=code,
        error=None,
        issuer=fakes.csam_provider.issuer,
        browser_secret=started.browser_secret,
        origin=ORIGIN,
    )


async def test_rg5_a_member_with_an_account_logs_in_with_csam() -> None:
    """RG-5: the national register number CSAM vouches for names the member; their
    account opens a session (LF-5: ``session.created`` with method csam)."""
    fakes = IdentityFakes()
    use_cases = fakes.use_cases()
    member = await enrol(use_cases, "an", date(1975, 4, 9))
    result = await log_in(fakes, use_cases, member.national_number)
    assert isinstance(result, LoggedIn)
    assert (result.member_id, result.return_to) == (member.member_id, "/dossiers")
    assert fakes.audit.actions(member.member_id)[-1] == "session.created"


async def test_rg5_a_first_csam_login_signs_up_after_accepting_the_terms() -> None:
    """RG-5 and RG-4: a member without an account gets a pending sign-up; accepting the
    current terms opens a CSAM-only account (no username) with a session, once."""
    fakes = IdentityFakes()
    use_cases = fakes.use_cases()
    member = await enrol(use_cases, "bo", date(1999, 9, 9), account=False)
    pending = await log_in(fakes, use_cases, member.national_number)
    assert isinstance(pending, SignupPending) and pending.member_id == member.member_id
    signed_up = await use_cases.csam.sign_up(
        pending.signup_id,
        accept_terms=True,
        terms_version=use_cases.settings.terms_version,
        origin=ORIGIN,
    )
    account = await use_cases.context.account_of_member(member.member_id)
    assert account is not None and account.username is None
    assert signed_up.account_id == account.account_id
    assert "account.created" in fakes.stores.topics()


async def test_a_login_state_is_used_once_and_only_by_its_browser() -> None:
    """RG-5: the state is spent before anything else; another browser is refused."""
    fakes = IdentityFakes()
    use_cases = fakes.use_cases()
    member = await enrol(use_cases, "cas", date(1980, 1, 2))
    started = await use_cases.csam.start(None)
    state = started.authorization_url.rsplit("state=", 1)[1]
    code = fakes.csam_provider.authenticate(state, member.national_number)

    async def finish(browser: str) -> object:
        return await use_cases.csam.finish(
            state=state, code=code, error=None, issuer=None, browser_secret=browser, origin=ORIGIN
        )

    with pytest.raises(LoginFailed) as other:
        await finish("another browser's cookie")
    assert other.value.reason == "browser-mismatch"
    assert isinstance(await finish(started.browser_secret), LoggedIn)
    with pytest.raises(LoginFailed) as again:
        await finish(started.browser_secret)
    assert again.value.reason == "state-used"


async def test_someone_not_in_the_directory_gets_no_account() -> None:
    fakes = IdentityFakes()
    use_cases = fakes.use_cases()
    with pytest.raises(NotAMember):
        await log_in(fakes, use_cases, "85073003328")


async def test_rg6_a_method_the_mutuality_does_not_offer_is_refused() -> None:
    """RG-6: LOGIN_METHODS without csam refuses to start a CSAM login."""
    use_cases = IdentityFakes(unit_settings(login_methods=("password",))).use_cases()
    with pytest.raises(MethodDisabled):
        await use_cases.csam.start(None)
