"""What billing-svc's domain exceptions answer, once (issue 17 item 7): ``PROBLEMS`` is
the service's table (the app's exception handlers); ``PAYMENTS`` the payments route's
override (a reused key names the payment)."""

from mylm_shared.kernel.domain import ConcurrentChange
from mylm_shared.kernel.idempotency import IdempotencyConflict
from mylm_shared.problems import Problem, ProblemMap, idempotency_key_reused

from billing.domain.invoice import IllegalTransition, InvalidInvoice
from billing.domain.invoice_queries import InvalidCursor
from billing.domain.maintenance import InvalidWindow
from billing.domain.payment import InvalidPayment
from billing.domain.terms import InvalidTerms, TermsTooSoon
from billing.entrypoints.maintenance_gate import MaintenanceUnderway
from billing.service.downloads import NothingToPay, NotPrintableYet
from billing.service.handlers import NoSuchInvoice, UnknownMember

PROBLEMS = (
    ProblemMap()
    .on(InvalidInvoice, lambda e: Problem(422, str(e), title="Invalid invoice"))
    .on(InvalidPayment, lambda e: Problem(422, str(e), title="Invalid payment"))
    .on(
        UnknownMember,
        lambda _: Problem(422, "The member is unknown to billing.", title="Unknown member"),
    )
    .on(IdempotencyConflict, lambda _: idempotency_key_reused())
    # issue 18: the same answer as for an invoice the caller may not see (nothing leaks)
    .on(NoSuchInvoice, lambda _: Problem(404, "No such invoice."))
    .on(IllegalTransition, lambda e: Problem(409, str(e), title="Invoice status conflict"))
    .on(InvalidCursor, lambda e: Problem(422, str(e), title="Invalid query"))
    .on(
        NothingToPay,
        lambda _: Problem(
            409, "The invoice is paid or cancelled: nothing to pay.", title="Nothing to pay"
        ),
    )
    .on(
        NotPrintableYet,
        lambda _: Problem(
            503, "The invoice cannot be printed yet; retry.", headers={"Retry-After": "5"}
        ),
    )
    # EI-6 (issue 18 item 5): the earliest allowed effective date, and the rule
    .on(InvalidTerms, lambda e: Problem(422, str(e), title="Invalid terms version"))
    .on(
        TermsTooSoon,
        lambda e: Problem(
            422,
            str(e),
            title="Effective date too soon",
            earliest_effective_on=e.earliest_effective_on.isoformat(),
            rule=e.rule,
        ),
    )
    # EI-7 (issue 18 item 6): a window breaks a rule; a member request during a window
    .on(InvalidWindow, lambda e: Problem(422, str(e), title="Invalid maintenance window"))
    .on(
        MaintenanceUnderway,
        lambda e: Problem(
            503,
            "E-invoicing is under maintenance until "
            f"{e.window.ends_at.isoformat()}; retry after it (EI-7).",
            title="Maintenance",
            headers={"Retry-After": str(e.retry_after)},
            rule="EI-7",
            starts_at=e.window.starts_at.isoformat(),
            ends_at=e.window.ends_at.isoformat(),
            notice=e.notice,
        ),
    )
    # A payment placed on an invoice another request changes at the same moment.
    .on(
        ConcurrentChange,
        lambda _: Problem(503, "The invoice is busy; retry.", headers={"Retry-After": "1"}),
    )
)

# ``POST /v1/payments``: "… used with a different payment".
PAYMENTS = PROBLEMS.on(IdempotencyConflict, lambda _: idempotency_key_reused("payment"))
