"""What an access token says about its holder (pure: no keys, no clock reads)."""

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from identity.domain.members import Account


def access_claims(
    account: Account, *, issuer: str, audience: str, now: datetime, lifetime: timedelta
) -> dict[str, Any]:
    return {
        "iss": issuer,
        "aud": audience,
        "sub": account.account_id,
        "member_id": account.member_id,
        "roles": sorted(account.roles),
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": str(uuid4()),
    }
