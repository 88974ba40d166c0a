"""The member's settings (issue 20 item 2, "My Settings" of the terms): e-invoicing on or
off (billing, EI-2/EI-3: off means paper invoices by post), the inbox on or off (inbox,
IN-2/IN-3: off means documents by post), e-mails per category (notify, EI-4; security
messages cannot be switched off) and the notification address, changed with a code sent
to the new address (notify).

``/settings`` shows the three switches and the address in use, with a change waiting for
its code (notify ``GET …/email``); ``/settings/address`` asks for the code and
``/settings/address/confirm`` takes it. Each form posts, then redirects with a notice
(post/redirect/get); a refusal is shown on the form, in the member's words."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from mylm_shared.kernel.formatting import day
from mylm_shared.texts.portal import portal_text

from portal.ports import Language, ServiceProblem
from portal.upstream.notify import CATEGORIES, AddressRefused, EmailSwitches, PendingAddress
from portal.web import Caller, Web, problem_message

BELGIUM = ZoneInfo("Europe/Brussels")
# the notices a redirect may name (?notice=…): only these texts are ever shown, each in
# the section it is about (the redirect's fragment scrolls there)
NOTICES = {
    "einvoicing-on": ("einvoicing", "settings_einvoicing_on_done"),
    "einvoicing-off": ("einvoicing", "settings_einvoicing_off_done"),
    "inbox-on": ("inbox-switch", "settings_inbox_on_done"),
    "inbox-off": ("inbox-switch", "settings_inbox_off_done"),
    "emails": ("emails", "settings_emails_done"),
    "address": ("address", "settings_address_done"),
}
SWITCH_PROBLEMS = {503: "settings_unavailable"}


def _belgian_day(value: datetime | None) -> datetime | None:
    return value.astimezone(BELGIUM) if value is not None and value.tzinfo else value


def _on(form_value: object) -> bool | None:
    """A switch's radio button: ``on``/``off``; anything else is no choice."""
    return {"on": True, "off": False}.get(str(form_value)) if form_value is not None else None


def _pending_text(pending: PendingAddress, language: Language) -> str:
    """The change waiting for its code, with the time its code stops counting (Brussels
    time; "09:15" in Dutch, "09 h 15" in French)."""
    until = pending.expires_at.astimezone(BELGIUM)
    time = f"{until:%H:%M}" if language == "nl" else f"{until:%H} h {until:%M}"
    return portal_text(
        "settings_address_pending", language, address=pending.address, time=time, date=day(until)
    )


def _too_many_codes(problem: ServiceProblem, language: Language) -> str:
    """notify's 429 (EI-4: too many code e-mails for the member), with the wait."""
    minutes = max(1, -(-(problem.retry_after or 60) // 60))
    if minutes == 1:
        return portal_text("settings_address_too_many_minute", language)
    return portal_text("settings_address_too_many", language, minutes=minutes)


def _code_message(refused: ServiceProblem, language: Language) -> str:
    """notify's refusal of a code, as the member reads it."""
    if isinstance(refused, AddressRefused):
        if refused.reason == "wrong-code" or (refused.status == 422 and refused.reason is None):
            left = refused.attempts_left
            if left == 1:
                return portal_text("settings_code_wrong_last", language)
            if left is not None:
                return portal_text("settings_code_wrong", language, left=left)
            return portal_text("settings_code_wrong_plain", language)
        if refused.reason == "attempts-exhausted":
            return portal_text("settings_code_locked", language)
        if refused.reason == "expired" or refused.status == 410:
            return portal_text("settings_code_expired", language)
        if refused.reason == "no-pending-change" or refused.status == 409:
            return portal_text("settings_code_none", language)
    return problem_message(refused, language, {503: "unavailable"})


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    billing, inbox, notify = web.services.billing, web.services.inbox, web.services.notify

    async def settings_page(
        request: Request,
        caller: Caller,
        status: int = 200,
        *,
        error: str | None = None,
        error_in: str | None = None,
    ) -> Response:
        """The three switches as they stand; one the service cannot tell now is shown as
        unavailable (e.g. billing's maintenance window, EI-7) and the others still work."""
        found: dict[str, Any] = {}
        token, member = caller.access_token, caller.member_id
        for name, read in (
            ("einvoicing", lambda: billing.einvoicing(token, member)),
            ("inbox_on", lambda: inbox.inbox_settings(token, member)),
            ("emails", lambda: notify.preferences(token, member)),
            ("address", lambda: notify.address(token, member)),
        ):
            try:
                found[name] = await read()
            except ServiceProblem as problem:
                if problem.status < 500:
                    raise
                found[name] = None
        notice_in, notice_key = NOTICES.get(request.query_params.get("notice", ""), ("", ""))
        einvoicing = found["einvoicing"]
        address = found["address"]
        pending = address.pending if address else None
        return web.page(
            request,
            "settings.html",
            status,
            einvoicing=einvoicing,
            einvoicing_since=_belgian_day(einvoicing.since) if einvoicing else None,
            inbox_on=found["inbox_on"],
            emails=found["emails"],
            categories=CATEGORIES,
            address=address,
            pending=_pending_text(pending, caller.language) if pending else None,
            notice=portal_text(notice_key, caller.language) if notice_key else None,
            notice_in=notice_in,
            error=error,
            error_in=error_in,
        )

    @router.get("/settings", response_class=HTMLResponse)
    async def settings(request: Request) -> Response:
        caller = await web.caller(request)
        return await settings_page(request, caller)

    async def switched(
        request: Request, caller: Caller, section: str, change: Any, notice: str
    ) -> Response:
        try:
            await change()
        except ServiceProblem as problem:
            if problem.status == 401:
                raise
            message = problem_message(problem, caller.language, SWITCH_PROBLEMS)
            status = problem.status if 400 <= problem.status < 500 else 503
            return await settings_page(request, caller, status, error=message, error_in=section)
        return RedirectResponse(f"/settings?notice={notice}#{section}", status_code=303)

    @router.post("/settings/einvoicing")
    async def set_einvoicing(request: Request) -> Response:
        """EI-3: the member switches e-invoicing off (paper from the next invoice) or on
        again (EI-2: no paper)."""
        form = await web.checked_form(request)
        caller = await web.caller(request)
        enabled = _on(form.get("einvoicing"))
        if enabled is None:
            return RedirectResponse("/settings#einvoicing", status_code=303)

        async def change() -> None:
            await billing.set_einvoicing(caller.access_token, caller.member_id, enabled)

        notice = "einvoicing-on" if enabled else "einvoicing-off"
        return await switched(request, caller, "einvoicing", change, notice)

    @router.post("/settings/inbox")
    async def set_inbox(request: Request) -> Response:
        """IN-3: the inbox on or off at any time; off, documents go by post."""
        form = await web.checked_form(request)
        caller = await web.caller(request)
        enabled = _on(form.get("inbox"))
        if enabled is None:
            return RedirectResponse("/settings#inbox-switch", status_code=303)

        async def change() -> None:
            await inbox.set_inbox_settings(caller.access_token, caller.member_id, enabled)

        notice = "inbox-on" if enabled else "inbox-off"
        return await switched(request, caller, "inbox-switch", change, notice)

    @router.post("/settings/emails")
    async def set_emails(request: Request) -> Response:
        """EI-4: e-mails per category; a box not ticked is a category switched off."""
        form = await web.checked_form(request)
        caller = await web.caller(request)
        switches = EmailSwitches(**{c: form.get(c) == "on" for c in CATEGORIES})

        async def change() -> None:
            await notify.set_preferences(caller.access_token, caller.member_id, switches)

        return await switched(request, caller, "emails", change, "emails")

    @router.get("/settings/address", response_class=HTMLResponse)
    async def address_page(request: Request) -> Response:
        await web.caller(request)
        return web.page(request, "settings_address.html", address="", error=None)

    @router.post("/settings/address", response_class=HTMLResponse)
    async def request_address(request: Request) -> Response:
        """A code to the new address; nothing changes until it is confirmed."""
        form = await web.checked_form(request)
        caller = await web.caller(request)
        address = str(form.get("address", "")).strip()
        try:
            if "@" not in address or len(address) > 254:
                raise AddressRefused(422, "", "invalid-address")
            await notify.request_address(caller.access_token, caller.member_id, address)
        except ServiceProblem as problem:
            if problem.status == 401:
                raise
            if problem.status == 422:
                error = portal_text("settings_address_invalid", caller.language)
            elif problem.status == 429:
                error = _too_many_codes(problem, caller.language)
            elif problem.status == 503:
                error = portal_text("settings_address_not_sent", caller.language)
            else:
                error = problem_message(problem, caller.language, {})
            status = problem.status if 400 <= problem.status < 500 else 503
            return web.page(request, "settings_address.html", status, address=address, error=error)
        return RedirectResponse("/settings/address/confirm?sent=1", status_code=303)

    @router.get("/settings/address/confirm", response_class=HTMLResponse)
    async def confirm_page(request: Request) -> Response:
        await web.caller(request)
        sent = request.query_params.get("sent") == "1"
        return web.page(request, "settings_confirm.html", sent=sent, error=None)

    @router.post("/settings/address/confirm", response_class=HTMLResponse)
    async def confirm_address(request: Request) -> Response:
        form = await web.checked_form(request)
        caller = await web.caller(request)
        code = "".join(str(form.get("code", "")).split())
        try:
            if not code:
                error = portal_text("settings_code_empty", caller.language)
                return web.page(request, "settings_confirm.html", 422, sent=False, error=error)
            await notify.confirm_address(caller.access_token, caller.member_id, code)
        except ServiceProblem as problem:
            if problem.status == 401:
                raise
            error = _code_message(problem, caller.language)
            status = problem.status if 400 <= problem.status < 500 else 503
            return web.page(request, "settings_confirm.html", status, sent=False, error=error)
        return RedirectResponse("/settings?notice=address#address", status_code=303)

    return router
