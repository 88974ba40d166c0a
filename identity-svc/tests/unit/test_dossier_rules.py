"""AC-2..AC-6 as pure rules: a titular's access to one dependant's dossier on a given
day (or why there is none: AC-3, AC-4; issue 20 item 2), the Brussels midnight it ends,
and the exchanged token's claims."""

from datetime import UTC, date, datetime, timedelta

from identity.demo import national_number
from identity.domain.accounts import Account, TitularAccessChanged
from identity.domain.dossiers import (
    ClosedDossier,
    DossierAccess,
    start_of,
    titular_access,
    titular_decision,
)
from identity.domain.members import Member, MemberEntry
from identity.domain.tokens import exchanged_claims

TITULAR = "titular-member"


def dependant(birth: date) -> Member:
    entry = MemberEntry(
        member_number="LM-9",
        national_number=national_number(birth, 21),
        first_name="Lotte",
        last_name="Peeters",
        birth_date=birth,
        language="nl",
        mutuality="LM Plus",
        titular_member_id=TITULAR,
    )
    return Member(member_id="dependant-member", entry=entry)


def account_of(member: Member) -> Account:
    return Account(
        account_id="dependant-account",
        username="lotte",
        password_hash=None,
        member_id=member.member_id,
    )


def choose(account: Account, member: Member, may: bool, on: date) -> None:
    """The dependant's choice made at noon (Brussels) on ``on``."""
    at = start_of(on) + timedelta(hours=12)
    account.set_titular_access(may, birth_date=member.birth_date, titular_member_id=TITULAR, at=at)


def test_ac2_a_minor_without_account_until_the_18th_birthday_brussels_midnight() -> None:
    child = dependant(date(2014, 7, 1))
    access = titular_access(child, None, date(2032, 6, 30))
    assert access is not None
    assert (access.basis, access.relation) == ("AC-2", "dependant")
    # Midnight in Brussels (summer time, UTC+2) is 22:00 UTC the day before.
    assert access.until == datetime(2032, 6, 30, 22, tzinfo=UTC)
    assert titular_access(child, None, date(2032, 7, 1)) is None  # AC-4, AC-6


def test_ac6_a_29_february_birthday_ends_access_on_1_march() -> None:
    child = dependant(date(2008, 2, 29))
    access = titular_access(child, None, date(2026, 2, 28))
    assert access is not None
    assert access.until == datetime(2026, 2, 28, 23, tzinfo=UTC)  # 1 March 00:00 CET
    assert titular_access(child, None, date(2026, 3, 1)) is None


def test_ac3_a_minor_revokes_and_restores() -> None:
    teen = dependant(date(2010, 5, 5))
    account = account_of(teen)
    choose(account, teen, False, date(2026, 1, 10))
    assert titular_access(teen, account, date(2026, 1, 11)) is None
    choose(account, teen, True, date(2026, 1, 12))
    restored = titular_access(teen, account, date(2026, 1, 13))
    assert restored is not None and restored.basis == "AC-2"


def test_ac3_ac4_revoked_as_a_minor_then_of_age_without_a_grant_has_no_access() -> None:
    teen = dependant(date(2008, 5, 5))
    account = account_of(teen)
    choose(account, teen, False, date(2025, 1, 10))
    assert titular_access(teen, account, date(2026, 6, 1)) is None


def test_ac5_a_restore_made_as_a_minor_is_no_adults_grant() -> None:
    teen = dependant(date(2008, 5, 5))
    account = account_of(teen)
    choose(account, teen, True, date(2026, 5, 4))  # the day before turning 18
    assert account.titular_access is not None and not account.titular_access.set_as_adult
    assert titular_access(teen, account, date(2026, 5, 5)) is None


def test_ac5_an_adult_grants_without_end_and_withdraws() -> None:
    adult = dependant(date(2006, 5, 5))
    account = account_of(adult)
    choose(account, adult, True, date(2026, 1, 10))
    access = titular_access(adult, account, date(2026, 1, 10))
    assert access is not None
    assert (access.basis, access.until) == ("AC-5", None)
    choose(account, adult, False, date(2026, 2, 1))
    assert titular_access(adult, account, date(2026, 2, 1)) is None


def test_the_choice_is_made_as_an_adult_from_brussels_midnight_on() -> None:
    teen = dependant(date(2008, 2, 29))
    account = account_of(teen)
    # 23:30 UTC on 28 February 2026 is already 1 March in Brussels: of age.
    account.set_titular_access(
        True,
        birth_date=teen.birth_date,
        titular_member_id=TITULAR,
        at=datetime(2026, 2, 28, 23, 30, tzinfo=UTC),
    )
    assert account.titular_access is not None and account.titular_access.set_as_adult


def test_set_titular_access_raises_access_changed() -> None:
    teen = dependant(date(2010, 5, 5))
    account = account_of(teen)
    choose(account, teen, False, date(2026, 1, 10))
    changed = [e for e in account.events if isinstance(e, TitularAccessChanged)]
    assert [
        (e.dependant_member_id, e.titular_member_id, e.titular_may_access) for e in changed
    ] == [("dependant-member", TITULAR, False)]


def test_exchanged_claims_name_the_actor_and_never_outlive_the_basis() -> None:
    child = dependant(date(2014, 7, 1))
    access = titular_access(child, None, date(2032, 6, 30))
    assert access is not None and access.until is not None
    actor = Account(
        account_id="titular-account", username="jan", password_hash=None, member_id=TITULAR
    )
    now = access.until - timedelta(minutes=5)
    claims = exchanged_claims(
        actor, access, issuer="i", audience="a", now=now, lifetime=timedelta(minutes=15)
    )
    assert claims["sub"] == claims["member_id"] == "dependant-member"
    assert claims["act"] == {"sub": "titular-account", "member_id": TITULAR}
    assert claims["access_basis"] == "AC-2"
    assert claims["access_until"] == claims["exp"] == int(access.until.timestamp())


def reason(member: Member, account: Account | None, on: date) -> str | None:
    decided = titular_decision(member, account, on)
    return decided.reason if isinstance(decided, ClosedDossier) else None


def test_ac3_ac4_a_closed_dossier_says_which_rule_closes_it() -> None:
    """Issue 20 item 2: AC-3 while the minor's revocation stands; AC-4 from 18 without
    an adult's grant: no account, a revocation made as a minor, a restore made as a minor
    (no AC-5 grant), or an AC-5 grant withdrawn. The closed answer holds only the
    dependant and the reason."""
    teen = dependant(date(2008, 5, 5))
    account = account_of(teen)
    choose(account, teen, False, date(2025, 1, 10))
    assert reason(teen, account, date(2026, 5, 4)) == "AC-3"  # the day before turning 18
    assert reason(teen, account, date(2026, 5, 5)) == "AC-4"  # of age: AC-4, not AC-3
    choose(account, teen, True, date(2026, 5, 4))
    assert reason(teen, account, date(2026, 5, 4)) is None  # AC-2 again
    assert reason(teen, account, date(2026, 5, 5)) == "AC-4"  # a minor's restore
    assert reason(dependant(date(2006, 1, 1)), None, date(2026, 6, 1)) == "AC-4"

    adult = dependant(date(2006, 5, 5))
    adults = account_of(adult)
    choose(adults, adult, True, date(2026, 1, 10))
    assert reason(adult, adults, date(2026, 1, 10)) is None  # AC-5
    choose(adults, adult, False, date(2026, 2, 1))
    closed = titular_decision(adult, adults, date(2026, 2, 1))
    assert closed == ClosedDossier(adult, "AC-4")
    assert set(vars(closed)) == {"member", "reason"}


def test_ac2_to_ac6_the_list_and_the_exchange_use_one_decision() -> None:
    """Issue 20 item 2: ``titular_access`` (the exchange, identity's re-check) is
    ``titular_decision`` (the list) without the reason, for every age around the 18th
    birthday and every choice a dependant can make (AC-2..AC-6): a dossier listed as
    closed can never be opened, one listed as open always can."""
    born = date(2008, 5, 5)
    days = [date(2026, 5, 3), date(2026, 5, 4), date(2026, 5, 5), date(2027, 1, 1)]
    seen: set[str] = set()
    for made_on in (None, date(2026, 5, 4), date(2026, 5, 5)):
        for may in (True, False):
            member = dependant(born)
            account = account_of(member) if made_on else None
            if account is not None and made_on is not None:
                choose(account, member, may, made_on)
            for on in days:
                decided = titular_decision(member, account, on)
                access = titular_access(member, account, on)
                if isinstance(decided, DossierAccess):
                    assert access == decided
                    seen.add(decided.basis)
                else:
                    assert access is None
                    seen.add(decided.reason)
    assert seen == {"AC-2", "AC-3", "AC-4", "AC-5"}
