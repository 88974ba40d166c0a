"""Dossier access (AC-1..AC-6) and account life (LF-1..LF-4) without servers (issue 17
item 6): identity's use cases wired by ``bootstrap`` over ``testkit/fakes/identity.py``.
Every decision is taken with the use cases' clock, moved by the test (AC-6)."""

from datetime import date, timedelta

import pytest
from identity.domain.accounts import AccountNotActive
from identity.domain.dossiers import DossierAccess, start_of
from identity.domain.members import eighteenth_birthday
from identity.service.account_life import NoAccount, WrongCredentials
from identity.service.context import Origin
from identity.service.dossiers import NoAccess, NotADependant, NotForActingTokens, OwnDossier
from identity.service.sessions import InvalidCredentials
from identity.service.use_cases import IdentityUseCases
from mylm_shared.auth import Principal
from mylm_shared.events import ACCESS_CHANGED, ACCOUNT_STATUS_CHANGED
from mylm_shared.kernel.periods import belgian_date

from testkit.fakes.identity import PASSWORD, IdentityFakes, enrol

ORIGIN = Origin("192.0.2.30")


def aged(fakes: IdentityFakes, years: int, days: int = 100) -> date:
    """Born ``years`` ago in Brussels today, ``days`` past that birthday."""
    today = belgian_date(fakes.clock())
    return today.replace(year=today.year - years) - timedelta(days=days)


class Household:
    """A titular (45) with a child (12, no account), a teen (16, account) and an adult
    dependant (20, account, no grant), as identity's demo household."""

    def __init__(self, fakes: IdentityFakes, use_cases: IdentityUseCases) -> None:
        self.fakes, self.use_cases = fakes, use_cases

    async def build(self) -> "Household":
        fakes, use_cases = self.fakes, self.use_cases
        self.titular = await enrol(use_cases, "titular", aged(fakes, 45))
        of = self.titular.member_id
        self.child = await enrol(use_cases, "child", aged(fakes, 12), titular=of, account=False)
        self.teen = await enrol(use_cases, "teen", aged(fakes, 16), titular=of)
        self.adult = await enrol(use_cases, "adult", aged(fakes, 20), titular=of)
        return self

    async def principal(self, username: str) -> Principal:
        """The user's own access token, as a route would see it."""
        pair = await self.use_cases.sessions.log_in(username, PASSWORD, ORIGIN)
        return await self.use_cases.status_verifier.verify(pair.access_token)

    async def listed(self, username: str = "titular") -> dict[str, str]:
        """Member id → the basis of an open dossier, or "closed AC-3/AC-4" (issue 20
        item 2), in the listed order."""
        dossiers = await self.use_cases.dossiers.listed(await self.principal(username))
        return {
            d.member.member_id: d.basis if isinstance(d, DossierAccess) else f"closed {d.reason}"
            for d in dossiers
        }


@pytest.fixture
def fakes() -> IdentityFakes:
    return IdentityFakes()


@pytest.fixture
async def household(fakes: IdentityFakes) -> Household:
    return await Household(fakes, fakes.use_cases()).build()


async def test_ac1_to_ac4_the_titular_lists_own_and_minor_dependants_dossiers(
    household: Household,
) -> None:
    """AC-1 the own dossier; AC-2 each dependant under 18 (with or without an account);
    AC-4: the adult dependant who granted nothing is listed closed, with the reason
    (issue 20 item 2), oldest first; a dependant lists only their own."""
    h = household
    listed = await h.listed()
    assert listed == {
        h.titular.member_id: "AC-1",
        h.adult.member_id: "closed AC-4",
        h.teen.member_id: "AC-2",
        h.child.member_id: "AC-2",
    }
    assert list(listed) == [m.member_id for m in (h.titular, h.adult, h.teen, h.child)]
    assert await h.listed("teen") == {h.teen.member_id: "AC-1"}
    assert await h.listed("adult") == {h.adult.member_id: "AC-1"}


async def test_ac3_and_ac5_the_dependants_own_choice(household: Household) -> None:
    """AC-3: a minor with their own account revokes (and restores) the titular's access;
    AC-5: an adult dependant grants it explicitly. Each change emits access.changed and
    goes into the dependant's trail (LF-5); setting it again changes nothing."""
    h = household
    dossiers = h.use_cases.dossiers
    teen = await h.principal("teen")
    choice = await dossiers.set_titular_access(teen, False, ORIGIN)
    assert choice.basis_now is None
    assert (await h.listed())[h.teen.member_id] == "closed AC-3"  # issue 20 item 2
    await dossiers.set_titular_access(teen, True, ORIGIN)
    assert (await h.listed())[h.teen.member_id] == "AC-2"
    granted = await dossiers.set_titular_access(await h.principal("adult"), True, ORIGIN)
    assert granted.basis_now is not None and granted.basis_now.basis == "AC-5"
    assert (await h.listed())[h.adult.member_id] == "AC-5"
    events = len(h.fakes.stores.topics())
    await dossiers.set_titular_access(await h.principal("adult"), True, ORIGIN)  # unchanged
    assert h.fakes.stores.topics()[events:] == []
    assert h.fakes.stores.topics().count(ACCESS_CHANGED.topic) == 3
    assert h.fakes.audit.actions(h.teen.member_id).count("dossier.titular_access_changed") == 2


async def test_ac3_ac4_a_dossier_listed_closed_is_never_opened_and_strangers_are_not_listed(
    household: Household,
) -> None:
    """Issue 20 item 2: each dossier the list shows closed (AC-3 revoked by the minor,
    AC-4 of age without a grant) is refused by the exchange; the list holds only the
    titular's own household: another titular's dependant and a member without titular
    are neither listed nor openable (the same refusal as for no member at all)."""
    h = household
    dossiers = h.use_cases.dossiers
    stranger = await enrol(h.use_cases, "stranger", aged(h.fakes, 30))
    neighbour = await enrol(
        h.use_cases, "neighbour", aged(h.fakes, 8), titular=stranger.member_id, account=False
    )
    await dossiers.set_titular_access(await h.principal("teen"), False, ORIGIN)
    listed = await h.listed()
    assert listed == {
        h.titular.member_id: "AC-1",
        h.adult.member_id: "closed AC-4",
        h.teen.member_id: "closed AC-3",
        h.child.member_id: "AC-2",
    }
    titular = await h.principal("titular")
    for member_id in (h.adult.member_id, h.teen.member_id):
        with pytest.raises(NoAccess):
            await dossiers.exchange(titular, member_id, ORIGIN)
    for member_id in (stranger.member_id, neighbour.member_id):
        assert member_id not in listed
        with pytest.raises(NoAccess):
            await dossiers.exchange(titular, member_id, ORIGIN)
    assert await h.listed("stranger") == {
        stranger.member_id: "AC-1",
        neighbour.member_id: "AC-2",
    }


async def test_ac3_a_member_without_a_titular_has_no_access_to_set(household: Household) -> None:
    with pytest.raises(NotADependant):
        await household.use_cases.dossiers.set_titular_access(
            await household.principal("titular"), False, ORIGIN
        )


async def test_ac2_the_exchange_opens_a_minors_dossier_and_is_recorded_in_both_trails(
    household: Household,
) -> None:
    """AC-2 via the RFC 8693 exchange: a token for the child's dossier naming the
    titular as actor; LF-5: in the titular's and the child's trails. The own dossier
    needs no exchange (AC-1), an adult's without a grant cannot be opened (AC-4), and
    an exchanged token cannot exchange again."""
    h = household
    dossiers = h.use_cases.dossiers
    titular = await h.principal("titular")
    exchanged = await dossiers.exchange(titular, h.child.member_id, ORIGIN)
    acting = await h.use_cases.status_verifier.verify(exchanged.access_token)
    assert acting.member_id == h.child.member_id
    assert acting.actor is not None and acting.actor.member_id == h.titular.member_id
    assert await dossiers.acting_refusal(acting) is None
    assert "dossier.token_exchanged" in h.fakes.audit.actions(h.titular.member_id)
    assert h.fakes.audit.actions(h.child.member_id) == ["dossier.opened_by_titular"]
    with pytest.raises(OwnDossier):
        await dossiers.exchange(titular, h.titular.member_id, ORIGIN)
    with pytest.raises(NoAccess):
        await dossiers.exchange(titular, h.adult.member_id, ORIGIN)
    with pytest.raises(NoAccess):  # not a dependant of theirs: the same answer
        await dossiers.exchange(titular, "no-such-member", ORIGIN)
    with pytest.raises(NotForActingTokens):
        await dossiers.exchange(acting, h.teen.member_id, ORIGIN)


async def test_ac6_access_ends_at_the_18th_birthday_at_midnight_in_brussels(
    fakes: IdentityFakes,
) -> None:
    """AC-6: an AC-2 access ends on the 18th birthday at local midnight, decided at the
    moment of access: the exchanged token carries ``until``; just before midnight it is
    still accepted, from midnight identity refuses it and a new exchange."""
    use_cases = fakes.use_cases()
    titular = await enrol(use_cases, "titular", aged(fakes, 45))
    almost = await enrol(
        use_cases, "almost", aged(fakes, 18, days=-1), titular=titular.member_id, account=False
    )
    midnight = start_of(eighteenth_birthday(almost.birth_date))
    pair = await use_cases.sessions.log_in("titular", PASSWORD, ORIGIN)
    principal = await use_cases.status_verifier.verify(pair.access_token)
    exchanged = await use_cases.dossiers.exchange(principal, almost.member_id, ORIGIN)
    assert exchanged.access.until == midnight
    acting = await use_cases.status_verifier.verify(exchanged.access_token)
    fakes.clock.at = midnight - timedelta(seconds=1)
    assert await use_cases.dossiers.acting_refusal(acting) is None
    fakes.clock.at = midnight
    assert await use_cases.dossiers.acting_refusal(acting) is not None
    with pytest.raises(NoAccess):
        await use_cases.dossiers.exchange(principal, almost.member_id, ORIGIN)


async def test_lf2_a_suspension_ends_sessions_exchanged_tokens_and_logins(
    household: Household,
) -> None:
    """LF-2: staff suspend with one of its reasons; every session ends (refresh refused),
    the access tokens before are revoked (account.status_changed with
    ``tokens_invalid_before``), a login is refused, the titular's exchanged token stops
    at identity; LF-3: the user reads the status and reason with their password; LF-5:
    in the trail. A reactivation lets them log in; the old session stays ended."""
    h = household
    life, sessions = h.use_cases.account_life, h.use_cases.sessions
    pair = await sessions.log_in("titular", PASSWORD, ORIGIN)
    exchanged = await h.use_cases.dossiers.exchange(
        await h.principal("titular"), h.child.member_id, ORIGIN
    )
    acting = await h.use_cases.status_verifier.verify(exchanged.access_token)
    staff = Origin("192.0.2.99")
    state = await life.suspend(h.titular.member_id, "fraud-indication", staff)
    assert (state.status, state.reason) == ("suspended", "fraud-indication")
    assert ACCOUNT_STATUS_CHANGED.topic in h.fakes.stores.topics()
    with pytest.raises(InvalidCredentials):
        await sessions.refresh(pair.refresh_token)
    with pytest.raises(InvalidCredentials):
        await sessions.log_in("titular", PASSWORD, ORIGIN)
    assert await h.use_cases.dossiers.acting_refusal(acting) is not None
    told = await life.state_by_credentials("titular", PASSWORD, ORIGIN)  # LF-3
    assert (told.status, told.reason) == ("suspended", "fraud-indication")
    with pytest.raises(WrongCredentials):
        await life.state_by_credentials("titular", "not my password", ORIGIN)
    assert "account.suspended" in h.fakes.audit.actions(h.titular.member_id)
    await life.reactivate(h.titular.member_id, staff)
    assert await sessions.log_in("titular", PASSWORD, ORIGIN)
    with pytest.raises(InvalidCredentials):
        await sessions.refresh(pair.refresh_token)


async def test_lf1_an_ended_account_cannot_log_in_nor_exchange(household: Household) -> None:
    """LF-1: the account ends with the user's letter as the reason (LF-3 tells it)."""
    h = household
    titular = await h.principal("titular")
    state = await h.use_cases.account_life.end(h.titular.member_id, "letter of 2026-11-30", ORIGIN)
    assert (state.status, state.reason) == ("ended", "letter of 2026-11-30")
    with pytest.raises(InvalidCredentials):
        await h.use_cases.sessions.log_in("titular", PASSWORD, ORIGIN)
    with pytest.raises(AccountNotActive):
        await h.use_cases.dossiers.exchange(titular, h.child.member_id, ORIGIN)
    assert "account.ended" in h.fakes.audit.actions(h.titular.member_id)


async def test_a_member_without_an_account_has_no_account_life(household: Household) -> None:
    with pytest.raises(NoAccount):
        await household.use_cases.account_life.suspend(
            household.child.member_id, "maintenance", ORIGIN
        )
