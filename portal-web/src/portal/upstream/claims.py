"""claims-svc as the portal uses it (issue 20 item 2; docs/services/claims.md): the
member's claims, one claim (decision, deadlines, history, documents, offers, payouts),
a declaration (CL-1), evidence files, accepting an offer with an IBAN. Always with the
member's own access token. (The claim pages read the member's contracts through
``portal.upstream.policy`` and the claim's letters through ``portal.upstream.inbox``.)"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

import httpx

from portal.ports import Download, ServiceProblem
from portal.upstream.http import bearer, download, problem, send

# claims-svc's step-up challenge (issue 15 item 7, RFC 9470): log in again, then repeat.
FRESH_LOGIN_TYPE = "urn:mylm:problem:fresh-login-required"


class ClaimRefused(ServiceProblem):
    """A 4xx of claims-svc with what the portal needs to put it on the right field:
    ``fields`` (the facts' or the body's field names its ``errors`` point at), the
    ``rule`` the engine names, and the problem ``type``."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        fields: tuple[str, ...] = (),
        rule: str | None = None,
        type_: str | None = None,
    ) -> None:
        super().__init__(status, detail)
        self.fields = fields
        self.rule = rule
        self.type = type_

    @property
    def fresh_login_required(self) -> bool:
        return self.status == 401 and self.type == FRESH_LOGIN_TYPE


@dataclass(frozen=True)
class Deadline:
    kind: str  # advance, provisional_offer, final_offer, payment, lar_reimbursement, …
    by: str  # insurer | member
    due_on: date
    rule: str


@dataclass(frozen=True)
class HistoryEntry:
    status: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class Evidence:
    document_id: str
    file_name: str
    media_type: str
    size: int
    received_at: datetime


@dataclass(frozen=True)
class DocumentsRequest:
    documents: tuple[str, ...]
    respond_by: date | None


@dataclass(frozen=True)
class Offer:
    offer_id: str
    kind: str  # advance | provisional | final
    amount: Decimal
    respond_by: date | None
    status: str  # open | accepted | superseded
    accepted_on: date | None = None
    pay_by: date | None = None


@dataclass(frozen=True)
class Payout:
    payout_id: str
    offer_id: str
    amount: Decimal
    iban_last4: str
    pay_by: date
    rule: str
    status: str  # instructed | paid
    paid_on: date | None = None


@dataclass(frozen=True)
class Claim:
    claim_id: str
    claim_number: str
    member_id: str
    policy_id: str
    cover: str
    event_date: date
    declared_on: date
    status: str  # declared, documents_requested, under_assessment, accepted, rejected, closed
    outcome: str  # covered | covered_in_part | rejected
    reason: dict[str, str] = field(default_factory=dict)  # the decision's reason, nl/fr
    late: bool = False  # CL-2: declared late (flagged, staff decide)
    deadlines: tuple[Deadline, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    requests: tuple[DocumentsRequest, ...] = ()
    documents: tuple[Evidence, ...] = ()
    offers: tuple[Offer, ...] = ()
    payouts: tuple[Payout, ...] = ()
    closed_reason: str | None = None

    @property
    def next_deadline(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    @property
    def open(self) -> bool:
        """Evidence is still taken (claims-svc: 409 once decided or closed)."""
        return self.status in ("declared", "documents_requested", "under_assessment")

    def payout_of(self, offer_id: str) -> Payout | None:
        return next((p for p in self.payouts if p.offer_id == offer_id), None)


@dataclass(frozen=True)
class EvidenceFile:
    file_name: str
    media_type: str
    data: bytes


class ClaimsPort(Protocol):
    async def claims(self, access_token: str, member_id: str) -> list[Claim]: ...
    async def claim(self, access_token: str, claim_id: str) -> Claim | None: ...
    async def declare(
        self, access_token: str, body: dict[str, Any], idempotency_key: str
    ) -> Claim: ...
    async def add_evidence(self, access_token: str, claim_id: str, file: EvidenceFile) -> None: ...
    async def evidence(
        self, access_token: str, claim_id: str, document_id: str
    ) -> Download | None: ...
    async def accept(
        self, access_token: str, claim_id: str, offer_id: str, iban: str
    ) -> Payout: ...


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _offer(body: dict[str, Any]) -> Offer:
    return Offer(
        offer_id=str(body["offer_id"]),
        kind=str(body["kind"]),
        amount=Decimal(str(body["amount"])),
        respond_by=_day(body.get("respond_by")),
        status=str(body["status"]),
        accepted_on=_day(body.get("accepted_on")),
        pay_by=_day(body.get("pay_by")),
    )


def _payout(body: dict[str, Any]) -> Payout:
    return Payout(
        payout_id=str(body["payout_id"]),
        offer_id=str(body["offer_id"]),
        amount=Decimal(str(body["amount"])),
        iban_last4=str(body.get("iban_last4", "")),
        pay_by=date.fromisoformat(body["pay_by"]),
        rule=str(body.get("rule", "")),
        status=str(body["status"]),
        paid_on=_day(body.get("paid_on")),
    )


def claim_of(body: dict[str, Any]) -> Claim:
    decision = body.get("decision") or {}
    return Claim(
        claim_id=str(body["claim_id"]),
        claim_number=str(body["claim_number"]),
        member_id=str(body["member_id"]),
        policy_id=str(body.get("policy_id", "")),
        cover=str(body["cover"]),
        event_date=date.fromisoformat(body["event_date"]),
        declared_on=date.fromisoformat(body["declared_on"]),
        status=str(body["status"]),
        outcome=str(body.get("outcome", decision.get("outcome", ""))),
        reason={k: str(v) for k, v in (decision.get("reason") or {}).items()},
        late=bool(decision.get("late_declaration", False)),
        deadlines=tuple(
            Deadline(
                kind=str(d["kind"]),
                by=str(d["by"]),
                due_on=date.fromisoformat(d["due_on"]),
                rule=str(d["rule"]),
            )
            for d in body.get("deadlines", [])
        ),
        history=tuple(
            HistoryEntry(
                status=str(h["status"]),
                at=datetime.fromisoformat(h["at"]),
                reason=h.get("reason"),
            )
            for h in body.get("history", [])
        ),
        requests=tuple(
            DocumentsRequest(
                documents=tuple(str(d) for d in r.get("documents", [])),
                respond_by=_day(r.get("respond_by")),
            )
            for r in body.get("documents_requested", [])
        ),
        documents=tuple(
            Evidence(
                document_id=str(d["document_id"]),
                file_name=str(d["file_name"]),
                media_type=str(d["media_type"]),
                size=int(d["size"]),
                received_at=datetime.fromisoformat(d["received_at"]),
            )
            for d in body.get("documents", [])
        ),
        offers=tuple(_offer(o) for o in body.get("offers", [])),
        payouts=tuple(_payout(p) for p in body.get("payouts", [])),
        closed_reason=body.get("closed_reason"),
    )


def refused(response: httpx.Response) -> ServiceProblem:
    """claims-svc's problem with the fields its ``errors`` name (the last part of each
    ``location`` that is a name: ``["body","facts","e_merchant_goods","price"]`` →
    ``price``), its ``rule`` and ``type``."""
    general = problem(response)
    try:
        body = response.json()
    except ValueError:
        return general
    if not isinstance(body, dict):
        return general
    fields: list[str] = []
    for error in body.get("errors") or []:
        location = [str(p) for p in error.get("location", []) if isinstance(p, str)]
        if location:
            fields.append(location[-1])
    detail = general.detail
    if detail.startswith("iban:"):  # InvalidIban: "iban: …"
        fields.append("iban")
    return ClaimRefused(
        response.status_code,
        detail,
        fields=tuple(fields),
        rule=body.get("rule"),
        type_=body.get("type"),
    )


async def _send(client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> httpx.Response:
    return await send(client, method, url, refused=refused, **kw)


class HttpClaims:
    """claims-svc's member routes."""

    def __init__(self, client: httpx.AsyncClient, claims_url: str) -> None:
        self._client = client
        self._base = claims_url.rstrip("/")

    async def claims(self, access_token: str, member_id: str) -> list[Claim]:
        url = f"{self._base}/v1/members/{member_id}/claims"
        params = {"limit": "200"}
        response = await send(self._client, "GET", url, params=params, headers=bearer(access_token))
        return [claim_of(item) for item in response.json()["items"]]

    async def claim(self, access_token: str, claim_id: str) -> Claim | None:
        url = f"{self._base}/v1/claims/{claim_id}"
        try:
            response = await send(self._client, "GET", url, headers=bearer(access_token))
        except ServiceProblem as found:
            if found.status == 404:
                return None
            raise
        return claim_of(response.json())

    async def declare(self, access_token: str, body: dict[str, Any], idempotency_key: str) -> Claim:
        headers = {**bearer(access_token), "Idempotency-Key": idempotency_key}
        url = f"{self._base}/v1/claims"
        response = await _send(self._client, "POST", url, json=body, headers=headers)
        return claim_of(response.json())

    async def add_evidence(self, access_token: str, claim_id: str, file: EvidenceFile) -> None:
        url = f"{self._base}/v1/claims/{claim_id}/documents"
        files = {"file": (file.file_name, file.data, file.media_type)}
        await _send(self._client, "POST", url, files=files, headers=bearer(access_token))

    async def evidence(self, access_token: str, claim_id: str, document_id: str) -> Download | None:
        url = f"{self._base}/v1/claims/{claim_id}/documents/{document_id}"
        return await download(
            self._client, url, access_token, "application/octet-stream", "attachment"
        )

    async def accept(self, access_token: str, claim_id: str, offer_id: str, iban: str) -> Payout:
        url = f"{self._base}/v1/claims/{claim_id}/offers/{offer_id}/accept"
        response = await _send(
            self._client, "POST", url, json={"iban": iban}, headers=bearer(access_token)
        )
        return _payout(response.json()["payout"])
