"""What policy-svc's domain exceptions answer, once (issue 17 item 7): ``PROBLEMS`` is
the service's table (the app's exception handlers); ``OF_AMENDMENT`` the override of the
routes naming an amendment, whose policy is not the caller's to name."""

from mylm_shared.kernel.idempotency import IdempotencyConflict
from mylm_shared.problems import Problem, ProblemMap, idempotency_key_reused

from policy.domain.amendments import AmendmentRefused, WrongStep
from policy.domain.fact_dates import DateRefused
from policy.domain.policy import PolicyRefused, ProposalChanged, WrongStatus
from policy.domain.product import InvalidProduct
from policy.domain.termination import OutsideWindow, TerminationRefused
from policy.entrypoints.access import NO_POLICY
from policy.service import amendments, handlers

NO_AMENDMENT = "No such amendment."


def _refused(error: PolicyRefused | TerminationRefused | AmendmentRefused) -> Problem:
    return Problem(422, error.detail, title="Refused by a rule", rule=error.rule)


def _conflict(error: Exception) -> Problem:
    return Problem(409, str(error), title="Not possible in this status")


def _outside_window(error: OutsideWindow) -> Problem:
    window = {
        "opens_on": error.window.opens_on.isoformat(),
        "closes_on": error.window.closes_on.isoformat() if error.window.closes_on else None,
    }
    return Problem(
        422, error.detail, title="Outside the notice window", rule=error.rule, window=window
    )


PROBLEMS = (
    ProblemMap()
    .on(handlers.UnknownPolicy, lambda _: Problem(404, NO_POLICY))
    .on(amendments.UnknownPolicy, lambda _: Problem(404, NO_POLICY))
    .on(amendments.UnknownAmendment, lambda _: Problem(404, NO_AMENDMENT))
    .on(
        handlers.UnknownMember,
        lambda _: Problem(422, "The member is unknown to policy-svc.", title="Unknown member"),
    )
    .on(
        InvalidProduct,
        lambda e: Problem(422, str(e), title="Not offered by the product", rule="PC-1"),
    )
    .on(IdempotencyConflict, lambda _: idempotency_key_reused())
    .on(WrongStatus, _conflict)
    # Issue 20 item 2: the member accepted a proposal version that is no longer current.
    .on(
        ProposalChanged,
        lambda e: Problem(
            409, str(e), title="The proposal changed", rule="PC-1", current_version=e.current
        ),
    )
    .on(WrongStep, _conflict)
    .on(PolicyRefused, _refused)
    .on(TerminationRefused, _refused)
    .on(OutsideWindow, _outside_window)
    .on(AmendmentRefused, _refused)
    # Issue 15 item 4: a date the caller may not give (nothing stored).
    .on(
        DateRefused,
        lambda e: Problem(422, e.detail, title="Date not accepted", rule=e.rule, field=e.field),
    )
)

# Proposing, accepting or refusing an amendment: the caller named the amendment, so its
# policy gone is "no such amendment".
OF_AMENDMENT = PROBLEMS.on(amendments.UnknownPolicy, lambda _: Problem(404, NO_AMENDMENT))
