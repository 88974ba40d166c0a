"""identity-svc as the portal uses it: sessions (log in, refresh, revoke, log out
everywhere) and the member's own dossier (``/v1/me``)."""

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from portal.upstream.http import bearer, send


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class Member:
    member_id: str
    first_name: str
    last_name: str
    language: str
    member_number: str
    mutuality: str


class IdentityPort(Protocol):
    async def log_in(
        self, username: str, password: str, client_address: str | None = None
    ) -> TokenPair: ...
    async def refresh(self, refresh_token: str) -> TokenPair: ...
    async def revoke(self, refresh_token: str) -> None: ...
    async def log_out_everywhere(self, access_token: str) -> None: ...
    async def me(self, access_token: str) -> Member | None: ...


def token_pair(body: dict[str, Any]) -> TokenPair:
    return TokenPair(
        access_token=str(body["access_token"]),
        refresh_token=str(body["refresh_token"]),
        expires_in=int(body["expires_in"]),
    )


class HttpIdentity:
    """identity-svc's session routes (``/v1/sessions``, ``/v1/sessions/refresh``,
    ``/v1/sessions/revoke``, ``DELETE /v1/me/sessions``) and ``/v1/me``."""

    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self._client = client
        self._base = base_url.rstrip("/")

    async def log_in(
        self, username: str, password: str, client_address: str | None = None
    ) -> TokenPair:
        """``client_address``: the member's, passed on in ``X-Forwarded-For`` (identity
        believes it only from a trusted proxy's address: ``SOURCE_ADDRESS``)."""
        body = {"username": username, "password": password}
        headers = {"X-Forwarded-For": client_address} if client_address else {}
        url = f"{self._base}/v1/sessions"
        response = await send(self._client, "POST", url, json=body, headers=headers)
        return token_pair(response.json())

    async def refresh(self, refresh_token: str) -> TokenPair:
        body = {"refresh_token": refresh_token}
        url = f"{self._base}/v1/sessions/refresh"
        return token_pair((await send(self._client, "POST", url, json=body)).json())

    async def revoke(self, refresh_token: str) -> None:
        body = {"refresh_token": refresh_token}
        await send(self._client, "POST", f"{self._base}/v1/sessions/revoke", json=body)

    async def log_out_everywhere(self, access_token: str) -> None:
        url = f"{self._base}/v1/me/sessions"
        await send(self._client, "DELETE", url, headers=bearer(access_token))

    async def me(self, access_token: str) -> Member | None:
        url = f"{self._base}/v1/me"
        body = (await send(self._client, "GET", url, headers=bearer(access_token))).json()
        member = body.get("member")
        if not member:
            return None
        return Member(
            member_id=str(member["member_id"]),
            first_name=str(member.get("first_name", "")),
            last_name=str(member.get("last_name", "")),
            language=str(member.get("language", "nl")),
            member_number=str(member.get("member_number", "")),
            mutuality=str(member.get("mutuality", "")),
        )
