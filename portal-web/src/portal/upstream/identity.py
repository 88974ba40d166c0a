"""identity-svc as the portal uses it: sessions (log in, refresh, revoke, log out
everywhere) and the member's own dossier (``/v1/me``); the dossiers the member may open and
the token exchange that opens a dependant's (``/v1/me/dossiers``)."""

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from portal.ports import ServiceProblem
from portal.upstream.http import bearer, problem, send


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


@dataclass(frozen=True)
class Dossier:
    """A dossier the member may see in the list (issue 20 item 2): their own (AC-1), a
    dependant's open to them (``basis`` AC-2 or AC-5), or a dependant's not open
    (``basis`` None; ``closed_reason`` AC-3 or AC-4 when identity says which)."""

    member_id: str
    name: str
    relation: str  # self | dependant
    basis: str | None
    closed_reason: str | None = None

    @property
    def openable(self) -> bool:
        return self.basis is not None


@dataclass(frozen=True)
class ExchangedToken:
    """An access token for a dependant's dossier (RFC 8693), no refresh token."""

    access_token: str
    expires_in: int


@dataclass(frozen=True)
class Terms:
    """The current My LM terms (RG-4, ``GET /v1/terms/current``): the version a member
    accepts, and their text (Dutch original; None when identity keeps none)."""

    version: str
    title: str | None
    text: str | None


@dataclass(frozen=True)
class CodeSent:
    """A code sent (registration or reset): the request's id, the contact masked."""

    request_id: str
    sent_to: str


@dataclass(frozen=True)
class Registration:
    """RG-3, RG-4: what the member chooses and accepts with the code."""

    code: str
    username: str
    password: str
    terms_version: str


@dataclass(frozen=True)
class CsamStarted:
    """Identity's answer to a CSAM start: the provider's authorization URL (state, nonce
    and PKCE kept by identity) and the secret binding the login to this browser (identity
    sets it as a cookie; the portal keeps it in its session)."""

    authorization_url: str
    browser_secret: str


@dataclass(frozen=True)
class CsamLoggedIn:
    pair: TokenPair
    member_id: str


@dataclass(frozen=True)
class CsamSignup:
    """RG-5: a member without an account; they accept ``terms_version`` to open one."""

    signup_id: str
    terms_version: str


class IdentityProblem(ServiceProblem):
    """identity's refusal with its ``reason`` (e.g. ``not-a-member``, ``expired``) and,
    for a wrong code, the attempts left."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        retry_after: int | None = None,
        reason: str | None = None,
        attempts_left: int | None = None,
    ) -> None:
        super().__init__(status, detail, retry_after)
        self.reason = reason
        self.attempts_left = attempts_left


class IdentityPort(Protocol):
    async def log_in(
        self, username: str, password: str, client_address: str | None = None
    ) -> TokenPair: ...
    async def refresh(self, refresh_token: str) -> TokenPair: ...
    async def revoke(self, refresh_token: str) -> None: ...
    async def log_out_everywhere(self, access_token: str) -> None: ...
    async def me(self, access_token: str) -> Member | None: ...
    async def dossiers(self, access_token: str) -> list[Dossier]: ...
    async def exchange(self, access_token: str, member_id: str) -> ExchangedToken: ...
    # the account pages (issue 20 item 2): terms, codes, CSAM, compromise
    async def terms(self) -> Terms: ...
    async def start_registration(
        self, identifier: str, channel: str, client_address: str | None
    ) -> CodeSent: ...
    async def confirm_registration(
        self, registration_id: str, form: Registration, client_address: str | None
    ) -> str: ...
    async def start_password_reset(
        self, identifier: str, channel: str, client_address: str | None
    ) -> CodeSent: ...
    async def confirm_password_reset(
        self, reset_id: str, code: str, new_password: str, client_address: str | None
    ) -> None: ...
    async def report_compromise(self, access_token: str) -> None: ...
    async def csam_start(self, client_address: str | None) -> CsamStarted: ...
    async def csam_finish(
        self, answer: dict[str, str], browser_secret: str, client_address: str | None
    ) -> CsamLoggedIn | CsamSignup: ...
    async def csam_sign_up(
        self, signup_id: str, terms_version: str, client_address: str | None
    ) -> CsamLoggedIn: ...


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

    async def dossiers(self, access_token: str) -> list[Dossier]:
        """``GET /v1/me/dossiers`` with the member's own token: their own dossier and each
        dependant's open now (AC-1, AC-2/AC-3, AC-5, AC-6). An item without a ``basis``
        is a dependant's dossier not open, ``reason`` AC-3 or AC-4 if given."""
        url = f"{self._base}/v1/me/dossiers"
        body = (await send(self._client, "GET", url, headers=bearer(access_token))).json()
        found = []
        for item in body.get("items", []):
            basis = item.get("basis")
            reason = item.get("reason")
            found.append(
                Dossier(
                    member_id=str(item["member_id"]),
                    name=str(item.get("name", "")),
                    relation=str(item.get("relation", "dependant")),
                    basis=str(basis) if basis else None,
                    closed_reason=str(reason) if not basis and reason else None,
                )
            )
        return found

    async def exchange(self, access_token: str, member_id: str) -> ExchangedToken:
        """``POST /v1/me/dossiers/{member_id}/token`` (RFC 8693-style): an access token for
        the dependant's dossier; 403 without a basis now (AC-3, AC-4, AC-6)."""
        url = f"{self._base}/v1/me/dossiers/{quote(member_id, safe='')}/token"
        response = await send(self._client, "POST", url, headers=bearer(access_token))
        body = response.json()
        return ExchangedToken(str(body["access_token"]), int(body["expires_in"]))

    # ------------------------------------------------------------ the account pages
    # Registration, reset and CSAM are anonymous: the member's address goes along in
    # X-Forwarded-For for identity's per-address budgets (as ``log_in``; SOURCE_ADDRESS).

    async def _call(
        self, method: str, path: str, client_address: str | None = None, **kw: Any
    ) -> httpx.Response:
        headers = {**kw.pop("headers", {})}
        if client_address:
            headers["X-Forwarded-For"] = client_address
        url = f"{self._base}{path}"
        return await send(
            self._client, method, url, headers=headers, refused=identity_problem, **kw
        )

    async def terms(self) -> Terms:
        body = (await self._call("GET", "/v1/terms/current")).json()
        return Terms(
            version=str(body["version"]),
            title=body.get("title"),
            text=body.get("text"),
        )

    async def start_registration(
        self, identifier: str, channel: str, client_address: str | None
    ) -> CodeSent:
        body = {"identifier": identifier, "channel": channel}
        answer = await self._call("POST", "/v1/registrations", client_address, json=body)
        sent = answer.json()
        return CodeSent(str(sent["registration_id"]), str(sent.get("sent_to", "")))

    async def confirm_registration(
        self, registration_id: str, form: Registration, client_address: str | None
    ) -> str:
        body = {
            "code": form.code,
            "username": form.username,
            "password": form.password,
            "accept_terms": True,
            "terms_version": form.terms_version,
        }
        path = f"/v1/registrations/{quote(registration_id, safe='')}/confirm"
        answer = await self._call("POST", path, client_address, json=body)
        return str(answer.json().get("username", form.username))

    async def start_password_reset(
        self, identifier: str, channel: str, client_address: str | None
    ) -> CodeSent:
        body = {"identifier": identifier, "channel": channel}
        answer = await self._call("POST", "/v1/password-resets", client_address, json=body)
        sent = answer.json()
        return CodeSent(str(sent["reset_id"]), str(sent.get("sent_to", "")))

    async def confirm_password_reset(
        self, reset_id: str, code: str, new_password: str, client_address: str | None
    ) -> None:
        body = {"code": code, "new_password": new_password}
        path = f"/v1/password-resets/{quote(reset_id, safe='')}/confirm"
        await self._call("POST", path, client_address, json=body)

    async def report_compromise(self, access_token: str) -> None:
        await self._call("POST", "/v1/me/compromised", headers=bearer(access_token))

    async def csam_start(self, client_address: str | None) -> CsamStarted:
        """``GET /v1/csam/login`` server-side: identity's redirect to the provider and its
        browser-binding cookie, which the portal keeps in its own session (never left in
        this shared client's cookie jar)."""
        answer = await self._call("GET", "/v1/csam/login", client_address)
        secret = answer.cookies.get(CSAM_COOKIE)
        self._client.cookies.clear()
        location = answer.headers.get("location")
        if answer.status_code != 302 or not location or not secret:
            raise ServiceProblem(503, "identity did not start a CSAM login")
        return CsamStarted(location, secret)

    async def csam_finish(
        self, answer: dict[str, str], browser_secret: str, client_address: str | None
    ) -> CsamLoggedIn | CsamSignup:
        """The provider's redirect back (``code``, ``state``, ``iss`` or ``error``) passed
        on to ``GET /v1/csam/callback`` with the login's browser binding."""
        params = {k: v for k, v in answer.items() if k in ("code", "state", "iss", "error")}
        headers = {"Cookie": f"{CSAM_COOKIE}={browser_secret}"}
        try:
            response = await self._call(
                "GET", "/v1/csam/callback", client_address, params=params, headers=headers
            )
        finally:
            self._client.cookies.clear()
        return csam_result(response.json())

    async def csam_sign_up(
        self, signup_id: str, terms_version: str, client_address: str | None
    ) -> CsamLoggedIn:
        body = {"accept_terms": True, "terms_version": terms_version}
        path = f"/v1/csam/signups/{quote(signup_id, safe='')}"
        result = csam_result((await self._call("POST", path, client_address, json=body)).json())
        if not isinstance(result, CsamLoggedIn):
            raise ServiceProblem(503, "identity did not open the account")
        return result


CSAM_COOKIE = "mylm_csam_login"  # identity's browser-binding cookie (api_csam.COOKIE)


def identity_problem(response: httpx.Response) -> IdentityProblem:
    """A problem+json answer with identity's ``reason`` and ``attempts_left``."""
    base = problem(response)
    reason, attempts = None, None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        reason = str(body["reason"]) if body.get("reason") else None
        left = body.get("attempts_left")
        attempts = int(left) if isinstance(left, int) else None
    return IdentityProblem(base.status, base.detail, base.retry_after, reason, attempts)


def csam_result(body: dict[str, Any]) -> CsamLoggedIn | CsamSignup:
    if body.get("status") == "signup-required":
        return CsamSignup(str(body["signup_id"]), str(body["terms_version"]))
    return CsamLoggedIn(token_pair(body), str(body["member_id"]))
