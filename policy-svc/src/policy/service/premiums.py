"""Premium use cases (PC-4, PC-5, PC-8): a premium invoice paid, formal notices for
non-payment, and the scheduler's task emitting the dated events whose day has come.

Nothing is stored when nothing changes: a redelivered ``invoice.paid`` or a second
replica's scheduler pass finds the fact recorded and leaves the policy as it is (no new
version, no event)."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from mylm_shared.aggregates import AggregateStore, DuePass, change
from mylm_shared.events import CloudEvent, InvoicePaidV1
from mylm_shared.kernel.periods import belgian_today

from policy.domain.policy import Policy, WrongStatus
from policy.domain.premiums import NoticeChannel, PaymentNotice, admin_costs
from policy.service.handlers import UnknownPolicy

log = logging.getLogger(__name__)
# The stored date of a policy's next dated event: what the scheduler's task asks the
# store for (``AggregateStore.due``); the Mongo adapter writes and indexes it.
NEXT_EVENT_ON = "next_event_on"
# Versions saved by replicas whose clock lags this one's by up to this are still found.
CLOCK_MARGIN = timedelta(minutes=5)


class _Unchanged(Exception):
    """Raised inside a change to store nothing (the fact was recorded before)."""


@dataclass
class PremiumService:
    policies: AggregateStore[Policy]
    registered_letter_tariff: Decimal
    today: Callable[[], date] = belgian_today
    # The last pass that handled every due policy: the next one reads only what was
    # saved or came due since (the first pass of a process reads every candidate).
    _swept: DuePass | None = field(default=None, init=False, repr=False)

    async def on_invoice_paid(self, event: CloudEvent, paid: InvoicePaidV1) -> None:
        """PC-4, PC-8: a premium invoice is paid; the first premium activates the
        contract. An amendment's adjustment invoice is not a term's premium (ignored).
        Care invoices are not ours; an unknown policy is logged and skipped
        (a premium invoice names a policy billing learnt from us, so it is not billing's
        fault and retrying would not help)."""
        if paid.kind != "premium" or paid.policy_id is None:
            return
        if paid.adjustment_of is not None:
            # PC-7/PC-8: the premium difference of an amendment is not the term's premium:
            # it neither activates (PC-4) nor ends a suspension; staff follow it up.
            log.info(
                "premium adjustment paid; the term's premium is unchanged",
                extra={"policy_id": paid.policy_id, "amendment_id": paid.adjustment_of},
            )
            return
        term_number = paid.term_number
        if term_number is None:  # billing names the term of every premium invoice
            log.warning("premium paid without a term; ignored", extra={"event_id": event.id})
            return

        def apply(policy: Policy) -> None:
            if not policy.pay_premium(term_number, paid.paid_on):
                raise _Unchanged

        try:
            found = await change(self.policies, paid.policy_id, apply)
        except _Unchanged:
            return
        except WrongStatus as error:
            log.warning(
                "premium paid for a policy in the wrong status; ignored",
                extra={"policy_id": paid.policy_id, "error": str(error), "event_id": event.id},
            )
            return
        if found is None:
            log.warning(
                "premium paid for an unknown policy; ignored",
                extra={"policy_id": paid.policy_id, "event_id": event.id},
            )

    async def post_payment_notice(
        self,
        policy_id: str,
        *,
        term_number: int,
        posted_on: date,
        channel: NoticeChannel,
        announces_termination: bool,
    ) -> PaymentNotice:
        """PC-8: staff record a formal notice; PolicyRefused (PC-8) or WrongStatus."""
        notice_id = str(uuid.uuid4())
        costs = admin_costs(self.registered_letter_tariff)
        posted: list[PaymentNotice] = []

        def apply(policy: Policy) -> None:
            posted[:] = [
                policy.post_payment_notice(
                    notice_id=notice_id,
                    term_number=term_number,
                    posted_on=posted_on,
                    channel=channel,
                    announces_termination=announces_termination,
                    costs=costs,
                )
            ]

        if await change(self.policies, policy_id, apply) is None:
            raise UnknownPolicy(policy_id)
        return posted[0]

    async def emit_due_events(self, today: date) -> int:
        """The scheduler task: each policy whose next dated event (renewal, suspension,
        termination for non-payment) is on or before ``today`` emits it, through the
        aggregate (so the outbox publishes). Returns how many policies changed."""
        upto = today.isoformat()
        started = datetime.now(UTC) - CLOCK_MARGIN
        changed, failed = 0, False
        for policy in await self.policies.due(NEXT_EVENT_ON, upto, after=self._swept):
            try:
                changed += await self.advance(policy.policy_id, today)
            except Exception:  # one broken policy must not hold up the others
                failed = True
                log.exception("dated events failed", extra={"policy_id": policy.policy_id})
        if not failed:
            self._swept = DuePass(started, upto)
        return changed

    async def advance(self, policy_id: str, today: date) -> bool:
        def apply(policy: Policy) -> None:
            if not policy.advance(today):
                raise _Unchanged  # another replica did it: store nothing

        try:
            return await change(self.policies, policy_id, apply) is not None
        except _Unchanged:
            return False
