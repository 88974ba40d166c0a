"""Tokens are checked against identity-svc's JWKS, fetched over HTTP and cached; a token
naming a key the cache does not know (identity-svc rotated its key) refetches the JWKS."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mylm_shared.auth import TokenVerifier
from mylm_shared.problems import Problem


class Keys:
    def __init__(self) -> None:
        self.published: list[dict[str, Any]] = []
        self.fetches = 0

    def add(self, kid: str) -> Ed25519PrivateKey:
        key = Ed25519PrivateKey.generate()
        jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
        self.published.append({**jwk, "kid": kid, "alg": "EdDSA", "use": "sig"})
        return key


@pytest.fixture
def jwks() -> Iterator[tuple[Keys, str]]:
    keys = Keys()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            keys.fetches += 1
            body = json.dumps({"keys": keys.published}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield keys, f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()


def token(key: Ed25519PrivateKey, kid: str, **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": "mylm-identity", "aud": "mylm", "sub": "a-1", "iat": now, "exp": now + 60}
    body |= {"typ": "access", "roles": ["member"], "member_id": "m-1", **claims}
    return jwt.encode(body, key, algorithm="EdDSA", headers={"kid": kid})


async def test_keys_are_cached_and_refetched_for_an_unknown_kid(jwks: tuple[Keys, str]) -> None:
    keys, url = jwks
    first = keys.add("k1")
    verifier = TokenVerifier("mylm-identity", "mylm", jwks_url=url, refetch_cooldown_seconds=0)

    assert (await verifier.verify(token(first, "k1"))).member_id == "m-1"
    assert (await verifier.verify(token(first, "k1"))).member_id == "m-1"
    assert keys.fetches == 1  # cached

    rotated = keys.add("k2")  # identity-svc rotated its key
    assert (await verifier.verify(token(rotated, "k2"))).member_id == "m-1"
    assert keys.fetches == 2  # the unknown kid made it look again


async def test_unknown_kids_refetch_at_most_once_per_cooldown(jwks: tuple[Keys, str]) -> None:
    keys, url = jwks
    known = keys.add("k1")
    verifier = TokenVerifier("mylm-identity", "mylm", jwks_url=url, refetch_cooldown_seconds=60)
    await verifier.verify(token(known, "k1"))
    for forged_kid in ("x1", "x2", "x3"):
        with pytest.raises(Problem):
            await verifier.verify(token(Ed25519PrivateKey.generate(), forged_kid))
    assert keys.fetches == 1


async def test_forged_expired_and_wrong_audience_tokens_are_401(jwks: tuple[Keys, str]) -> None:
    keys, url = jwks
    key = keys.add("k1")
    verifier = TokenVerifier("mylm-identity", "mylm", jwks_url=url)
    forged = token(Ed25519PrivateKey.generate(), "k1")
    expired = token(key, "k1", iat=int(time.time()) - 120, exp=int(time.time()) - 60)
    for bad in (
        forged,
        expired,
        token(key, "k1", aud="elsewhere"),
        token(key, "k1", typ="refresh"),
    ):
        with pytest.raises(Problem) as raised:
            await verifier.verify(bad)
        assert raised.value.status == 401


def es256_token(key: ec.EllipticCurvePrivateKey, kid: str) -> str:
    now = int(time.time())
    body = {"iss": "mylm-identity", "aud": "mylm", "sub": "a-1", "iat": now, "exp": now + 60}
    body |= {"typ": "access", "roles": ["member"], "member_id": "m-1"}
    return jwt.encode(body, key, algorithm="ES256", headers={"kid": kid})


async def test_an_es256_token_is_refused_even_with_a_published_kid(
    jwks: tuple[Keys, str],
) -> None:
    """Issue 15 item 7 (EdDSA only): an ES256 token is 401, whether it names identity's
    Ed25519 kid or an EC key that somehow sits in the JWKS and really signed it."""
    keys, url = jwks
    ed_key = keys.add("k1")
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ec_key.public_key()))
    keys.published.append({**ec_jwk, "kid": "ec1", "alg": "ES256", "use": "sig"})
    for verifier in (
        TokenVerifier("mylm-identity", "mylm", jwks_url=url, refetch_cooldown_seconds=0),
        TokenVerifier("mylm-identity", "mylm", jwks={"keys": keys.published}),  # identity's way
    ):
        for forged in (es256_token(ec_key, "ec1"), es256_token(ec_key, "k1")):
            with pytest.raises(Problem) as raised:
                await verifier.verify(forged)
            assert raised.value.status == 401
        # The boundary: the same verifier accepts identity's EdDSA token.
        assert (await verifier.verify(token(ed_key, "k1"))).member_id == "m-1"
