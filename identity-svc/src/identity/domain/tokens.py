"""What an access token says about its holder (pure: no keys, no clock reads)."""

import math
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from mylm_shared.kernel.roles import SERVICE

from identity.domain.accounts import Account
from identity.domain.dossiers import DossierAccess


def issued_at(now: datetime) -> float:
    """``iat`` in milliseconds, rounded down (JWT allows a non-integer NumericDate): the
    revocation list refuses tokens issued before a revocation's instant, and whole
    seconds would refuse a login made in the same second after a reactivation."""
    return math.floor(now.timestamp() * 1000) / 1000


def _seconds(moment: datetime) -> int:
    """A NumericDate in whole seconds (a naive datetime is UTC, as BSON stores it)."""
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def access_claims(
    account: Account,
    *,
    issuer: str,
    audience: str,
    now: datetime,
    lifetime: timedelta,
    auth_time: datetime | None = None,
) -> dict[str, Any]:
    """``auth_time`` (OIDC Core §2): when the user logged in, ``now`` for a login, the
    session's login for a refresh (unchanged), so a service can ask for a recent login
    before a sensitive change (issue 15 item 7: the payout IBAN)."""
    return {
        "auth_time": _seconds(auth_time or now),
        "iss": issuer,
        "aud": audience,
        "sub": account.account_id,
        "member_id": account.member_id,
        "roles": sorted(account.roles),
        "typ": "access",
        "iat": issued_at(now),
        "exp": int((now + lifetime).timestamp()),
        "jti": str(uuid4()),
    }


def exchanged_claims(
    actor: Account,
    dossier: DossierAccess,
    *,
    issuer: str,
    audience: str,
    now: datetime,
    lifetime: timedelta,
    auth_time: datetime | None = None,
) -> dict[str, Any]:
    """RFC 8693 token exchange: the subject is the dependant's dossier, ``act`` the user.
    An AC-2 access ends on the 18th birthday (AC-6): the token says when, and every
    service checks it at each request; it never outlives that moment either.
    ``auth_time`` is the acting user's login, carried from their token (None: unknown)."""
    expires = now + lifetime
    if dossier.until is not None:
        expires = min(expires, dossier.until)
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": dossier.member.member_id,
        "member_id": dossier.member.member_id,
        "roles": ["member"],
        "act": {"sub": actor.account_id, "member_id": actor.member_id},
        "access_basis": dossier.basis,
        "typ": "access",
        "iat": issued_at(now),
        "exp": int(expires.timestamp()),
        "jti": str(uuid4()),
    }
    if dossier.until is not None:
        claims["access_until"] = int(dossier.until.timestamp())
    if auth_time is not None:
        claims["auth_time"] = _seconds(auth_time)
    return claims


def service_claims(
    client_id: str,
    scopes: tuple[str, ...],
    *,
    issuer: str,
    audience: str,
    now: datetime,
    lifetime: timedelta,
) -> dict[str, Any]:
    """A client credentials token (RFC 6749 §4.4) in the JWT profile of RFC 9068 §2.2:
    ``sub`` and ``client_id`` are the client, ``scope`` space-delimited; no member, the
    role ``service``. Signed like user tokens, so every service's verifier accepts it."""
    return {
        "iss": issuer,
        "aud": audience,
        "sub": client_id,
        "client_id": client_id,
        "roles": [SERVICE],
        "scope": " ".join(scopes),
        "typ": "access",
        "iat": issued_at(now),
        "exp": int((now + lifetime).timestamp()),
        "jti": str(uuid4()),
    }
