"""E-invoicing on and off (issue 18 item 3; EI-2, EI-3): the member's state, switched on
by ``account.created``, off by the member (a titular acting for them, or staff) and by
the account's end, and the channel an invoice issued now goes out on.

``EInvoicingService.channel_at`` is billing's ``EInvoicingChannels`` port
(``service/ports.py``): the issue use case reads the channel once, at issue (EI-2: "no
paper then"; EI-3: "paper resumes"). Nothing here touches an invoice already issued.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mylm_shared.aggregates import AggregateStore
from mylm_shared.events import AccountCreatedV1, AccountStatusChangedV1, CloudEvent
from mylm_shared.kernel.domain import AggregateExists, ConcurrentChange

from billing.domain.einvoicing import Actor, EInvoicing, Switch, channel_at
from billing.domain.invoice_lines import Channel

log = logging.getLogger(__name__)

ATTEMPTS = 10


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class EInvoicingService:
    states: AggregateStore[EInvoicing]
    clock: Callable[[], datetime] = utc_now

    async def state(self, member_id: str) -> EInvoicing | None:
        """The member's state; None: never had an account (paper, EI-2)."""
        return await self.states.get(member_id)

    async def channel_at(self, member_id: str, at: datetime) -> Channel:
        """rule EI-2, EI-3: the channel of an invoice issued at ``at`` (no state: paper)."""
        return channel_at(await self.states.get(member_id), at)

    async def switch(self, member_id: str, enabled: bool, actor: Actor) -> EInvoicing:
        """rule EI-3 (and EI-2 on again): recorded with time and actor; the state already
        in force records nothing (a retried PUT keeps its ``since``)."""
        return await self._apply(
            member_id, lambda state, at: state.switch(enabled, actor, at), self.clock()
        )

    async def on_account_created(self, event: CloudEvent, account: AccountCreatedV1) -> None:
        """rule EI-2: on with the account (a redelivery or an older event changes nothing)."""
        await self._apply(
            account.member_id,
            lambda state, at: state.on_account_created(event.id, at),
            _aware(event.time),
            exact_time=True,
        )

    async def on_account_status_changed(
        self, event: CloudEvent, change: AccountStatusChangedV1
    ) -> None:
        """An ended account (LF-1) has no inbox: paper resumes (EI-3). Suspension does
        not switch: the account may come back, and its invoices are still its own."""
        if change.status != "ended" or change.member_id is None:
            return
        if await self.states.get(change.member_id) is None:
            return  # never on: paper already
        await self._apply(
            change.member_id,
            lambda state, at: state.on_account_closed(event.id, at),
            _aware(event.time),
            exact_time=True,
        )

    async def _apply(
        self,
        member_id: str,
        step: Callable[[EInvoicing, datetime], Switch | None],
        at: datetime,
        *,
        exact_time: bool = False,
    ) -> EInvoicing:
        """Load (or start) the member's state, apply ``step``, save; on a concurrent
        writer, again on fresh state (insert-only versions: one of two wins)."""
        for _ in range(ATTEMPTS):
            state = await self.states.get(member_id) or EInvoicing(member_id)
            last = state.last
            when = at
            if not exact_time and last is not None and when < last.at:
                when = last.at  # another replica's clock ran ahead: never before the last
            if step(state, when) is None:
                return state
            try:
                await self.states.save(state)
                return state
            except (AggregateExists, ConcurrentChange):
                continue
        raise ConcurrentChange(member_id)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
