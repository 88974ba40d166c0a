"""The home page and the member's invoices (issue 20 item 2): open ones with the total
due, one invoice with its lines, its PDF streamed from billing."""

from decimal import Decimal

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, StreamingResponse

from portal.web import NotLoggedIn, Web


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
        due = sum((i.outstanding for i in invoices), Decimal("0"))
        return web.page(request, "home.html", member=member, due=due, count=len(invoices))

    @router.get("/invoices", response_class=HTMLResponse)
    async def invoices(request: Request) -> Response:
        caller = await web.caller(request)
        found = await billing.open_invoices(caller.access_token, caller.member_id)
        due = sum((i.outstanding for i in found), Decimal("0"))
        return web.page(request, "invoices.html", invoices=found, due=due)

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

    @router.get("/invoices/{invoice_id}", response_class=HTMLResponse)
    async def invoice(invoice_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        found = await billing.invoice(caller.access_token, invoice_id)
        if found is None:
            return web.not_found(request)
        return web.page(request, "invoice.html", invoice=found)

    return router
