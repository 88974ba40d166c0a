"""notify-svc as the portal uses it (issue 20 item 2, settings): the member's e-mail
switches per category (EI-4) and the notification address, changed by a code e-mailed
to the new address (docs/services/notify.md)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, get_args

import httpx

from portal.ports import ServiceProblem
from portal.upstream.http import bearer, problem, send

Category = Literal["invoices", "documents", "policy", "claims"]
CATEGORIES: tuple[Category, ...] = get_args(Category)


@dataclass(frozen=True)
class EmailSwitches:
    """Per category: e-mails sent (True) or not. Security messages are not among them:
    notify always sends those."""

    invoices: bool = True
    documents: bool = True
    policy: bool = True
    claims: bool = True

    def of(self, category: Category) -> bool:
        value: bool = getattr(self, category)
        return value


@dataclass(frozen=True)
class CodeSent:
    """A change of address waiting for its code: where the code went (masked) and until
    when it counts."""

    sent_to: str
    expires_at: datetime
    valid_minutes: int


@dataclass(frozen=True)
class PendingAddress:
    """A new address waiting for its code (in full: the member's own, as typed)."""

    address: str
    expires_at: datetime


@dataclass(frozen=True)
class NotificationAddress:
    """Where notify's e-mails go now (None: no e-mail on file): ``member`` an address the
    member confirmed, ``default`` the e-mail on file; and a change waiting for its code."""

    address: str | None
    source: Literal["default", "member"]
    pending: PendingAddress | None = None


class AddressRefused(ServiceProblem):
    """notify refused an address or a code; ``reason`` is notify's (``invalid-address``,
    ``wrong-code``, ``expired``, ``attempts-exhausted``, ``no-pending-change``)."""

    def __init__(
        self, status: int, detail: str, reason: str | None, attempts_left: int | None = None
    ) -> None:
        super().__init__(status, detail)
        self.reason = reason
        self.attempts_left = attempts_left


class NotifyPort(Protocol):
    async def preferences(self, access_token: str, member_id: str) -> EmailSwitches: ...
    async def set_preferences(
        self, access_token: str, member_id: str, switches: EmailSwitches
    ) -> EmailSwitches: ...
    async def address(self, access_token: str, member_id: str) -> NotificationAddress:
        """notify ``GET …/email``: the address in use and a change waiting (EI-4)."""
        ...

    async def request_address(self, access_token: str, member_id: str, address: str) -> CodeSent:
        """Raises ``AddressRefused`` (422 invalid-address) or ``ServiceProblem`` (429
        with ``retry_after``: too many codes for the member, EI-4; 503)."""
        ...

    async def confirm_address(self, access_token: str, member_id: str, code: str) -> str:
        """The address now in use; ``AddressRefused`` (422 wrong-code with
        ``attempts_left``, 410 expired / attempts-exhausted, 409 no-pending-change)."""
        ...


def _switches(body: dict[str, Any]) -> EmailSwitches:
    email = body.get("email") or {}
    return EmailSwitches(**{c: bool(email.get(c, True)) for c in CATEGORIES})


def address_refused(response: httpx.Response) -> ServiceProblem:
    """notify's refusal of an address change or its code (409, 410, 422) with its
    ``reason`` and ``attempts_left``; any other as the general problem."""
    general = problem(response)
    if response.status_code not in (409, 410, 422):
        return general
    try:
        found = response.json()
    except ValueError:
        found = None
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    left = body.get("attempts_left")
    return AddressRefused(
        response.status_code,
        general.detail,
        str(body["reason"]) if body.get("reason") else None,
        int(left) if isinstance(left, int) else None,
    )


class HttpNotify:
    """notify-svc's member routes, called with the member's own access token."""

    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self._client = client
        self._base = base_url.rstrip("/")

    async def preferences(self, access_token: str, member_id: str) -> EmailSwitches:
        url = f"{self._base}/v1/members/{member_id}/preferences"
        response = await send(self._client, "GET", url, headers=bearer(access_token))
        return _switches(response.json())

    async def set_preferences(
        self, access_token: str, member_id: str, switches: EmailSwitches
    ) -> EmailSwitches:
        url = f"{self._base}/v1/members/{member_id}/preferences"
        body = {"email": {c: switches.of(c) for c in CATEGORIES}}
        response = await send(self._client, "PUT", url, json=body, headers=bearer(access_token))
        return _switches(response.json())

    async def address(self, access_token: str, member_id: str) -> NotificationAddress:
        url = f"{self._base}/v1/members/{member_id}/email"
        body = (await send(self._client, "GET", url, headers=bearer(access_token))).json()
        pending = body.get("pending")
        return NotificationAddress(
            address=str(body["address"]) if body.get("address") else None,
            source="member" if body.get("source") == "member" else "default",
            pending=PendingAddress(
                str(pending["address"]), datetime.fromisoformat(pending["expires_at"])
            )
            if pending
            else None,
        )

    async def request_address(self, access_token: str, member_id: str, address: str) -> CodeSent:
        url = f"{self._base}/v1/members/{member_id}/email"
        body = await self._call("PUT", url, {"address": address}, access_token)
        return CodeSent(
            sent_to=str(body["sent_to"]),
            expires_at=datetime.fromisoformat(body["expires_at"]),
            valid_minutes=int(body.get("code_valid_minutes", 15)),
        )

    async def confirm_address(self, access_token: str, member_id: str, code: str) -> str:
        url = f"{self._base}/v1/members/{member_id}/email/confirm"
        body = await self._call("POST", url, {"code": code}, access_token)
        return str(body["address"])

    async def _call(self, method: str, url: str, body: dict[str, str], token: str) -> Any:
        """A call whose refusal keeps notify's ``reason`` and ``attempts_left``."""
        response = await send(
            self._client, method, url, json=body, headers=bearer(token), refused=address_refused
        )
        return response.json()
