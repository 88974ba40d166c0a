"""Server-to-server access tokens: the OAuth 2.0 client credentials grant (RFC 6749 §4.4)
against identity-svc's token endpoint, cached until shortly before they expire.

    policy_token = ClientCredentials(
        "http://127.0.0.1:8001/v1/oauth/token", "claims-svc", secret, scope="policy:read"
    )
    headers = {"Authorization": f"Bearer {await policy_token.bearer()}"}

The client authenticates with HTTP Basic (``client_secret_basic``, RFC 6749 §2.3.1: the
id and the secret form-urlencoded, then base64). Concurrent callers share one request:
a refresh runs under an ``asyncio.Lock`` and the others take its result.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

import httpx

Monotonic = Callable[[], float]


class TokenRequestFailed(RuntimeError):
    """The token endpoint refused (RFC 6749 §5.2 ``error``) or could not be reached."""

    def __init__(self, message: str, error: str | None = None) -> None:
        super().__init__(message)
        self.error = error


@dataclass(frozen=True)
class _Cached:
    access_token: str
    refresh_at: float  # monotonic seconds


class ClientCredentials:
    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        *,
        http: httpx.AsyncClient | None = None,
        refresh_margin_seconds: float = 30.0,
        timeout_seconds: float = 10.0,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        self._url = token_url
        # RFC 6749 §2.3.1: both are form-urlencoded before the Basic encoding.
        self._auth = httpx.BasicAuth(quote_plus(client_id), quote_plus(client_secret))
        self._scope = scope
        self._http = http or httpx.AsyncClient(timeout=timeout_seconds)
        self._owns_http = http is None
        self._margin = refresh_margin_seconds
        self._monotonic = monotonic
        self._cached: _Cached | None = None
        self._lock = asyncio.Lock()

    async def bearer(self) -> str:
        """A valid access token: the cached one, or a new one when it is about to expire."""
        cached = self._fresh()
        if cached is not None:
            return cached
        async with self._lock:
            cached = self._fresh()  # another caller refreshed while this one waited
            if cached is not None:
                return cached
            self._cached = await self._request()
            return self._cached.access_token

    def forget(self) -> None:
        """Drop the cached token (e.g. after a 401 from the resource server)."""
        self._cached = None

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def _fresh(self) -> str | None:
        cached = self._cached
        if cached is not None and self._monotonic() < cached.refresh_at:
            return cached.access_token
        return None

    async def _request(self) -> _Cached:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        started = self._monotonic()
        try:
            response = await self._http.post(
                self._url, data=form, auth=self._auth, headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as error:
            raise TokenRequestFailed(f"token endpoint unreachable: {error}") from error
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict):
            error_code = body.get("error") if isinstance(body, dict) else None
            raise TokenRequestFailed(
                f"token endpoint answered {response.status_code} ({error_code})", error_code
            )
        try:
            token = str(body["access_token"])
            expires_in = float(body["expires_in"])
        except (KeyError, TypeError, ValueError) as error:
            raise TokenRequestFailed("token endpoint answered without a usable token") from error
        if str(body.get("token_type", "")).lower() != "bearer":
            raise TokenRequestFailed(f"unexpected token_type {body.get('token_type')!r}")
        # Counted from before the request, refreshed ahead of expiry (never below zero).
        margin = min(self._margin, expires_in / 2)
        return _Cached(token, started + expires_in - margin)
