"""The JWKS publishes the current and the previous key; identity-svc's own verifier picks
the key by ``kid``, so a rotation logs nobody out (issue 7 item 3)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from identity.adapters.keys import SigningKey, SigningKeyMissing, load_signing_key
from mylm_shared.auth import TokenVerifier
from mylm_shared.problems import Problem


def claims(subject: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "iss": "mylm-identity",
        "aud": "mylm",
        "sub": subject,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
    }


def test_the_jwks_lists_the_current_then_the_previous_key() -> None:
    old = SigningKey(Ed25519PrivateKey.generate())
    new = SigningKey(Ed25519PrivateKey.generate(), previous=old)
    assert [k["kid"] for k in new.jwks()["keys"]] == [new.kid, old.kid]
    assert all("d" not in k for k in new.jwks()["keys"])  # public halves only
    assert [k["kid"] for k in old.jwks()["keys"]] == [old.kid]


async def test_a_verifier_built_from_the_jwks_accepts_both_keys_and_no_other() -> None:
    old = SigningKey(Ed25519PrivateKey.generate())
    new = SigningKey(Ed25519PrivateKey.generate(), previous=old)
    verifier = TokenVerifier("mylm-identity", "mylm", jwks=new.jwks())
    assert (await verifier.verify(old.sign(claims("a")))).subject == "a"
    assert (await verifier.verify(new.sign(claims("b")))).subject == "b"
    stranger = SigningKey(Ed25519PrivateKey.generate())
    with pytest.raises(Problem) as refused:
        await verifier.verify(stranger.sign(claims("c")))
    assert refused.value.status == 401


async def test_mounted_current_and_previous_key_files(tmp_path: Any) -> None:
    old, new = (SigningKey(Ed25519PrivateKey.generate()) for _ in range(2))
    (tmp_path / "old.pem").write_bytes(old.private_pem())
    (tmp_path / "new.pem").write_bytes(new.private_pem())
    loaded = await load_signing_key(
        None,  # type: ignore[arg-type]  # prod never touches the database
        str(tmp_path / "new.pem"),
        generate_if_missing=False,
        previous_key_file=str(tmp_path / "old.pem"),
    )
    assert [k["kid"] for k in loaded.jwks()["keys"]] == [new.kid, old.kid]
    with pytest.raises(SigningKeyMissing, match="PREVIOUS_SIGNING_KEY_FILE"):
        await load_signing_key(
            None,  # type: ignore[arg-type]
            str(tmp_path / "new.pem"),
            generate_if_missing=False,
            previous_key_file=str(tmp_path / "absent.pem"),
        )
