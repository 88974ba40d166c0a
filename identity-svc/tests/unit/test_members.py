"""RG-1 / MT-1: a member has a valid INSZ and belongs to an LLM mutuality."""

from datetime import UTC, date, datetime, timedelta

import pytest
from identity.domain.accounts import STAFF, Account
from identity.domain.members import InvalidMember, MemberEntry
from identity.domain.tokens import access_claims
from identity.settings import IdentitySettings
from pydantic import ValidationError


def member(national_number: str = "85073003328", mutuality: str = "LM Plus") -> MemberEntry:
    return MemberEntry(
        member_number="LM-1",
        national_number=national_number,
        first_name="Jan",
        last_name="Peeters",
        birth_date=date(1985, 7, 30),
        language="nl",
        mutuality=mutuality,
    )


def test_valid_member() -> None:
    assert member().national_number == "85073003328"


def test_insz_with_a_wrong_check_is_refused() -> None:
    with pytest.raises(InvalidMember, match="INSZ"):
        member("85073003329")


def test_insz_born_after_2000_uses_the_2_prefix_check() -> None:
    # 2000-01-01, sequence 001: the check is computed over "2" + the first nine digits
    base = "000101001"
    check = 97 - int("2" + base) % 97
    assert member(f"{base}{check:02d}").national_number.startswith("000101")


def test_unknown_mutuality_is_refused() -> None:
    with pytest.raises(InvalidMember, match="mutuality"):
        member(mutuality="Some Other Fund")


def test_access_token_claims() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    account = Account(
        account_id="a-1",
        username="demo.staff",
        password_hash="hash",
        member_id=None,
        roles=frozenset({STAFF}),
    )
    claims = access_claims(
        account, issuer="mylm-identity", audience="mylm", now=now, lifetime=timedelta(minutes=15)
    )
    assert claims["sub"] == "a-1"
    assert claims["member_id"] is None
    assert claims["roles"] == ["staff"]
    assert claims["exp"] - claims["iat"] == 900


def test_production_refuses_to_start_without_a_mounted_signing_key() -> None:
    with pytest.raises(ValidationError, match="SIGNING_KEY_FILE"):
        IdentitySettings(profile="prod")
    assert IdentitySettings(profile="prod", signing_key_file="/run/secrets/key.pem")
    assert not IdentitySettings(
        profile="prod", signing_key_file="/k", seed_demo_data=True
    ).seeds_demo_data
