"""What claims-svc's domain exceptions answer, once (issue 17 item 7).

``PROBLEMS`` is the service's table (the app's exception handlers: routes call their use
cases without ``try``). Two groups of routes answer some exceptions otherwise and say so
with ``route_problems``: ``JUDGING`` (the declaration and the cover check: what the
engine refuses to judge names its rule) and ``SETTLEMENT`` (the contract is re-read, so
an unknown one is an outage, and any other refused value is a plain 422).
"""

import re

from mylm_shared.failures import Unavailable
from mylm_shared.kernel.idempotency import IdempotencyConflict
from mylm_shared.problems import Problem, ProblemMap, idempotency_key_reused

from claims.domain.claim import OfferRefused, ReasonRequired, WrongStatus
from claims.domain.declaration import ClaimInvalid
from claims.domain.offers import InvalidIban
from claims.service.evidence import EvidenceRefused
from claims.service.handlers import UnknownClaim, UnknownPolicy
from claims.service.settlement import FreshLoginRequired, UnknownOffer, UnknownPayout

NO_CLAIM = "No such claim."
# Issue 15 item 7: the problem type telling a client to log in again before it retries.
FRESH_LOGIN_TYPE = "urn:mylm:problem:fresh-login-required"
_RETRY = {"Retry-After": "5"}

# The engine names the rule first in what it refuses to judge ("LA-10: …").
_RULE_FIRST = re.compile(r"^(?P<rule>[A-Z]{2}-\d+): (?P<detail>.+)$", re.DOTALL)


def not_judgeable(error: ValueError) -> Problem | None:
    """422 naming the rule the engine cannot judge the claim by; None (unanswered) for
    a ValueError that names none."""
    if isinstance(error, ClaimInvalid):
        rule, detail = error.rule, error.detail
    elif found := _RULE_FIRST.match(str(error)):
        rule, detail = found["rule"], found["detail"]
    else:
        return None
    return Problem(422, detail, title="The engine cannot judge this claim", rule=rule)


def fresh_login_required(error: FreshLoginRequired) -> Problem:
    """401 with RFC 9470's step-up challenge (``insufficient_user_authentication``,
    ``max_age``): the client logs the member in again, then repeats the request."""
    max_age = error.max_age
    return Problem(
        401,
        f"Setting or changing the payout account needs a login of less than {max_age} "
        "seconds ago: log in again, then repeat this request.",
        title="Log in again",
        type_=FRESH_LOGIN_TYPE,
        headers={
            "WWW-Authenticate": 'Bearer realm="mylm", error="insufficient_user_authentication",'
            f' error_description="A more recent login is required", max_age={max_age}'
        },
        max_age=max_age,
    )


def _contract_unreadable(_: Exception) -> Problem:
    return Problem(503, "The contract cannot be read now; retry later.", headers=_RETRY)


PROBLEMS = (
    ProblemMap()
    .on(UnknownClaim, lambda _: Problem(404, NO_CLAIM))
    .on(UnknownOffer, lambda _: Problem(404, "No such offer."))
    .on(UnknownPayout, lambda _: Problem(404, "No such payout."))
    .on(WrongStatus, lambda e: Problem(409, str(e), title="Not possible in this status"))
    .on(ReasonRequired, lambda e: Problem(422, str(e), title="A reason is required"))
    .on(
        OfferRefused,
        lambda e: Problem(422, str(e), title="Not allowed by the conditions", rule=e.rule),
    )
    .on(InvalidIban, lambda e: Problem(422, f"iban: {e}", title="Invalid IBAN"))
    .on(EvidenceRefused, lambda e: Problem(e.status, e.detail))
    .on(ClaimInvalid, not_judgeable)
    .on(FreshLoginRequired, fresh_login_required)
    .on(IdempotencyConflict, lambda _: idempotency_key_reused())
    # The declaration: the claimant's contract on the event date (issue 15 item 3).
    .on(
        UnknownPolicy,
        lambda _: Problem(
            422,
            "No such contract of the claimant covers the event date; give policy_id.",
            title="Unknown policy",
        ),
    )
    # policy-svc or identity-svc (its token) cannot answer: nothing was stored.
    .on(
        Unavailable,
        lambda _: Problem(503, "The contract cannot be checked now; retry later.", headers=_RETRY),
    )
)

# The declaration and the cover check: a ValueError naming a rule first is not judgeable
# (422 with ``rule``); one naming none stays unanswered (500).
JUDGING = PROBLEMS.on(ValueError, not_judgeable)

# Settlement: the claim's contract is read again (an offer's yearly maximum), so an
# unknown contract is an outage like policy-svc down; a refused value is a plain 422.
SETTLEMENT = (
    PROBLEMS.on(UnknownPolicy, _contract_unreadable)
    .on(Unavailable, _contract_unreadable)
    .on(ValueError, lambda e: Problem(422, str(e)))
)
