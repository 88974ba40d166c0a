"""policy-svc HTTP API: staff propose, the policyholder accepts; household, insured
persons and the state on a date; renewal objections and terminations with their dates."""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response
from mylm_shared.auth import CurrentPrincipal, Principal, StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import forbidden, idempotent_create_responses, problem_responses
from pydantic import BaseModel, ConfigDict, Field

from policy.domain.insured import InsuredAnswer
from policy.domain.policy import DeclaredPerson, Policy, state_of
from policy.domain.premiums import premium_due_on
from policy.domain.product import THRESHOLDS_PCT, CoverAmount, cover_amounts
from policy.domain.termination import Channel, Ground, Notice
from policy.entrypoints.access import may_list, recorder, visible_policy
from policy.entrypoints.deps import Policies
from policy.service.handlers import ProposePolicy

router = APIRouter(tags=["policies"])

Party = Literal["policyholder", "insurer"]


class ProposalIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    policyholder_member_id: str = Field(min_length=1, max_length=64)
    formula: Literal["single", "family"]
    start_date: date
    threshold_pct: int = Field(description=f"One of the product's thresholds: {THRESHOLDS_PCT}.")
    e_protection: bool = False


class PremiumOut(BaseModel):
    net: str
    taxes: str
    contributions: str
    total: str
    currency: Literal["EUR"] = "EUR"
    period: Literal["year"] = "year"


class EndingOut(BaseModel):
    reason: str
    by: Party
    rule: str
    notified_on: date
    channel: Channel
    effective_on: date


class DocumentOut(BaseModel):
    kind: Literal["special_conditions", "proposal_conditions"]
    href: str = Field(description="GET it (application/pdf); ``?language=nl|fr|de``.")
    media_type: Literal["application/pdf"] = "application/pdf"

    @classmethod
    def conditions(cls, policy: Policy) -> "DocumentOut":
        kind = "special_conditions" if policy.signed_on else "proposal_conditions"
        return cls(kind=kind, href=f"/v1/policies/{policy.policy_id}/conditions")


class NoticeOut(BaseModel):
    posted_on: date
    channel: str
    admin_costs: str
    suspended_from: date
    terminates_on: date | None


class PremiumTermOut(BaseModel):
    """One yearly premium requested so far (PC-8): when due, whether paid, the notices."""

    term_number: int
    due_on: date
    paid_on: date | None
    notices: list[NoticeOut]

    @classmethod
    def all_of(cls, policy: Policy) -> list["PremiumTermOut"]:
        if policy.signed_on is None:  # a proposal: nothing requested yet
            return []
        account = policy.premiums
        return [
            cls(
                term_number=n,
                due_on=premium_due_on(policy.start_date, n),
                paid_on=account.paid_on(n),
                notices=[
                    NoticeOut(
                        posted_on=x.posted_on,
                        channel=x.channel,
                        admin_costs=str(x.admin_costs),
                        suspended_from=x.suspended_from,
                        terminates_on=x.terminates_on,
                    )
                    for x in account.notices
                    if x.term_number == n
                ],
            )
            for n in range(1, account.renewed_through + 1)
        ]


class CoverAmountOut(BaseModel):
    """An amount of the general conditions for a cover the contract holds (PA-5, AS-3,
    LA-11; never indexed: PC-12), from policy-svc's product data (``domain/product.py``)."""

    key: str = Field(description="limit_accident | funeral | medical_abroad | limit_e_protection")
    cover: str = Field(description="The cover it belongs to (PC-1).")
    amount: str = Field(description="Euros, two decimals.")
    currency: Literal["EUR"] = "EUR"
    rule: str
    per: str = Field(
        description="accident_victim (per accident and victim), accident_insured (per insured "
        "and accident), claim_insurance_year (per claim and insurance year)."
    )

    @classmethod
    def of(cls, amount: CoverAmount) -> "CoverAmountOut":
        return cls(
            key=amount.key,
            cover=amount.cover,
            amount=str(amount.amount),
            rule=amount.rule,
            per=amount.per,
        )


class PolicyOut(BaseModel):
    policy_id: str
    policyholder_member_id: str
    policyholder_name: str = Field(
        description="The policyholder as the special conditions name them."
    )
    status: Literal["proposed", "awaiting_first_premium", "active", "suspended", "terminated"]
    formula: Literal["single", "family"]
    covers: list[str]
    threshold_pct: int
    e_protection: bool
    start_date: date
    proposed_on: date
    signed_on: date | None
    premium: PremiumOut
    cover_amounts: list[CoverAmountOut] = Field(
        description="The general conditions' amounts of the covers it holds (PA-5, AS-3, LA-11)."
    )
    proposal_version: str | None = Field(
        description="A proposal: the version of what it states (covers, premium, start, the "
        "insured); send it with ``POST …/accept`` to accept exactly this (issue 20 item 2). "
        "null once accepted."
    )
    accepted_version: str | None = Field(
        description="The proposal version the policyholder accepted (null: a proposal, or "
        "accepted before it was recorded)."
    )
    accepted_at: datetime | None = Field(description="When it was accepted (UTC).")
    accepted_by: str | None = Field(
        description="The account that accepted: the policyholder's, or a titular acting for them."
    )
    ending: EndingOut | None = Field(description="Set once a termination or objection ends it.")
    insured: list["InsuredOut"] = Field(
        description="Whom it insures (PC-2/PC-3) today, or on the start date before it, holder "
        "first; whether cover runs is ``status`` (PC-4)."
    )
    documents: list[DocumentOut] = Field(description="The special conditions (PDF).")
    premium_terms: list[PremiumTermOut] = Field(
        description="Each yearly premium requested so far, oldest first (invoices: billing)."
    )
    history: list["HistoryOut"] = Field(
        default_factory=list,
        description="Dates staff recorded earlier than received, with who and why (issue 15).",
    )

    @classmethod
    def of(cls, policy: Policy, today: date) -> "PolicyOut":
        p = policy.premium
        e = policy.ending
        a = policy.acceptance
        return cls(
            policy_id=policy.policy_id,
            policyholder_member_id=policy.member_id,
            policyholder_name=policy.holder_name,
            status=policy.state_on(today),
            formula=policy.formula,
            covers=list(policy.covers),
            threshold_pct=policy.threshold_pct,
            e_protection=policy.e_protection,
            start_date=policy.start_date,
            proposed_on=policy.proposed_on,
            signed_on=policy.signed_on,
            premium=PremiumOut(
                net=str(p.net),
                taxes=str(p.taxes),
                contributions=str(p.contributions),
                total=str(p.total),
            ),
            cover_amounts=[CoverAmountOut.of(c) for c in cover_amounts(policy.e_protection)],
            proposal_version=policy.proposal_version if policy.status == "proposed" else None,
            accepted_version=a.version if a else None,
            accepted_at=a.at if a else None,
            accepted_by=a.by if a else None,
            ending=None
            if e is None
            else EndingOut(
                reason=e.reason,
                by=e.by,
                rule=e.rule,
                notified_on=e.notified_on,
                channel=e.channel,
                effective_on=e.effective_on,
            ),
            insured=[]
            if policy.state_on(today) == "terminated"
            else [
                InsuredOut.of(a) for a in policy.insured(max(today, policy.start_date)) if a.insured
            ],
            documents=[DocumentOut.conditions(policy)],
            premium_terms=PremiumTermOut.all_of(policy),
            history=[
                HistoryOut(
                    field=h.field,
                    date_given=h.given,
                    received_on=h.received_on,
                    actor=h.actor,
                    reason=h.reason,
                )
                for h in policy.history
            ],
        )


class PolicyList(BaseModel):
    items: list[PolicyOut]


class PersonIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    person_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    birth_date: date
    relation: Literal["partner", "child"]
    lives_with_policyholder: bool
    married: bool = False
    studying: bool = False


_REASON = (
    "Staff only, required with a date earlier than today (Europe/Brussels): why that is "
    "the real date (e.g. the registered letter's posting date); kept in the contract's "
    "``history`` with the staff member, the date given and the day received."
)
_MEMBER_TODAY = (
    "For a member: today (Europe/Brussels), the default; an earlier date is refused "
    "(422, nothing stored). Staff may give an earlier real date with ``reason``."
)


class HouseholdIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    persons: list[PersonIn] = Field(max_length=30)
    since: date | None = Field(
        default=None,
        description="The date these facts hold from (default: today); the household declared "
        "before holds until then. A coming day announces a change ahead. " + _MEMBER_TODAY,
    )
    reason: str | None = Field(None, min_length=1, max_length=500, description=_REASON)


class InsuredOut(BaseModel):
    person_id: str
    name: str
    insured: bool
    rule: str
    reason: str
    relation: Literal["policyholder", "partner", "child"] = Field(
        description="Who the person is to the policyholder (PC-2/PC-3)."
    )
    category: (
        Literal["policyholder", "partner", "child_in", "minor_elsewhere", "student"] | None
    ) = Field(
        description="The PC-2/PC-3 ground the person is insured on: the policyholder, the "
        "cohabiting partner, a child living in, a minor child living elsewhere, an "
        "unmarried student under 26 living elsewhere; null when not insured."
    )

    @classmethod
    def of(cls, answer: InsuredAnswer) -> "InsuredOut":
        return cls(
            person_id=answer.person_id,
            name=answer.name,
            insured=answer.insured,
            rule=answer.rule,
            reason=answer.reason,
            relation=answer.relation,
            category=answer.category,
        )


class InsuredList(BaseModel):
    date: date
    persons: list[InsuredOut]


class ObjectionIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    by: Party
    posted_on: date | None = Field(
        None,
        description="The posting / service / receipt date (default: today); never later "
        "than today. " + _MEMBER_TODAY,
    )
    channel: Channel
    reason: str | None = Field(None, min_length=1, max_length=500, description=_REASON)


class ObjectionOut(BaseModel):
    contract_ends_on: date = Field(description="The expiry it takes effect at (PC-5).")


class TerminationIn(InputModel):
    """The Contract's fields, plus the optional facts some grounds need (PC-9..PC-11)."""

    model_config = ConfigDict(extra="forbid")
    by: Party
    ground: Ground
    notified_on: date | None = Field(
        None,
        description="Posting, service or receipt date (PC-11; default: today); never later "
        "than today. " + _MEMBER_TODAY,
    )
    channel: Channel
    reason: str | None = Field(None, min_length=1, max_length=500, description=_REASON)
    claim_settled_on: date | None = Field(None, description="after_claim: paid or refused on.")
    departure_on: date | None = Field(
        None,
        description="emigration: the departure date (PC-6); today or a coming day (announced "
        "ahead). " + _MEMBER_TODAY,
    )
    interest_lost_on: date | None = Field(
        None,
        description="interest_lost: the day the insured interest disappeared (PC-6); the "
        "contract runs that day and ends from the day after.",
    )
    fraud_complaint_filed: bool = Field(
        False, description="after_claim by the insurer: proven fraud with a complaint (1 month)."
    )
    change_notified_on: date | None = Field(
        None, description="conditions_change / tariff_change: the insurer's notice of change."
    )
    change_applies_on: date | None = Field(
        None, description="conditions_change / tariff_change: the due date it would apply on."
    )
    change_imposed_by_authorities: bool = False
    reduction_requested_on: date | None = Field(None, description="risk_reduction: asked on.")
    cover_terminated_on: date | None = Field(
        None, description="cover_terminated: the other party's notice ending one cover."
    )
    aggravation_known_on: date | None = None
    never_insurable: bool = False
    amendment_received_on: date | None = None
    amendment_refused_on: date | None = None
    formal_notice_effective_on: date | None = Field(
        None, description="non_payment: the date in the formal notice (>= 15 days)."
    )
    law_changed_on: date | None = None


class TerminationOut(BaseModel):
    effective_on: date = Field(description="First day (0:00) the contract no longer runs.")
    rule: str = Field(description="The rule granting the ground (PC-6, PC-9, PC-10).")


class HistoryOut(BaseModel):
    """A date staff recorded earlier than the day it was received (issue 15 item 4)."""

    field: str = Field(description="e.g. since, posted_on, notified_on, departure_on.")
    date_given: date
    received_on: date = Field(description="The day the service received it (Europe/Brussels).")
    actor: str = Field(description="The staff account that recorded it.")
    reason: str


class StateOut(BaseModel):
    date: date
    status: Literal["proposed", "awaiting_first_premium", "active", "suspended", "terminated"]
    covers: list[str]
    insured: list[InsuredOut]


@router.post(
    "/v1/policies",
    status_code=201,
    response_model=PolicyOut,
    responses=idempotent_create_responses(
        "made the proposal",
        conflict="The Idempotency-Key was used with another body.",
        invalid="Unknown member, threshold not offered, or PC-2 (nothing is stored).",
    ),
)
async def propose(
    body: ProposalIn,
    response: Response,
    principal: StaffPrincipal,
    service: Policies,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> PolicyOut:
    """Staff propose a contract to a member (PC-1, PC-2, PC-8). With an
    ``Idempotency-Key`` the same key and body return the same proposal; another body: 409."""
    command = ProposePolicy(
        member_id=body.policyholder_member_id,
        formula=body.formula,
        start_date=body.start_date,
        threshold_pct=body.threshold_pct,
        e_protection=body.e_protection,
    )
    policy, created = await service.propose(command, principal.subject, idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return PolicyOut.of(policy, service.today())


class AcceptIn(InputModel):
    """What the member was shown (issue 20 item 2); the body is optional."""

    model_config = ConfigDict(extra="forbid")
    proposal_version: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="The ``proposal_version`` the member read; another than the current one "
        "is a 409 (the proposal changed meanwhile: read it again). Omitted: the current one.",
    )


@router.post(
    "/v1/policies/{policy_id}/accept",
    response_model=PolicyOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            403: "Only the policyholder accepts (staff may not).",
            409: "Not a proposal any more, or ``proposal_version`` is not the current one "
            "(``current_version``: the proposal changed since it was shown).",
            422: "PC-2: the single formula's policyholder is not older than 18.",
        },
    ),
)
async def accept(
    policy_id: str,
    principal: CurrentPrincipal,
    service: Policies,
    body: AcceptIn | None = None,
) -> PolicyOut:
    """The policyholder (or a titular acting for them) accepts: the contract is issued,
    ``policy.issued`` and ``premium.due`` follow; cover waits for the first premium (PC-4).
    The version accepted, when and by whom are kept (``accepted_*``; issue 20 item 2)."""
    policy = await visible_policy(service, principal, policy_id)
    if principal.member_id != policy.member_id:
        raise forbidden("Only the policyholder accepts a proposal.")
    shown = body.proposal_version if body else None
    accepted = await service.accept(policy_id, by=principal.account_id, shown_version=shown)
    return PolicyOut.of(accepted, service.today())


@router.get(
    "/v1/policies/{policy_id}",
    response_model=PolicyOut,
    responses=problem_responses(401, 404, 503),
)
async def get_policy(policy_id: str, principal: CurrentPrincipal, service: Policies) -> PolicyOut:
    """One policy, for its policyholder (or an acting titular), staff and services with
    ``policy:read``; status today."""
    policy = await visible_policy(service, principal, policy_id, read=True)
    return PolicyOut.of(policy, service.today())


@router.get(
    "/v1/members/{member_id}/policies",
    response_model=PolicyList,
    responses=problem_responses(401, 403, 503),
)
async def list_policies(
    member_id: str, principal: CurrentPrincipal, service: Policies
) -> PolicyList:
    """A member's policies as policyholder, newest proposal first (AC-1: 403 otherwise;
    services with ``policy:read`` too)."""
    may_list(principal, member_id)
    today = service.today()
    return PolicyList(items=[PolicyOut.of(p, today) for p in await service.policies_of(member_id)])


@router.put(
    "/v1/policies/{policy_id}/household",
    response_model=InsuredList,
    responses=problem_responses(
        401,
        404,
        422,
        503,
        described={422: "``since`` earlier than today by a member, or by staff without reason."},
    ),
)
async def declare_household(
    policy_id: str, body: HouseholdIn, principal: CurrentPrincipal, service: Policies
) -> InsuredList:
    """The policyholder or staff declare the household (PC-3 facts); answers who is
    insured from ``since`` on (issue 15 item 4: never earlier than today for a member)."""
    await visible_policy(service, principal, policy_id)
    persons = tuple(
        DeclaredPerson(
            p.person_id,
            p.name,
            p.birth_date,
            p.relation,
            p.lives_with_policyholder,
            p.married,
            p.studying,
        )
        for p in body.persons
    )
    policy, since = await service.declare_household(
        policy_id, body.since, persons, recorder(service, principal, body.reason)
    )
    return InsuredList(date=since, persons=[InsuredOut.of(a) for a in policy.insured(since)])


@router.get(
    "/v1/policies/{policy_id}/insured",
    response_model=InsuredList,
    responses=problem_responses(401, 404, 503),
)
async def insured(
    policy_id: str,
    principal: CurrentPrincipal,
    service: Policies,
    on: Annotated[date | None, Query(alias="date")] = None,
) -> InsuredList:
    """Who is insured on ``date`` (default today) and why: rule and fact (PC-2, PC-3),
    the policyholder first."""
    policy = await visible_policy(service, principal, policy_id, read=True)
    day = on or service.today()
    return InsuredList(date=day, persons=[InsuredOut.of(a) for a in policy.insured(day)])


def _party_allowed(principal: Principal, by: Party) -> None:
    # The insurer's notices are staff's; the policyholder's: theirs or staff recording them.
    if by == "insurer" and not principal.is_staff:
        raise forbidden("Only staff give the insurer's notices.")


@router.post(
    "/v1/policies/{policy_id}/objections",
    status_code=201,
    response_model=ObjectionOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            409: "No contract yet, or it already ends.",
            422: "``posted_on`` not today by a member, later than today, or earlier by staff "
            "without reason.",
        },
    ),
)
async def object_to_renewal(
    policy_id: str, body: ObjectionIn, principal: CurrentPrincipal, service: Policies
) -> ObjectionOut:
    """PC-5: an objection to tacit renewal; ``policy.terminated`` (``renewal_objection``)
    follows with the expiry it takes effect at."""
    await visible_policy(service, principal, policy_id)
    _party_allowed(principal, body.by)
    ends_on = await service.object_to_renewal(
        policy_id, body.by, body.posted_on, body.channel, recorder(service, principal, body.reason)
    )
    return ObjectionOut(contract_ends_on=ends_on)


@router.post(
    "/v1/policies/{policy_id}/terminations",
    status_code=201,
    response_model=TerminationOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            409: "No contract yet, or it already ends.",
            422: "The rules refuse the notice: ``rule``, and ``window`` when it is outside it; "
            "or a date the caller may not give (``field``: issue 15 item 4).",
        },
    ),
)
async def terminate(
    policy_id: str, body: TerminationIn, principal: CurrentPrincipal, service: Policies
) -> TerminationOut:
    """PC-6, PC-9..PC-11: a termination with its effective date; ``policy.terminated``
    follows with the reason (the ground) and the date."""
    await visible_policy(service, principal, policy_id)
    _party_allowed(principal, body.by)
    given_by = recorder(service, principal, body.reason)
    facts = body.model_dump(exclude={"reason"})
    notice = Notice(**{**facts, "notified_on": body.notified_on or given_by.received_on})
    ending = await service.terminate(policy_id, notice, given_by)
    return TerminationOut(effective_on=ending.effective_on, rule=ending.rule)


@router.get(
    "/v1/policies/{policy_id}/state",
    response_model=StateOut,
    responses=problem_responses(401, 404, 503),
)
async def state(
    policy_id: str,
    principal: CurrentPrincipal,
    service: Policies,
    on: Annotated[date | None, Query(alias="date")] = None,
) -> StateOut:
    """The contract on ``date`` (default today), from the facts: status, covers, the
    persons insured. Covers and persons are listed only while cover runs: from the start
    date, once the first premium is paid (PC-4), not during a suspension (PC-8).
    Also for services with ``policy:read`` (claims-svc, on an event's date)."""
    policy = await visible_policy(service, principal, policy_id, read=True)
    day = on or service.today()
    found = state_of(policy, day)
    return StateOut(
        date=day,
        status=found.status,
        covers=list(found.covers),
        insured=[InsuredOut.of(a) for a in found.insured],
    )
