"""Issue 15 item 7: the principal carries the login's ``auth_time`` (OIDC Core §2), which
a service checks before a sensitive change (a claim's payout IBAN); a token without one,
or with a malformed one, has none (never taken as fresh)."""

from datetime import UTC, datetime
from typing import Any

import pytest
from mylm_shared.auth import Principal

BASE: dict[str, Any] = {"sub": "account-1", "member_id": "m-1", "roles": ["member"], "iat": 2}


def test_auth_time_is_read_as_an_instant() -> None:
    principal = Principal.from_claims({**BASE, "auth_time": 1_700_000_000})
    assert principal.auth_time == datetime.fromtimestamp(1_700_000_000, UTC)


@pytest.mark.parametrize("claims", [BASE, {**BASE, "auth_time": "yesterday"}], ids=["none", "bad"])
def test_no_or_a_malformed_auth_time_is_none(claims: dict[str, Any]) -> None:
    assert Principal.from_claims(claims).auth_time is None
