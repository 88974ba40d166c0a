"""policy-svc HTTP API: amendments after a declared aggravation or reduction (PC-7) — the
declaration, staff's proposal, the policyholder's answer, and their deadlines."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from mylm_shared.auth import CurrentPrincipal, Principal, StaffPrincipal
from mylm_shared.inputs import InputModel
from mylm_shared.problems import Problem, forbidden, problem_responses, route_problems
from pydantic import BaseModel, ConfigDict, Field

from policy.domain.amendments import Amendment, NextStep, TerminationRight
from policy.domain.fact_dates import Recorder
from policy.domain.product import Premium
from policy.entrypoints.access import may_see, visible_policy
from policy.entrypoints.api import PremiumOut
from policy.entrypoints.deps import Amendments, Policies
from policy.entrypoints.problems import NO_AMENDMENT, OF_AMENDMENT
from policy.service.amendments import AmendmentService

router = APIRouter(tags=["amendments"])

Formula = Literal["single", "family"]
MAX_OFFSET = 1_000_000


class DeclarationIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["aggravation", "reduction"]
    formula: Formula = Field(description="The terms declared or asked, e.g. family on marriage.")
    occurred_on: date = Field(description="The day the risk changed.")
    known_on: date | None = Field(
        None,
        description="The day the insurer learned it (a reduction: the request, from which the "
        "lower premium applies); default today (Europe/Brussels). For a member always today: "
        "another date is refused (422, nothing stored). Staff may give an earlier real date "
        "with ``reason`` (kept in the amendment's history); never a later one.",
    )
    reason: str | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="Staff only, required with a ``known_on`` earlier than today: why.",
    )


class ProposalIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    proposed_on: date
    received_on: date | None = Field(
        None, description="When the policyholder received it (default: proposed_on)."
    )


class AnswerIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    answered_on: date | None = Field(
        None, description="Staff recording an answer by post: the day it was given (today)."
    )


class CloseIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class DeadlinesOut(BaseModel):
    propose_by: date | None = Field(description="Aggravation: known_on + 1 month.")
    accept_by: date | None = Field(description="Aggravation: proposal received + 1 month.")
    agree_by: date | None = Field(description="Reduction: request + 1 month.")


class ProposalOut(BaseModel):
    proposed_on: date
    received_on: date
    formula: Formula
    premium: PremiumOut


class NextStepOut(BaseModel):
    step: Literal[
        "propose",
        "accept_proposal",
        "agree_reduction",
        "insurer_may_terminate",
        "policyholder_may_terminate",
    ]
    by: Literal["policyholder", "insurer"]
    deadline: date | None = Field(description="Inclusive; null: open-ended.")
    overdue: bool

    @classmethod
    def of(cls, step: NextStep) -> "NextStepOut":
        return cls(step=step.step, by=step.by, deadline=step.deadline, overdue=step.overdue)


class TerminationRightOut(BaseModel):
    """The termination open if the amendment is not accepted; give these dates in the
    notice (``POST /v1/policies/{id}/terminations``)."""

    by: Literal["policyholder", "insurer"]
    ground: Literal["aggravation", "risk_reduction"]
    rule: str
    opens_on: date
    closes_on: date | None
    amendment_received_on: date | None
    amendment_refused_on: date | None
    reduction_requested_on: date | None

    @classmethod
    def of(cls, right: TerminationRight) -> "TerminationRightOut":
        return cls(
            by=right.by,
            ground=right.ground,
            rule=right.rule,
            opens_on=right.window.opens_on,
            closes_on=right.window.closes_on,
            amendment_received_on=right.amendment_received_on,
            amendment_refused_on=right.amendment_refused_on,
            reduction_requested_on=right.reduction_requested_on,
        )


class AmendmentOut(BaseModel):
    amendment_id: str
    policy_id: str
    policyholder_member_id: str
    kind: Literal["aggravation", "reduction"]
    formula: Formula
    occurred_on: date
    known_on: date
    declared_on: date
    status: Literal["declared", "proposed", "accepted", "refused", "closed"]
    effective_on: date = Field(
        description="From when accepted terms apply: occurred_on (aggravation, retroactive) "
        "or known_on (reduction)."
    )
    deadlines: DeadlinesOut
    proposal: ProposalOut | None
    answered_on: date | None
    next_step: NextStepOut | None = Field(description="On today; null when accepted/closed.")
    termination: TerminationRightOut | None
    close_reason: str | None

    @classmethod
    def of(cls, a: Amendment, today: date) -> "AmendmentOut":
        step = a.next_step(today)
        right = a.termination_right()
        return cls(
            amendment_id=a.amendment_id,
            policy_id=a.policy_id,
            policyholder_member_id=a.member_id,
            kind=a.kind,
            formula=a.formula,
            occurred_on=a.occurred_on,
            known_on=a.known_on,
            declared_on=a.declared_on,
            status=a.status,
            effective_on=a.effective_on,
            deadlines=DeadlinesOut(
                propose_by=a.propose_by, accept_by=a.accept_by, agree_by=a.agree_by
            ),
            proposal=None
            if a.proposal is None
            else ProposalOut(
                proposed_on=a.proposal.proposed_on,
                received_on=a.proposal.received_on,
                formula=a.proposal.formula,
                premium=_premium_out(a.proposal.premium),
            ),
            answered_on=a.answered_on,
            next_step=None if step is None else NextStepOut.of(step),
            termination=None if right is None else TerminationRightOut.of(right),
            close_reason=a.close_reason or None,
        )


class AmendmentList(BaseModel):
    items: list[AmendmentOut]


class WorklistPage(BaseModel):
    items: list[AmendmentOut] = Field(description="Oldest next-step deadline first.")
    limit: int
    offset: int


def _premium_out(p: Premium) -> PremiumOut:
    return PremiumOut(
        net=str(p.net), taxes=str(p.taxes), contributions=str(p.contributions), total=str(p.total)
    )


async def _visible_amendment(
    amendments: AmendmentService, policies: Policies, principal: Principal, amendment_id: str
) -> Amendment:
    """The policy's visibility (its policyholder, an acting titular, staff); 404 else."""
    found = await amendments.amendment(amendment_id)
    policy = None if found is None else await policies.policy(found.policy_id)
    if found is None or policy is None or not may_see(principal, policy):
        raise Problem(404, NO_AMENDMENT)
    return found


@router.post(
    "/v1/policies/{policy_id}/amendments",
    status_code=201,
    response_model=AmendmentOut,
    responses=problem_responses(
        401,
        404,
        409,
        422,
        503,
        described={
            409: "No contract yet, or it ends before the change.",
            422: "PC-7 dates; ``known_on`` other than today by a member (issue 15 item 4).",
        },
    ),
)
async def declare(
    policy_id: str,
    body: DeclarationIn,
    principal: CurrentPrincipal,
    policies: Policies,
    amendments: Amendments,
) -> AmendmentOut:
    """PC-7: the policyholder (or staff) declares an aggravation or a reduction of the
    risk; the answer carries the deadlines that follow."""
    await visible_policy(policies, principal, policy_id)
    amendment = await amendments.declare(
        policy_id,
        kind=body.kind,
        formula=body.formula,
        occurred_on=body.occurred_on,
        known_on=body.known_on,
        recorder=Recorder(
            principal.account_id, principal.is_staff, amendments.today(), body.reason
        ),
    )
    return AmendmentOut.of(amendment, amendments.today())


@router.get(
    "/v1/policies/{policy_id}/amendments",
    response_model=AmendmentList,
    responses=problem_responses(401, 404, 503),
)
async def policy_amendments(
    policy_id: str, principal: CurrentPrincipal, policies: Policies, amendments: Amendments
) -> AmendmentList:
    """A policy's amendments, newest declaration first, with today's next step."""
    await visible_policy(policies, principal, policy_id)
    today = amendments.today()
    return AmendmentList(
        items=[AmendmentOut.of(a, today) for a in await amendments.of_policy(policy_id)]
    )


@router.get(
    "/v1/amendments",
    response_model=WorklistPage,
    responses=problem_responses(401, 403, 503),
)
async def worklist(
    principal: StaffPrincipal,
    amendments: Amendments,
    open_only: Annotated[
        bool, Query(alias="open", description="Open amendments (the only listing offered).")
    ] = True,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> WorklistPage:
    """Staff worklist: open amendments, oldest next-step deadline first, with the step,
    who is awaited and whether it is overdue."""
    if not open_only:
        raise Problem(422, "Only open amendments are listed (open=true).")
    today = amendments.today()
    items = await amendments.worklist(today, limit=limit, offset=offset)
    return WorklistPage(
        items=[AmendmentOut.of(i.amendment, today) for i in items], limit=limit, offset=offset
    )


@router.get(
    "/v1/amendments/{amendment_id}",
    response_model=AmendmentOut,
    responses=problem_responses(401, 404, 503),
)
async def get_amendment(
    amendment_id: str, principal: CurrentPrincipal, policies: Policies, amendments: Amendments
) -> AmendmentOut:
    found = await _visible_amendment(amendments, policies, principal, amendment_id)
    return AmendmentOut.of(found, amendments.today())


@router.post(
    "/v1/amendments/{amendment_id}/proposal",
    response_model=AmendmentOut,
    responses=problem_responses(
        401,
        403,
        404,
        409,
        422,
        503,
        described={
            409: "Not awaiting a proposal.",
            422: "PC-7: past the month to propose (the aggravation can no longer be invoked).",
        },
    ),
)
@route_problems(OF_AMENDMENT)
async def propose(
    amendment_id: str, body: ProposalIn, principal: StaffPrincipal, amendments: Amendments
) -> AmendmentOut:
    """Staff propose the new terms: the premium of the declared formula (PC-7, PC-8); the
    policyholder then has 1 month from receipt to accept."""
    amendment = await amendments.propose(amendment_id, body.proposed_on, body.received_on)
    return AmendmentOut.of(amendment, amendments.today())


async def _answer(
    action: Literal["accept", "refuse"],
    amendment_id: str,
    body: AnswerIn | None,
    principal: Principal,
    policies: Policies,
    amendments: Amendments,
) -> AmendmentOut:
    found = await _visible_amendment(amendments, policies, principal, amendment_id)
    on = body.answered_on if body else None
    if not principal.is_staff and principal.member_id != found.member_id:
        raise forbidden("Only the policyholder answers a proposal.")
    if on is not None and not principal.is_staff:
        raise forbidden("Only staff record an answer given on another day.")
    if action == "accept":
        amendment = await amendments.accept(amendment_id, on)
    else:
        amendment = await amendments.refuse(amendment_id, on)
    return AmendmentOut.of(amendment, amendments.today())


_ANSWER_RESPONSES = problem_responses(
    401,
    403,
    404,
    409,
    422,
    503,
    described={409: "Not awaiting an answer.", 422: "PC-7: the month to accept has passed."},
)


@router.post(
    "/v1/amendments/{amendment_id}/accept",
    response_model=AmendmentOut,
    responses=_ANSWER_RESPONSES,
)
@route_problems(OF_AMENDMENT)
async def accept(
    amendment_id: str,
    principal: CurrentPrincipal,
    policies: Policies,
    amendments: Amendments,
    body: AnswerIn | None = None,
) -> AmendmentOut:
    """The policyholder accepts: the policy's formula and premium change from the
    effective date (``policy.amended``); an aggravation retroactively."""
    return await _answer("accept", amendment_id, body, principal, policies, amendments)


@router.post(
    "/v1/amendments/{amendment_id}/refuse",
    response_model=AmendmentOut,
    responses=_ANSWER_RESPONSES,
)
@route_problems(OF_AMENDMENT)
async def refuse(
    amendment_id: str,
    principal: CurrentPrincipal,
    policies: Policies,
    amendments: Amendments,
    body: AnswerIn | None = None,
) -> AmendmentOut:
    """The policyholder refuses: the insurer may terminate within 15 days (aggravation),
    the policyholder after the month to agree (reduction); see ``termination``."""
    return await _answer("refuse", amendment_id, body, principal, policies, amendments)


@router.post(
    "/v1/amendments/{amendment_id}/close",
    response_model=AmendmentOut,
    responses=problem_responses(401, 403, 404, 409, 503),
)
async def close(
    amendment_id: str, body: CloseIn, principal: StaffPrincipal, amendments: Amendments
) -> AmendmentOut:
    """Staff take an amendment off the worklist (forfeited, window passed, terminated)."""
    amendment = await amendments.close(amendment_id, body.reason)
    return AmendmentOut.of(amendment, amendments.today())
