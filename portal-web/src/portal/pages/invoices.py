"""The home page and the member's invoices (issue 20 item 2): open ones with the total
due and the paid ones, each with its state in words; one invoice with its lines, how to
pay it (the EPC069-12 payment QR code the PDF prints, as an SVG from the portal's own
origin, and the same as text); its PDF streamed from billing."""

import io
from decimal import Decimal

import segno
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, StreamingResponse
from mylm_shared.texts.portal import portal_text

from portal.upstream.billing import Invoice
from portal.web import NotLoggedIn, Web

# EPC069-12 (billing.domain.epc_qr.qr_symbol): byte mode, UTF-8, error correction level
# M exactly, version 13 at most (the payload is at most 331 bytes).
QR_ERROR = "M"
QR_SCALE = 5  # px per module: version 13 (69 modules + 2 x 4 quiet) → 385 px, CSS shrinks
QR_BORDER = 4  # the quiet zone ISO/IEC 18004 asks for


def qr_svg(payload: str, title: str) -> bytes:
    """The payment QR code of billing's EPC069-12 payload as a standalone SVG (black on a
    white quiet zone, readable in dark mode too)."""
    symbol = segno.make_qr(payload, error=QR_ERROR, boost_error=False, encoding="utf-8")
    out = io.BytesIO()
    symbol.save(
        out,
        kind="svg",
        scale=QR_SCALE,
        border=QR_BORDER,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title=title,
        svgclass=None,
        lineclass=None,
    )
    return out.getvalue()


def _due(invoices: list[Invoice]) -> Decimal:
    return sum((i.outstanding for i in invoices), Decimal("0"))


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    identity, billing = web.services.identity, web.services.billing

    @router.get("/", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        caller = await web.caller(request)
        member = await identity.me(caller.access_token)
        if member is None:
            raise NotLoggedIn
        invoices = await billing.open_invoices(caller.access_token, caller.member_id)
        overdue = sum(1 for i in invoices if i.status == "overdue")
        return web.page(
            request,
            "home.html",
            member=member,
            due=_due(invoices),
            count=len(invoices),
            overdue=overdue,
        )

    @router.get("/invoices", response_class=HTMLResponse)
    async def invoices(request: Request) -> Response:
        caller = await web.caller(request)
        found = await billing.open_invoices(caller.access_token, caller.member_id)
        paid = await billing.paid_invoices(caller.access_token, caller.member_id)
        return web.page(request, "invoices.html", invoices=found, due=_due(found), paid=paid)

    @router.get("/invoices/{invoice_id}.pdf")
    async def invoice_pdf(invoice_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        download = await billing.invoice_pdf(caller.access_token, invoice_id)
        if download is None:
            return web.not_found(request)
        return StreamingResponse(
            download.chunks,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )

    @router.get("/invoices/{invoice_id}/qr.svg")
    async def invoice_qr(invoice_id: str, request: Request) -> Response:
        """The payment QR code (EPC069-12) of an open invoice, drawn from billing's
        payload; 404 when there is nothing to pay."""
        caller = await web.caller(request)
        payment = await billing.payment(caller.access_token, invoice_id)
        if payment is None:
            return web.not_found(request)
        return Response(
            qr_svg(payment.epc_payload, portal_text("invoices_qr_title", caller.language)),
            media_type="image/svg+xml",
            headers={"Cache-Control": "private, no-store"},
        )

    @router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
    async def invoice(invoice_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        found = await billing.invoice(caller.access_token, invoice_id)
        if found is None:
            return web.not_found(request)
        payment = None
        if found.status in ("open", "overdue") and found.outstanding > 0:
            payment = await billing.payment(caller.access_token, invoice_id)
        return web.page(request, "invoice.html", invoice=found, payment=payment)

    return router
