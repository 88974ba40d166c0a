"""The daily dunning job (issue 18 item 4; EI-5, PC-8): unpaid care invoices become
``overdue`` the day after their due date (``invoice.overdue``); reminders 1 and 2 follow
``DunningPolicy``'s days after that (``invoice.reminder_due``), each once, on the
member's channel of today. Premium invoices are policy-svc's formal notices (PC-8).

Idempotent: each step is a state change of the invoice saved with its event (the
transactional outbox), so a second run the same day finds nothing due and stores
nothing; two runs at once (two replicas, the start-up run and ``POST /v1/jobs/dunning``)
race on the invoice's next version and the loser re-applies on fresh state
(``mylm_shared.aggregates.change``), finding nothing left to do. The scheduler's lease
(``mylm_shared.scheduler``) only keeps the other replicas from repeating the queries.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mylm_shared.aggregates import AggregateStore, change

from billing.domain import dunning
from billing.domain.dunning import DunningInvoice, DunningPolicy, MarkOverdue
from billing.domain.invoice import Invoice
from billing.service.ports import EInvoicingChannels

log = logging.getLogger(__name__)

LEASE_NAME = "billing-dunning"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DunningRun:
    """What one run did: invoices marked overdue and reminders requested."""

    today: date
    marked_overdue: int = 0
    reminders: int = 0


def _view(invoice: Invoice) -> DunningInvoice:
    return DunningInvoice(
        invoice.invoice_id,
        invoice.kind,
        invoice.due_date,
        invoice.status,
        invoice.reminders_requested,
    )


@dataclass
class DunningService:
    invoices: AggregateStore[Invoice]
    channels: EInvoicingChannels
    policy: DunningPolicy
    clock: Callable[[], datetime] = utc_now

    async def run(self, today: date) -> DunningRun:
        """rule EI-5: every step due on ``today`` (the Belgian date), caught up in order
        for an invoice many days late (overdue, then reminder 1, then reminder 2)."""
        yesterday = (today - timedelta(days=1)).isoformat()
        marked = reminded = 0
        for candidate in await self.invoices.due("due_date", yesterday):
            if not dunning.actions(_view(candidate), today, self.policy):
                continue  # paid, cancelled, premium (PC-8), or nothing due yet
            done = await self._dun(candidate, today)
            marked += sum(isinstance(a, MarkOverdue) for a in done)
            reminded += sum(not isinstance(a, MarkOverdue) for a in done)
        if marked or reminded:
            log.info(
                "dunning run", extra={"today": str(today), "overdue": marked, "reminders": reminded}
            )
        return DunningRun(today, marked, reminded)

    async def _dun(self, candidate: Invoice, today: date) -> list[dunning.DunningAction]:
        """Apply today's steps to one invoice and save them with their events; on a
        concurrent change, again on fresh state (finding what the other writer left)."""
        # Reminders go on the member's channel now (a switch since the issue counts).
        channel = await self.channels.channel_at(candidate.member_id, self.clock())
        done: list[dunning.DunningAction] = []

        def step(invoice: Invoice) -> None:
            done.clear()  # re-applied on fresh state after a concurrent change
            for action in dunning.actions(_view(invoice), today, self.policy):
                if isinstance(action, MarkOverdue):
                    invoice.mark_overdue(action.overdue_on)
                else:
                    invoice.request_reminder(action.level, action.due_on, channel)
                done.append(action)

        await change(self.invoices, candidate.invoice_id, step)
        return done
