"""The member's policies (issue 20 item 2): their contracts and proposals, one contract
(policyholder, insured persons with their relation — PC-2/PC-3 —, covers and threshold —
PC-1 —, the yearly premium and its due dates — PC-8, PC-12), its special conditions PDF
streamed from policy-svc, and accepting a proposal (post/redirect/get).

The portal asks the member to confirm, with a checkbox, that they read the proposal's
conditions (dated, with its premium) and sends policy-svc the ``proposal_version`` the
page showed: when the proposal changed meanwhile policy-svc answers 409 and the page shows
the current proposal to read again. The policyholder's name, each insured person's
relation and the covers' amounts (PA-5, AS-3, LA-11) come from policy-svc's answer."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from mylm_shared.kernel.periods import belgian_date

from portal.ports import ServiceProblem
from portal.upstream.policy import Policy
from portal.web import Caller, Web, problem_message

# policy-svc's refusals of an acceptance, in the member's words (else the detail).
ACCEPT_PROBLEMS = {403: "policy_accept_403", 409: "policy_accept_409", 422: "policy_accept_422"}
CHANGED_PROBLEM = {409: "policy_accept_changed"}
NOTICES = ("accepted",)
# Where a proposal comes first: the member's next step.
ORDER = {"proposed": 0, "awaiting_first_premium": 1, "suspended": 2, "active": 3}


def routes(web: Web) -> APIRouter:
    router = APIRouter()
    policy_port = web.services.policy

    def contract_page(
        request: Request,
        caller: Caller,
        policy: Policy,
        *,
        status: int = 200,
        notice: str | None = None,
        error: str | None = None,
        consent_error: bool = False,
    ) -> Response:
        today = belgian_date(web.clock())
        return web.page(
            request,
            "policy.html",
            status,
            policy=policy,
            today=today,
            amounts=policy.cover_amounts,
            notice=notice,
            error=error,
            consent_error=consent_error,
            acting=caller.acting,
        )

    @router.get("/policies", response_class=HTMLResponse)
    async def policies(request: Request) -> Response:
        caller = await web.caller(request)
        found = await policy_port.policies(caller.access_token, caller.member_id)
        found.sort(key=lambda p: (ORDER.get(p.status, 9), p.start_date), reverse=False)
        waiting = any(p.is_proposal for p in found)
        return web.page(request, "policies.html", policies=found, waiting=waiting)

    @router.get("/policies/{policy_id}/conditions.pdf")
    async def conditions_pdf(policy_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        download = await policy_port.conditions_pdf(caller.access_token, policy_id, caller.language)
        if download is None:
            return web.not_found(request)
        return StreamingResponse(
            download.chunks,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )

    @router.get("/policies/{policy_id}", response_class=HTMLResponse)
    async def policy(policy_id: str, request: Request) -> Response:
        caller = await web.caller(request)
        found = await policy_port.policy(caller.access_token, policy_id)
        if found is None:
            return web.not_found(request)
        given = request.query_params.get("notice")
        notice = f"policy_{given}" if given in NOTICES else None
        return contract_page(request, caller, found, notice=notice)

    @router.post("/policies/{policy_id}/accept")
    async def accept(policy_id: str, request: Request) -> Response:
        form = await web.checked_form(request)
        caller = await web.caller(request)
        found = await policy_port.policy(caller.access_token, policy_id)
        if found is None:
            return web.not_found(request)
        if form.get("consent") != "yes":
            return contract_page(request, caller, found, status=400, consent_error=True)
        try:
            shown = str(form.get("proposal_version") or "") or None
            await policy_port.accept(caller.access_token, policy_id, shown)
        except ServiceProblem as problem:
            if problem.status == 401 or problem.status >= 500:
                raise  # the portal's own handling: log-in page, "try again later"
            if problem.status == 404:
                return web.not_found(request)
            message = problem_message(problem, caller.language, ACCEPT_PROBLEMS)
            again = await policy_port.policy(caller.access_token, policy_id) or found
            if problem.status == 409 and again.is_proposal:
                # Still a proposal: it changed since it was shown (PC-1): read it again.
                message = problem_message(problem, caller.language, CHANGED_PROBLEM)
            return contract_page(request, caller, again, status=problem.status, error=message)
        return RedirectResponse(f"/policies/{policy_id}?notice=accepted", status_code=303)

    return router
