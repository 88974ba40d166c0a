"""The principal understands acting-for (RFC 8693 ``act``), and the verifier re-checks an
exchanged token's AC-2 basis against its clock at each request (AC-6)."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mylm_shared.auth import Actor, Principal, TokenVerifier, ensure_member_access
from mylm_shared.problems import Problem

KEY = Ed25519PrivateKey.generate()


def exchanged(until: datetime | None) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "mylm-identity",
        "aud": "mylm",
        "sub": "child-member",
        "member_id": "child-member",
        "roles": ["member"],
        "act": {"sub": "titular-account", "member_id": "titular-member"},
        "access_basis": "AC-2" if until else "AC-5",
        "typ": "access",
        "iat": now,
        "exp": now + 600,
    }
    if until is not None:
        claims["access_until"] = int(until.timestamp())
    return jwt.encode(claims, KEY, algorithm="EdDSA")


def verifier(now: datetime) -> TokenVerifier:
    return TokenVerifier("mylm-identity", "mylm", key=KEY.public_key(), clock=lambda: now)


async def test_an_exchanged_token_names_the_dossier_and_the_actor() -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    principal = await verifier(datetime.now(UTC)).verify(exchanged(until))
    assert principal.member_id == "child-member"
    assert principal.actor == Actor("titular-account", "titular-member")
    assert principal.account_id == "titular-account"  # the holder is the titular
    assert (principal.access_basis, principal.access_until) == ("AC-2", until)


async def test_ac6_the_verifier_refuses_it_once_its_clock_reaches_access_until() -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    token = exchanged(until)
    await verifier(until - timedelta(seconds=1)).verify(token)
    for moment in (until, until + timedelta(days=1)):
        with pytest.raises(Problem) as refused:
            await verifier(moment).verify(token)
        assert refused.value.status == 401
    # AC-5 carries no end: only expiry and revocation stop it.
    await verifier(until + timedelta(days=1)).verify(exchanged(None))


def test_an_acting_principal_reaches_the_dependants_dossier_only() -> None:
    principal = Principal(
        subject="child-member",
        member_id="child-member",
        roles=frozenset({"member"}),
        actor=Actor("titular-account", "titular-member"),
    )
    ensure_member_access(principal, "child-member")
    for elsewhere in ("titular-member", "another-member"):
        with pytest.raises(Problem) as refused:
            ensure_member_access(principal, elsewhere)
        assert refused.value.status == 403
