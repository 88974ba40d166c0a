"""Claims (issue 20 item 2; CL-1, CL-2, PA-7, PA-8, LA-6, LA-8, LA-9): the member's
claims with their next deadline, declaring one (the contract and the cover, then the
facts that cover needs, an optional photo or PDF), one claim (status and history,
deadlines, evidence, the letters in the inbox, offers) and accepting an offer with an
IBAN (claims-svc asks for a recent login: the member confirms with their password)."""

import re
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from mylm_shared.texts.portal import portal_text
from starlette.datastructures import FormData, UploadFile

from portal.ports import Language, ServiceProblem
from portal.upstream.claims import (
    Claim,
    ClaimRefused,
    EvidenceFile,
)
from portal.upstream.policy import Policy
from portal.web import Caller, Web, problem_message

BRUSSELS = ZoneInfo("Europe/Brussels")
# claims-svc's MAX_DOCUMENT_BYTES (10 MB; the gateway's upload routes allow as much)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}
AMOUNT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
# the covers a member declares here; the others by phone (assistance 24/7, LAR)
FORM_COVERS = ("accident", "e_merchant_goods", "e_merchant_service")
EPROTECTION = ("e_merchant_goods", "e_merchant_service")
# LA-8 / LA-9: the sellers' countries the cover knows, first in the list
NEAR_COUNTRIES = ("BE", "NL", "FR", "DE", "LU")
DONE = ("declared", "evidence", "accepted")


@dataclass(frozen=True)
class Field:
    """One input of a cover's facts form: ``kind`` date, amount, country, choice, check."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str = ""
    group: str = ""

    @property
    def input_id(self) -> str:
        return f"claim-{self.name.replace('_', '-')}"


def _event(group: str) -> Field:
    """The day of the accident or the harmful event (the label names it per cover)."""
    return Field("event_date", "date", required=True, group=group)


FORMS: dict[str, tuple[Field, ...]] = {
    "accident": (
        _event("main"),
        Field("country", "country", required=True, default="BE", group="main"),
        Field("trip_departed_on", "date", group="main"),
        Field("trip_ends_on", "date", group="main"),
        Field("motor_vehicle_traffic", "check", group="main"),
        Field("claimed_amount", "amount", group="main"),
    ),
    "e_merchant_goods": (
        Field("price", "amount", required=True, group="purchase"),
        Field("seller_country", "country", required=True, default="BE", group="purchase"),
        Field("bought_online", "check", default="on", group="purchase"),
        Field("seller_professional", "check", default="on", group="purchase"),
        Field("new", "check", default="on", group="purchase"),
        Field("transportable", "check", default="on", group="purchase"),
        Field(
            "defect",
            "choice",
            required=True,
            choices=(
                "not_delivered",
                "broken",
                "incomplete",
                "damaged_or_non_conforming",
                "not_matching_specs",
            ),
            group="delivery",
        ),
        _event("delivery"),
        Field("promised_delivery_on", "date", group="delivery"),
        Field("delivered_on", "date", group="delivery"),
        Field(
            "delivery_method",
            "choice",
            required=True,
            choices=("tracked_post", "private_carrier", "other"),
            default="tracked_post",
            group="delivery",
        ),
        Field("delivery_country", "country", required=True, default="BE", group="delivery"),
    ),
    "e_merchant_service": (
        Field("price", "amount", required=True, group="purchase"),
        Field("seller_country", "country", required=True, default="BE", group="purchase"),
        Field("bought_online", "check", default="on", group="purchase"),
        Field("seller_professional", "check", default="on", group="purchase"),
        Field(
            "defect",
            "choice",
            required=True,
            choices=("not_performed", "badly_performed"),
            group="problem",
        ),
        _event("problem"),
    ),
}
# claims-svc's field names that the form shows under another name
API_FIELDS = {"principal_stake": "price", "policy_id": "policy", "file": "evidence"}


def countries(language: Language) -> list[tuple[str, str]]:
    """Every country by its name in the member's language (CLDR), the e-merchant
    countries (LA-8) first."""
    names = Locale.parse("nl_BE" if language == "nl" else "fr_BE").territories
    rest = sorted(
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NEAR_COUNTRIES and code != "ZZ"
    )
    near = [(code, names.get(code, code)) for code in NEAR_COUNTRIES]
    return near + sorted(rest, key=lambda item: item[1])


def amount_of(typed: str) -> str:
    """An amount as Belgians type it ("1.234,50", "400", "€ 12,5") as claims-svc's
    decimal string ("1234.50"); unreadable input is returned as typed (refused later)."""
    text = typed.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return text


def facts_of(cover: str, form: FormData) -> tuple[dict[str, Any], str, dict[str, str]]:
    """The facts claims-svc takes for ``cover`` from the form, the event date, and the
    portal's own errors (field → text key) for what cannot be sent at all."""
    facts: dict[str, Any] = {}
    errors: dict[str, str] = {}
    event = ""
    for spec in FORMS[cover]:
        raw = form.get(spec.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if spec.kind == "check":
            facts[spec.name] = value == "on"
            continue
        if not value:
            if spec.required:
                errors[spec.name] = (
                    "claims_error_choose" if spec.kind == "choice" else "claims_error_required"
                )
            continue
        if spec.kind == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                errors[spec.name] = "claims_error_date"
                continue
        if spec.kind == "amount":
            value = amount_of(value)
            if not AMOUNT.fullmatch(value):
                errors[spec.name] = "claims_error_amount"
                continue
        if spec.kind == "choice" and value not in spec.choices:
            errors[spec.name] = "claims_error_choose"
            continue
        if spec.kind == "country" and not re.fullmatch(r"[A-Z]{2}", value):
            errors[spec.name] = "claims_error_choose"
            continue
        if spec.name == "event_date":
            event = value
        else:
            facts[spec.name] = value
    if cover in EPROTECTION and "price" in facts:
        facts["principal_stake"] = facts["price"]  # LA-4: the amount in dispute
        if cover == "e_merchant_service":
            del facts["price"]
    if cover == "e_merchant_goods" and "delivered_on" not in facts:
        facts["delivered_on"] = None
    return facts, event, errors


def refusal_errors(refusal: ClaimRefused, cover: str) -> dict[str, str]:
    """claims-svc's 422 on the form's fields: its ``errors`` by name, the engine's CL-1
    (an event after the declaration) on the date, an unknown contract on the date."""
    names = {spec.name for spec in FORMS.get(cover, ())} | {"policy", "evidence"}
    found: dict[str, str] = {}
    for name in refusal.fields:
        shown = API_FIELDS.get(name, name)
        if shown in names:
            spec = next((s for s in FORMS.get(cover, ()) if s.name == shown), None)
            if spec is not None and spec.kind == "amount":
                found[shown] = "claims_error_amount"
            elif spec is not None and spec.kind == "date":
                found[shown] = "claims_error_date"
            else:
                found[shown] = "claims_error_field"
    if refusal.rule == "CL-1":
        found["event_date"] = "claims_error_future"
    elif refusal.status == 422 and not refusal.fields and refusal.rule is None:
        found["event_date"] = "claims_error_no_contract"  # issue 15 item 3: not the claimant's
    return found


async def upload_of(form: FormData, name: str) -> tuple[EvidenceFile | None, str | None]:
    """The file the member chose (None when none), or the text key of why it cannot go:
    larger than claims-svc takes (10 MB) or obviously not a photo or PDF."""
    given = form.get(name)
    if not isinstance(given, UploadFile) or not given.filename:
        return None, None
    data = await given.read(MAX_EVIDENCE_BYTES + 1)
    if len(data) > MAX_EVIDENCE_BYTES:
        return None, "claims_error_file_size"
    if not data:
        return None, "claims_error_file_missing"
    media = given.content_type or "application/octet-stream"
    return EvidenceFile(given.filename[-200:], media, data), None


def evidence_error(problem: ServiceProblem) -> str:
    return {
        413: "claims_error_file_size",
        415: "claims_error_file_type",
        409: "claims_error_file_closed",
    }.get(problem.status, "unavailable")


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    claims, policies_of, inbox = web.services.claims, web.services.policy, web.services.inbox

    def message(key: str, caller: Caller) -> str:
        return portal_text(key, caller.language)

    async def offered_policies(caller: Caller) -> list[Policy]:
        """The member's own contracts a claim may name (policy-svc lists a policyholder's;
        a dependant's claim names the titular's: the "let My LM find it" choice)."""
        try:
            found = await policies_of.policies(caller.access_token, caller.member_id)
        except ServiceProblem as problem:
            if problem.status in (403, 404):
                return []
            raise
        return [p for p in found if p.status not in ("proposed", "terminated")]

    @router.get("/claims", response_class=HTMLResponse)
    async def claim_list(request: Request) -> Response:
        caller = await web.caller(request)
        found = await claims.claims(caller.access_token, caller.member_id)
        return web.page(request, "claims.html", claims=found)

    def new_page(
        request: Request,
        caller: Caller,
        policies: list[Policy],
        *,
        policy: str,
        cover: str | None,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        general: str | None = None,
        status: int = 200,
    ) -> Response:
        chosen = next((p for p in policies if p.policy_id == policy), None)
        covers = [
            c for c in FORM_COVERS if c not in EPROTECTION or chosen is None or chosen.e_protection
        ]
        fields = FORMS.get(cover or "", ())
        shown = {spec.name: spec.default for spec in fields}
        if values is not None:  # a form sent back: what the member gave, boxes as ticked
            shown.update(values)
            shown.update({s.name: values.get(s.name, "") for s in fields if s.kind == "check"})
        return web.page(
            request,
            "claim_new.html",
            status,
            policies=policies,
            policy=policy,
            covers=covers,
            cover=cover if cover in FORMS else None,
            fields=fields,
            values=shown,
            errors=errors or {},
            general=general,
            countries=countries(caller.language),
            idempotency_key=secrets.token_urlsafe(18),
        )

    @router.get("/claims/new", response_class=HTMLResponse)
    async def new_claim(request: Request) -> Response:
        caller = await web.caller(request)
        policies = await offered_policies(caller)
        policy = request.query_params.get("policy", "")
        cover = request.query_params.get("cover")
        if policy and policy not in {p.policy_id for p in policies}:
            policy = ""
        return new_page(request, caller, policies, policy=policy, cover=cover)

    @router.post("/claims/new", response_class=HTMLResponse)
    async def declare(request: Request) -> Response:
        form = await web.checked_form(request)
        caller = await web.caller(request)
        policies = await offered_policies(caller)
        policy = str(form.get("policy", ""))
        cover = str(form.get("cover", ""))
        if cover not in FORMS:
            return new_page(request, caller, policies, policy=policy, cover=None)
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        facts, event, errors = facts_of(cover, form)
        upload, refused_file = await upload_of(form, "evidence")
        if refused_file:
            errors["evidence"] = refused_file
        if errors:
            return new_page(
                request, caller, policies, policy=policy, cover=cover,
                values=values, errors=errors, status=422,
            )  # fmt: skip
        body: dict[str, Any] = {
            "member_id": caller.member_id,
            "cover": cover,
            "event_date": event,
            "facts": facts,
        }
        if policy:
            body["policy_id"] = policy
        key = str(form.get("idempotency_key", "")) or secrets.token_urlsafe(18)
        try:
            claim = await claims.declare(caller.access_token, body, key[:200])
        except ClaimRefused as refusal:
            if refusal.status not in (409, 422):
                raise
            field_errors = refusal_errors(refusal, cover)
            general = None
            if refusal.status == 409:
                general = message("claims_error_conflict", caller)
            elif not field_errors:
                general = problem_message(refusal, caller.language, {})
            return new_page(
                request, caller, policies, policy=policy, cover=cover, values=values,
                errors=field_errors, general=general, status=refusal.status,
            )  # fmt: skip
        target = f"/claims/{claim.claim_id}?done=declared"
        if upload is not None:
            try:
                await claims.add_evidence(caller.access_token, claim.claim_id, upload)
            except ServiceProblem as problem:
                if problem.status >= 500 or problem.status == 401:
                    raise
                target += f"&evidence={problem.status}"
        return RedirectResponse(target, status_code=303)

    async def claim_page(
        request: Request,
        caller: Caller,
        claim: Claim,
        *,
        status: int = 200,
        errors: dict[str, str] | None = None,
        accept_offer: str | None = None,
        iban: str = "",
        reauth: bool = False,
        notice: str | None = None,
    ) -> Response:
        try:
            filed = await inbox.documents(caller.access_token, caller.member_id, limit=200)
            letters = [
                d
                for d in filed.items
                if d.source == "claims" and d.source_id.startswith(claim.claim_id)
            ]
        except ServiceProblem as problem:
            if problem.status == 401:
                raise
            letters = []  # the inbox may be switched off or down: the claim still shows
        return web.page(
            request,
            "claim.html",
            status,
            claim=claim,
            letters=letters,
            errors=errors or {},
            accept_offer=accept_offer,
            iban=iban,
            reauth=reauth,
            notice=notice,
            local=lambda at: at.astimezone(BRUSSELS),
        )

    @router.get("/claims/{claim_id}", response_class=HTMLResponse)
    async def one_claim(claim_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        claim = await claims.claim(caller.access_token, claim_id)
        if claim is None:
            return web.not_found(request)
        done = request.query_params.get("done")
        notice = message(f"claims_done_{done}", caller) if done in DONE else None
        errors: dict[str, str] = {}
        evidence = request.query_params.get("evidence", "")
        if evidence.isdigit():
            reason = message(evidence_error(ServiceProblem(int(evidence))), caller)
            errors["file"] = portal_text(
                "claims_error_evidence_after_declaring", caller.language, reason=reason
            )
        return await claim_page(request, caller, claim, errors=errors, notice=notice)

    @router.get("/claims/{claim_id}/documents/{document_id}")
    async def evidence_file(claim_id: str, document_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        found = await claims.evidence(caller.access_token, claim_id, document_id)
        if found is None:
            return web.not_found(request)
        return StreamingResponse(
            found.chunks,
            media_type=found.media_type,
            headers={"Content-Disposition": found.disposition},
        )

    @router.post("/claims/{claim_id}/documents", response_class=HTMLResponse)
    async def add_evidence(claim_id: str, request: Request) -> Response:
        form = await web.checked_form(request)
        caller = await web.caller(request)
        claim = await claims.claim(caller.access_token, claim_id)
        if claim is None:
            return web.not_found(request)
        upload, refused_file = await upload_of(form, "file")
        if upload is None:
            key = refused_file or "claims_error_file_missing"
            errors = {"file": message(key, caller)}
            return await claim_page(request, caller, claim, status=422, errors=errors)
        try:
            await claims.add_evidence(caller.access_token, claim_id, upload)
        except ServiceProblem as problem:
            if problem.status >= 500 or problem.status == 401:
                raise
            if problem.status == 404:
                return web.not_found(request)
            errors = {"file": message(evidence_error(problem), caller)}
            return await claim_page(request, caller, claim, status=problem.status, errors=errors)
        return RedirectResponse(f"/claims/{claim_id}?done=evidence", status_code=303)

    async def confirmed_token(
        request: Request, caller: Caller, username: str, password: str
    ) -> tuple[str, str] | None:
        """Issue 15 item 7: the member logs in again just now for one acceptance: a
        fresh access token (exchanged for the dependant's dossier when one is open) and
        the new refresh token (revoked after use: the session keeps its own tokens and
        its dossier); None when it is not this member."""
        identity = web.services.identity
        client = request.client.host if request.client else None
        try:
            pair = await identity.log_in(username, password, client)
        except ServiceProblem as problem:
            if problem.status >= 500:
                raise
            return None
        try:
            member = await identity.me(pair.access_token)
            if member is None or member.member_id != caller.session.member_id:
                raise ServiceProblem(403, "another account")
            token = pair.access_token
            if caller.member_id != member.member_id:  # a dependant's dossier is open
                token = (await identity.exchange(token, caller.member_id)).access_token
        except ServiceProblem as problem:
            with suppress(ServiceProblem):
                await identity.revoke(pair.refresh_token)
            if problem.status >= 500:
                raise
            return None
        return token, pair.refresh_token

    @router.post("/claims/{claim_id}/offers/{offer_id}/accept", response_class=HTMLResponse)
    async def accept(claim_id: str, offer_id: str, request: Request) -> Response:
        """PA-8 / LA-6: the member accepts the offer with their IBAN. claims-svc wants a
        login younger than 5 minutes for a new payout account (issue 15 item 7): when it
        says so, the page asks for the username and password, and the portal logs the
        same member in again for this acceptance before it repeats it."""
        form = await web.checked_form(request)
        caller = await web.caller(request)
        claim = await claims.claim(caller.access_token, claim_id)
        if claim is None or all(o.offer_id != offer_id for o in claim.offers):
            return web.not_found(request)
        iban = re.sub(r"\s+", " ", str(form.get("iban", ""))).strip().upper()
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        reauth = "username" in form

        async def again(status: int, errors: dict[str, str], ask: bool = reauth) -> Response:
            return await claim_page(
                request, caller, claim, status=status, errors=errors,
                accept_offer=offer_id, iban=iban, reauth=ask,
            )  # fmt: skip

        if not iban:
            return await again(422, {"iban": message("claims_error_required", caller)})
        token, spent = caller.access_token, None
        if username or password:
            confirmed = await confirmed_token(request, caller, username, password)
            if confirmed is None:
                return await again(401, {"password": message("claims_error_reauth", caller)})
            token, spent = confirmed
        try:
            await claims.accept(token, claim_id, offer_id, iban)
        except ClaimRefused as refusal:
            if refusal.fresh_login_required:
                errors = {"password": message("claims_error_reauth_needed", caller)}
                return await again(401, errors, ask=True)
            if refusal.status == 422:
                return await again(422, {"iban": message("claims_error_iban", caller)})
            if refusal.status == 409:
                return await again(409, {"iban": message("claims_error_offer_conflict", caller)})
            if refusal.status in (403, 404):
                return web.not_found(request)
            raise
        finally:
            if spent is not None:
                with suppress(ServiceProblem):
                    await web.services.identity.revoke(spent)
        return RedirectResponse(f"/claims/{claim_id}?done=accepted", status_code=303)

    return router
