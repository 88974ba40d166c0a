"""What billing-svc's domain exceptions answer, once (issue 17 item 7): ``PROBLEMS`` is
the service's table (the app's exception handlers); ``PAYMENTS`` the payments route's
override (a reused key names the payment)."""

from mylm_shared.kernel.domain import ConcurrentChange
from mylm_shared.kernel.idempotency import IdempotencyConflict
from mylm_shared.problems import Problem, ProblemMap, idempotency_key_reused

from billing.domain.invoice import InvalidInvoice
from billing.domain.payment import InvalidPayment
from billing.service.handlers import UnknownMember

PROBLEMS = (
    ProblemMap()
    .on(InvalidInvoice, lambda e: Problem(422, str(e), title="Invalid invoice"))
    .on(InvalidPayment, lambda e: Problem(422, str(e), title="Invalid payment"))
    .on(
        UnknownMember,
        lambda _: Problem(422, "The member is unknown to billing.", title="Unknown member"),
    )
    .on(IdempotencyConflict, lambda _: idempotency_key_reused())
    # A payment placed on an invoice another request changes at the same moment.
    .on(
        ConcurrentChange,
        lambda _: Problem(503, "The invoice is busy; retry.", headers={"Retry-After": "1"}),
    )
)

# ``POST /v1/payments``: "… used with a different payment".
PAYMENTS = PROBLEMS.on(IdempotencyConflict, lambda _: idempotency_key_reused("payment"))
