"""billing-svc as the portal uses it: a member's invoices, one invoice, its PDF."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

import httpx

from portal.ports import Download, ServiceProblem
from portal.upstream.http import bearer, download, send


@dataclass(frozen=True)
class InvoiceLine:
    service_date: date
    description: str
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    issue_date: date
    due_date: date
    total: Decimal
    outstanding: Decimal
    status: str  # open | paid | overdue | cancelled
    structured_reference: str
    lines: tuple[InvoiceLine, ...] = field(default=())


@dataclass(frozen=True)
class Payment:
    """How to pay an open invoice (billing ``GET /v1/invoices/{id}/payment``): what its
    EPC069-12 QR code carries (``epc_payload``, billing's builder), readable as text."""

    beneficiary_name: str
    iban: str
    iban_printed: str
    bic: str
    amount: Decimal
    structured_reference: str
    epc_payload: str
    demo_account: bool = False


@dataclass(frozen=True)
class EInvoicing:
    """A member's e-invoicing switch (EI-2, EI-3): on = invoices in My LM, no paper; off =
    paper invoices by post. ``since`` None: never switched (no account: off)."""

    enabled: bool
    since: datetime | None = None


class BillingPort(Protocol):
    async def open_invoices(self, access_token: str, member_id: str) -> list[Invoice]: ...
    async def invoice(self, access_token: str, invoice_id: str) -> Invoice | None: ...
    async def invoice_pdf(self, access_token: str, invoice_id: str) -> Download | None: ...
    # invoices (issue 20 item 2): the paid ones, how to pay an open one (its QR code)
    async def paid_invoices(self, access_token: str, member_id: str) -> list[Invoice]: ...
    async def payment(self, access_token: str, invoice_id: str) -> Payment | None: ...
    # settings (issue 20 item 2): billing's e-invoicing switch
    async def einvoicing(self, access_token: str, member_id: str) -> EInvoicing: ...
    async def set_einvoicing(
        self, access_token: str, member_id: str, enabled: bool
    ) -> EInvoicing: ...


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
        response = await send(self._client, "GET", url, params=params, headers=bearer(access_token))
        return [_invoice(item) for item in response.json()["items"]]

    async def invoice(self, access_token: str, invoice_id: str) -> Invoice | None:
        url = f"{self._base}/v1/invoices/{invoice_id}"
        try:
            response = await send(self._client, "GET", url, headers=bearer(access_token))
        except ServiceProblem as problem:
            if problem.status == 404:
                return None
            raise
        return _invoice(response.json())

    async def invoice_pdf(self, access_token: str, invoice_id: str) -> Download | None:
        url = f"{self._base}/v1/invoices/{invoice_id}.pdf"
        disposition = f'inline; filename="invoice-{invoice_id}.pdf"'
        return await download(self._client, url, access_token, "application/pdf", disposition)

    async def paid_invoices(self, access_token: str, member_id: str) -> list[Invoice]:
        """The newest 50 paid invoices (billing's ``status=paid``, newest first)."""
        url = f"{self._base}/v1/members/{member_id}/invoices"
        params = {"status": "paid", "limit": "50"}
        response = await send(self._client, "GET", url, params=params, headers=bearer(access_token))
        return [_invoice(item) for item in response.json()["items"]]

    async def payment(self, access_token: str, invoice_id: str) -> Payment | None:
        """How to pay an open invoice; None when there is nothing to pay (paid or
        cancelled: 409) or no such invoice (404)."""
        url = f"{self._base}/v1/invoices/{invoice_id}/payment"
        try:
            response = await send(self._client, "GET", url, headers=bearer(access_token))
        except ServiceProblem as problem:
            if problem.status in (404, 409):
                return None
            raise
        body = response.json()
        return Payment(
            beneficiary_name=str(body["beneficiary_name"]),
            iban=str(body["iban"]),
            iban_printed=str(body.get("iban_printed") or body["iban"]),
            bic=str(body.get("bic", "")),
            amount=Decimal(body["amount"]),
            structured_reference=str(body["structured_reference"]),
            epc_payload=str(body["epc_payload"]),
            demo_account=bool(body.get("demo_account", False)),
        )

    async def einvoicing(self, access_token: str, member_id: str) -> EInvoicing:
        url = f"{self._base}/v1/members/{member_id}/einvoicing"
        response = await send(self._client, "GET", url, headers=bearer(access_token))
        return _einvoicing(response.json())

    async def set_einvoicing(self, access_token: str, member_id: str, enabled: bool) -> EInvoicing:
        url = f"{self._base}/v1/members/{member_id}/einvoicing"
        body = {"enabled": enabled}
        response = await send(self._client, "PUT", url, json=body, headers=bearer(access_token))
        return _einvoicing(response.json())


def _einvoicing(body: dict[str, Any]) -> EInvoicing:
    since = body.get("since")
    return EInvoicing(
        enabled=bool(body["enabled"]), since=datetime.fromisoformat(since) if since else None
    )
