"""billing-svc as the portal uses it: a member's invoices, one invoice, its PDF."""

from dataclasses import dataclass, field
from datetime import date
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


class BillingPort(Protocol):
    async def open_invoices(self, access_token: str, member_id: str) -> list[Invoice]: ...
    async def invoice(self, access_token: str, invoice_id: str) -> Invoice | None: ...
    async def invoice_pdf(self, access_token: str, invoice_id: str) -> Download | None: ...


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
