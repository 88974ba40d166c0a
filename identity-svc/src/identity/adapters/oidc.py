"""The OpenID Connect relying party for CSAM (RG-5): FAS in production, the local
oidc-provider (infra/local/oidc) in dev and tests.

Discovery, the authorization URL (code flow, PKCE S256, state, nonce), the code exchange
(client_secret_basic) and the ID token's validation: signature against the provider's
JWKS (fetched again once when a token names an unknown key: key rotation), ``iss``,
``aud``, ``azp``, ``exp``/``iat``, ``nonce`` and ``at_hash``. authlib builds the request
and checks the claims (OIDC Core 3.1.3.7), joserfc verifies the signature; the HTTP calls
are plain httpx (authlib's own httpx client is deprecated in favour of another package).
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from authlib.oauth2.rfc6749.parameters import (  # type: ignore[import-untyped]
    prepare_grant_uri,
)
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from authlib.oidc.core import CodeIDToken  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from identity.domain.csam import LoginRejected, ProviderUnavailable
from identity.settings import IdentitySettings

__all__ = ["LoginRejected", "OidcClient", "ProviderUnavailable"]

# Asymmetric only: an HS256 ID token would be signed with our own client secret.
ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
CLOCK_LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorization: str
    token: str
    jwks: str
    userinfo: str | None


class OidcClient:
    """Long-lived (one per process): caches the discovery document and the JWKS."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        scope: str,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.redirect_uri = redirect_uri
        self.scope = scope
        self._timeout = timeout
        self._transport = transport
        self._endpoints: Endpoints | None = None
        self._keys: KeySet | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: IdentitySettings) -> "OidcClient | None":
        """None when CSAM is not configured (prod without a client secret)."""
        secret = settings.csam_secret
        if secret is None:
            return None
        return cls(
            issuer=settings.csam_issuer,
            client_id=settings.csam_client_id,
            client_secret=secret,
            redirect_uri=settings.csam_redirect_uri,
            scope=settings.csam_scopes,
            timeout=settings.csam_timeout_seconds,
        )

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self._timeout, transport=self._transport, follow_redirects=False
        )

    async def _get_json(self, url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            async with self._http() as http:
                response = await http.get(url, headers=headers)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ProviderUnavailable(f"GET {url}: {error}") from None
        if not isinstance(body, dict):
            raise ProviderUnavailable(f"GET {url}: not a JSON object")
        return body

    async def endpoints(self) -> Endpoints:
        """From the discovery document, whose ``issuer`` must be ours (OIDC Discovery 4.3)."""
        if self._endpoints is None:
            found = await self._get_json(f"{self.issuer}/.well-known/openid-configuration")
            if found.get("issuer") != self.issuer:
                raise ProviderUnavailable(f"discovery names issuer {found.get('issuer')!r}")
            try:
                self._endpoints = Endpoints(
                    issuer=self.issuer,
                    authorization=str(found["authorization_endpoint"]),
                    token=str(found["token_endpoint"]),
                    jwks=str(found["jwks_uri"]),
                    userinfo=found.get("userinfo_endpoint"),
                )
            except KeyError as missing:
                raise ProviderUnavailable(f"discovery lacks {missing}") from None
        return self._endpoints

    async def authorization_url(self, *, state: str, nonce: str, code_verifier: str) -> str:
        endpoints = await self.endpoints()
        url: str = prepare_grant_uri(
            endpoints.authorization,
            client_id=self.client_id,
            response_type="code",
            redirect_uri=self.redirect_uri,
            scope=self.scope,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256",
        )
        return url

    async def exchange(self, code: str, code_verifier: str) -> dict[str, Any]:
        """The token response for ``code`` (RFC 6749 4.1.3, RFC 7636 4.5)."""
        endpoints = await self.endpoints()
        # RFC 6749 2.3.1: id and secret are form-encoded before Basic encoding.
        auth = httpx.BasicAuth(quote(self.client_id, safe=""), quote(self._secret, safe=""))
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": code_verifier,
        }
        try:
            async with self._http() as http:
                response = await http.post(endpoints.token, data=form, auth=auth)
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ProviderUnavailable(f"token endpoint: {error}") from None
        if response.status_code in (400, 401) and isinstance(body, dict) and "error" in body:
            raise LoginRejected(f"token endpoint: {body['error']}")
        if response.status_code != 200 or not isinstance(body, dict):
            raise ProviderUnavailable(f"token endpoint answered {response.status_code}")
        if not isinstance(body.get("id_token"), str) or not isinstance(
            body.get("access_token"), str
        ):
            raise LoginRejected("token response without id_token / access_token")
        return body

    async def _key_set(self, *, refresh: bool) -> KeySet:
        async with self._lock:
            if self._keys is None or refresh:
                endpoints = await self.endpoints()
                try:
                    self._keys = KeySet.import_key_set(await self._get_json(endpoints.jwks))  # type: ignore[arg-type]
                except (JoseError, ValueError, TypeError) as error:
                    raise ProviderUnavailable(f"JWKS: {error}") from None
            return self._keys

    async def verify_id_token(
        self, id_token: str, *, nonce: str, access_token: str, now: datetime
    ) -> dict[str, Any]:
        """The ID token's claims once its signature and claims are valid."""
        try:
            try:
                token = jwt.decode(
                    id_token, await self._key_set(refresh=False), algorithms=ID_TOKEN_ALGORITHMS
                )
            except InvalidKeyIdError:  # a new key at the provider: fetch the JWKS again
                token = jwt.decode(
                    id_token, await self._key_set(refresh=True), algorithms=ID_TOKEN_ALGORITHMS
                )
            claims = CodeIDToken(
                token.claims,
                token.header,
                {
                    "iss": {"essential": True, "value": self.issuer},
                    "aud": {"essential": True, "value": self.client_id},
                },
                {"nonce": nonce, "client_id": self.client_id, "access_token": access_token},
            )
            claims.validate(now=int(now.timestamp()), leeway=CLOCK_LEEWAY_SECONDS)
        except (JoseError, ValueError) as error:
            raise LoginRejected(f"ID token: {error}") from None
        return dict(claims)

    async def userinfo(self, access_token: str) -> dict[str, Any]:
        endpoints = await self.endpoints()
        if endpoints.userinfo is None:
            return {}
        return await self._get_json(
            endpoints.userinfo, headers={"Authorization": f"Bearer {access_token}"}
        )
