"""policy-svc as the portal uses it (issue 20 item 2): a member's policies and proposals,
one contract, accepting a proposal, the special conditions PDF — the member routes of
docs/services/policy.md, called with the member's own access token."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Protocol
from urllib.parse import quote

import httpx

from portal.ports import Download, ServiceProblem
from portal.upstream.http import bearer, download, send

# The ground an insured person is insured on (PC-2/PC-3), as policy-svc states it per
# person (``category``); "other" when it names none (not insured, or a ground added later).
Relation = Literal["policyholder", "partner", "child_in", "minor_elsewhere", "student", "other"]
_RELATIONS: tuple[Relation, ...] = (
    "policyholder",
    "partner",
    "child_in",
    "minor_elsewhere",
    "student",
)


def relation_of(category: Any) -> Relation:
    """policy-svc's ``category`` of an insured person as the portal labels it."""
    return next((r for r in _RELATIONS if r == category), "other")


@dataclass(frozen=True)
class Premium:
    """The yearly premium (PC-8: net + taxes + contributions; PC-12: never indexed)."""

    net: Decimal
    taxes: Decimal
    contributions: Decimal
    total: Decimal


@dataclass(frozen=True)
class InsuredPerson:
    person_id: str
    name: str
    rule: str  # PC-2 | PC-3
    reason: str
    relation: Relation = "other"  # policy-svc's ``category`` (issue 20 item 2)


@dataclass(frozen=True)
class FormalNotice:
    """A formal notice for an unpaid premium (PC-8): suspension and, if announced, end."""

    posted_on: date
    admin_costs: Decimal
    suspended_from: date
    terminates_on: date | None


@dataclass(frozen=True)
class PremiumTerm:
    term_number: int
    due_on: date
    paid_on: date | None
    notices: tuple[FormalNotice, ...] = ()

    def state(self, today: date) -> str:
        """paid | open (not due yet or due today) | overdue (PC-8)."""
        if self.paid_on is not None:
            return "paid"
        return "overdue" if self.due_on < today else "open"


@dataclass(frozen=True)
class Ending:
    reason: str
    by: str
    rule: str
    notified_on: date
    effective_on: date


@dataclass(frozen=True)
class Policy:
    policy_id: str
    policyholder_member_id: str
    status: str  # proposed | awaiting_first_premium | active | suspended | terminated
    formula: str  # single | family
    covers: tuple[str, ...]  # accident, assistance, e_protection (PC-1)
    threshold_pct: int
    e_protection: bool
    start_date: date
    proposed_on: date
    signed_on: date | None
    premium: Premium
    insured: tuple[InsuredPerson, ...] = ()
    premium_terms: tuple[PremiumTerm, ...] = ()
    ending: Ending | None = None
    has_conditions: bool = True
    holder_name: str | None = None  # policy-svc's ``policyholder_name``
    # The general conditions' amounts of its covers, by key (PA-5 limit_accident, funeral;
    # AS-3 medical_abroad; LA-11 limit_e_protection): policy-svc's ``cover_amounts``.
    cover_amounts: Mapping[str, Decimal] = field(default_factory=dict)
    proposal_version: str | None = None  # what the member reads and accepts (PC-1)
    accepted_version: str | None = None
    accepted_at: datetime | None = None

    @property
    def is_proposal(self) -> bool:
        return self.status == "proposed"


class PolicyPort(Protocol):
    async def policies(self, access_token: str, member_id: str) -> list[Policy]: ...
    async def policy(self, access_token: str, policy_id: str) -> Policy | None: ...
    async def accept(
        self, access_token: str, policy_id: str, proposal_version: str | None = None
    ) -> Policy: ...
    async def conditions_pdf(
        self, access_token: str, policy_id: str, language: str
    ) -> Download | None: ...


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def policy_of(body: dict[str, Any]) -> Policy:
    """policy-svc's ``PolicyOut`` as the portal keeps it."""
    premium = body["premium"]
    ending = body.get("ending")
    return Policy(
        policy_id=str(body["policy_id"]),
        policyholder_member_id=str(body["policyholder_member_id"]),
        status=str(body["status"]),
        formula=str(body["formula"]),
        covers=tuple(str(c) for c in body.get("covers", [])),
        threshold_pct=int(body["threshold_pct"]),
        e_protection=bool(body.get("e_protection", False)),
        start_date=date.fromisoformat(body["start_date"]),
        proposed_on=date.fromisoformat(body["proposed_on"]),
        signed_on=_day(body.get("signed_on")),
        premium=Premium(
            net=Decimal(premium["net"]),
            taxes=Decimal(premium["taxes"]),
            contributions=Decimal(premium["contributions"]),
            total=Decimal(premium["total"]),
        ),
        insured=tuple(
            InsuredPerson(
                person_id=str(p["person_id"]),
                name=str(p["name"]),
                rule=str(p.get("rule", "")),
                reason=str(p.get("reason", "")),
                relation=relation_of(p.get("category")),
            )
            for p in body.get("insured", [])
            if p.get("insured", True)
        ),
        premium_terms=tuple(
            PremiumTerm(
                term_number=int(t["term_number"]),
                due_on=date.fromisoformat(t["due_on"]),
                paid_on=_day(t.get("paid_on")),
                notices=tuple(
                    FormalNotice(
                        posted_on=date.fromisoformat(n["posted_on"]),
                        admin_costs=Decimal(n["admin_costs"]),
                        suspended_from=date.fromisoformat(n["suspended_from"]),
                        terminates_on=_day(n.get("terminates_on")),
                    )
                    for n in t.get("notices", [])
                ),
            )
            for t in body.get("premium_terms", [])
        ),
        ending=None
        if not ending
        else Ending(
            reason=str(ending["reason"]),
            by=str(ending["by"]),
            rule=str(ending["rule"]),
            notified_on=date.fromisoformat(ending["notified_on"]),
            effective_on=date.fromisoformat(ending["effective_on"]),
        ),
        has_conditions=bool(body.get("documents", [True])),
        holder_name=body.get("policyholder_name") or None,
        cover_amounts={str(a["key"]): Decimal(a["amount"]) for a in body.get("cover_amounts", [])},
        proposal_version=body.get("proposal_version") or None,
        accepted_version=body.get("accepted_version") or None,
        accepted_at=datetime.fromisoformat(body["accepted_at"])
        if body.get("accepted_at")
        else None,
    )


class HttpPolicy:
    """policy-svc's member routes: ``GET /v1/members/{id}/policies``,
    ``GET /v1/policies/{id}``, ``POST /v1/policies/{id}/accept``,
    ``GET /v1/policies/{id}/conditions?language=``."""

    def __init__(self, client: httpx.AsyncClient, base_url: str) -> None:
        self.client = client
        self._base = base_url.rstrip("/")

    async def policies(self, access_token: str, member_id: str) -> list[Policy]:
        url = f"{self._base}/v1/members/{quote(member_id, safe='')}/policies"
        response = await send(self.client, "GET", url, headers=bearer(access_token))
        return [policy_of(item) for item in response.json()["items"]]

    async def policy(self, access_token: str, policy_id: str) -> Policy | None:
        url = f"{self._base}/v1/policies/{quote(policy_id, safe='')}"
        try:
            response = await send(self.client, "GET", url, headers=bearer(access_token))
        except ServiceProblem as problem:
            if problem.status == 404:
                return None
            raise
        return policy_of(response.json())

    async def accept(
        self, access_token: str, policy_id: str, proposal_version: str | None = None
    ) -> Policy:
        """``proposal_version``: the one the member was shown; policy-svc answers 409 when
        the proposal changed since (issue 20 item 2)."""
        url = f"{self._base}/v1/policies/{quote(policy_id, safe='')}/accept"
        body = {"proposal_version": proposal_version} if proposal_version else None
        response = await send(self.client, "POST", url, headers=bearer(access_token), json=body)
        return policy_of(response.json())

    async def conditions_pdf(
        self, access_token: str, policy_id: str, language: str
    ) -> Download | None:
        conditions = f"/v1/policies/{quote(policy_id, safe='')}/conditions"
        url = f"{self._base}{conditions}?language={quote(language, safe='')}"
        disposition = f'inline; filename="conditions-{policy_id}-{language}.pdf"'
        return await download(self.client, url, access_token, "application/pdf", disposition)
