"""The portal's adapters: identity and billing over HTTP (httpx), sessions in MongoDB."""

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from mylm_shared.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection

from portal.ports import (
    Download,
    Invoice,
    InvoiceLine,
    Member,
    PortalSession,
    ServiceProblem,
    TokenPair,
)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _problem(response: httpx.Response) -> ServiceProblem:
    detail = ""
    try:
        body = response.json()
        if isinstance(body, dict):
            detail = str(body.get("detail") or body.get("title") or "")
    except ValueError:
        pass
    retry = response.headers.get("Retry-After")
    return ServiceProblem(
        response.status_code, detail, int(retry) if retry and retry.isdigit() else None
    )


async def _send(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> httpx.Response:
    try:
        response = await client.request(method, url, **kw)
    except httpx.HTTPError as error:
        raise ServiceProblem(503, f"not answering: {type(error).__name__}") from error
    if response.status_code >= 400:
        raise _problem(response)
    return response


def _pair(body: dict[str, Any]) -> TokenPair:
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
        response = await _send(self._client, "POST", url, json=body, headers=headers)
        return _pair(response.json())

    async def refresh(self, refresh_token: str) -> TokenPair:
        body = {"refresh_token": refresh_token}
        url = f"{self._base}/v1/sessions/refresh"
        return _pair((await _send(self._client, "POST", url, json=body)).json())

    async def revoke(self, refresh_token: str) -> None:
        body = {"refresh_token": refresh_token}
        await _send(self._client, "POST", f"{self._base}/v1/sessions/revoke", json=body)

    async def log_out_everywhere(self, access_token: str) -> None:
        url = f"{self._base}/v1/me/sessions"
        await _send(self._client, "DELETE", url, headers=_bearer(access_token))

    async def me(self, access_token: str) -> Member | None:
        url = f"{self._base}/v1/me"
        body = (await _send(self._client, "GET", url, headers=_bearer(access_token))).json()
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


def _invoice(body: dict[str, Any]) -> Invoice:
    return Invoice(
        invoice_id=str(body["invoice_id"]),
        issue_date=date.fromisoformat(body["issue_date"]),
        due_date=date.fromisoformat(body["due_date"]),
        total=Decimal(body["total"]),
        outstanding=Decimal(body.get("outstanding", body["total"])),
        status=str(body["status"]),
        structured_reference=str(body.get("structured_reference", "")),
        lines=tuple(
            InvoiceLine(
                service_date=date.fromisoformat(line["service_date"]),
                description=str(line["description"]),
                amount=Decimal(line["amount"]),
            )
            for line in body.get("lines", [])
        ),
    )


class HttpBilling:
    """billing-svc's member routes, called with the member's own access token."""

    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self._client = client
        self._base = base_url.rstrip("/")

    async def open_invoices(self, access_token: str, member_id: str) -> list[Invoice]:
        url = f"{self._base}/v1/members/{member_id}/invoices"
        params = {"status": "open", "limit": "200"}
        response = await _send(
            self._client, "GET", url, params=params, headers=_bearer(access_token)
        )
        return [_invoice(item) for item in response.json()["items"]]

    async def invoice(self, access_token: str, invoice_id: str) -> Invoice | None:
        url = f"{self._base}/v1/invoices/{invoice_id}"
        try:
            response = await _send(self._client, "GET", url, headers=_bearer(access_token))
        except ServiceProblem as problem:
            if problem.status == 404:
                return None
            raise
        return _invoice(response.json())

    async def invoice_pdf(self, access_token: str, invoice_id: str) -> Download | None:
        request = self._client.build_request(
            "GET", f"{self._base}/v1/invoices/{invoice_id}.pdf", headers=_bearer(access_token)
        )
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as error:
            raise ServiceProblem(503, "not answering") from error
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            if response.status_code == 404:
                return None
            raise _problem(response)

        async def chunks() -> AsyncIterator[bytes]:
            try:
                async for chunk in response.aiter_bytes():
                    yield chunk
            finally:
                await response.aclose()

        return Download(
            media_type="application/pdf",
            disposition=f'inline; filename="invoice-{invoice_id}.pdf"',
            chunks=chunks(),
        )


class MongoSessions:
    """Sessions in the portal's own database (collection ``sessions``), ``_id`` the
    SHA-256 of the cookie's id; one writer per document (its own browser)."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._sessions = collection

    async def get(self, key: str) -> PortalSession | None:
        doc = await self._sessions.find_one({"_id": key})
        if doc is None:
            return None
        return PortalSession(
            key=doc["_id"],
            csrf=doc["csrf"],
            language="fr" if doc.get("language") == "fr" else "nl",
            created_at=doc["created_at"],
            last_seen=doc["last_seen"],
            member_id=doc.get("member_id"),
            access_token=doc.get("access_token"),
            refresh_token=doc.get("refresh_token"),
            access_expires_at=doc.get("access_expires_at"),
        )

    async def put(self, session: PortalSession) -> None:
        doc: Document = {
            "_id": session.key,
            "csrf": session.csrf,
            "language": session.language,
            "created_at": session.created_at,
            "last_seen": session.last_seen,
            "member_id": session.member_id,
            "access_token": session.access_token,
            "refresh_token": session.refresh_token,
            "access_expires_at": session.access_expires_at,
        }
        await self._sessions.replace_one({"_id": session.key}, doc, upsert=True)

    async def delete(self, key: str) -> None:
        await self._sessions.delete_one({"_id": key})
