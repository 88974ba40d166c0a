"""A member's e-invoicing state and its history of switches (issue 18 item 3; EI-2, EI-3,
EI-4). Pure: no I/O; ``EInvoicing`` is an aggregate the store can keep, one per member.

* rule EI-2: "De e-facturatie wordt automatisch geactiveerd bij het aanmaken van een My LM
  account. Bij activatie zal het lid geen facturen op papier meer ontvangen."
  ``on_account_created`` switches it on, as the actor ``system``.
* rule EI-3: "Het lid kan deze optie op elk ogenblik deactiveren via My LM." and "De
  opzegging houdt in dat de klant weer facturen op papier zal ontvangen." The member, a
  titular acting for them, or staff (LM may end it too: "LM en het lid kunnen de dienst
  e-facturatie van My LM op elk ogenblik opzeggen") switch it; paper resumes for invoices
  issued from then on.
* "Switching never touches invoices already issued": the channel is read once, at issue
  (``channel_at``), from the switch in force at that moment, and kept on the invoice. No
  switch re-sends, prints or withdraws anything: "LM zal geen duplicaten op papier leveren
  van de elektronische facturen", and "De opzegging doet geenszins afbreuk aan de rechten
  van LM op de betaling van de openstaande facturen".
* A member without a record (no My LM account) gets paper: e-invoicing exists for "leden
  met een My LM account". When the account ends (LF-1) the system switches it off, since a
  member who can no longer read the inbox must get paper.
* rule EI-4: the invoice e-mail follows the electronic channel; whether it is sent at all
  is the member's notification setting (notify-svc), not this state.

Switches are idempotent: switching to the state the member already has records nothing
(``switch`` answers ``None``). The contract's ``since`` then keeps saying since when the
member has had it, which a retried PUT must not reset; and every record in the history is
a real change, as "every switch is recorded with time and actor" asks. One exception: a
person's first switch to "off" on a member without any record (an account of before
billing knew of accounts) IS recorded, with its time: it is the member's choice, and an
``account.created`` replayed later (identity's re-announcement, issue 18 item 3, EI-2),
dated at the account's original creation and so before that choice, must not switch it
back on (``on_account_created`` ignores an event older than the last switch).
"""

from datetime import datetime

from mylm_shared.kernel.switches import (
    ACTOR_KINDS,
    SYSTEM,
    Actor,
    ActorKind,
    InvalidSwitch,
    Switch,
    SwitchChanged,
    SwitchState,
    aware,
)

from billing.domain.invoice_lines import Channel

__all__ = [
    "ACTOR_KINDS",
    "SYSTEM",
    "Actor",
    "ActorKind",
    "EInvoicing",
    "EInvoicingChanged",
    "InvalidSwitch",
    "Switch",
    "channel_at",
]


class EInvoicingChanged(SwitchChanged):
    """Domain event (``einvoicing.changed``): the member's state changed."""


class EInvoicing(SwitchState):
    """Off without any record (no My LM account: paper); the switch, history and state in
    force are the shared ``mylm_shared.kernel.switches``; the rules below are EI-2/EI-3's."""

    DEFAULT = False
    CHANGED = EInvoicingChanged

    def channel_at(self, at: datetime) -> Channel:
        """rule EI-2, EI-3: the channel of an invoice issued at ``at`` (kept on it)."""
        return "electronic" if self.enabled_at(at) else "paper"

    def switch(self, enabled: bool, actor: Actor, at: datetime, cause: str = "") -> Switch | None:
        """Record a change; ``None`` (nothing recorded) when it is the state already."""
        aware(at)
        if actor.kind == "system" and not cause:
            raise InvalidSwitch("a system switch names the event that caused it")
        last = self.last
        if last is not None and at < last.at:
            raise InvalidSwitch("a switch cannot be dated before the last one")
        if enabled == self.enabled and (self.history or actor.kind == "system"):
            return None  # a person's first choice is recorded even if it is "off" (below)
        return self.record(enabled, actor, at, cause)

    def on_account_created(self, event_id: str, at: datetime) -> Switch | None:
        """rule EI-2: on automatically with the account. A redelivered event, or one older
        than the last switch (the member switched it off after the account was created),
        changes nothing."""
        return self._on_account_event(True, event_id, at)

    def on_account_closed(self, event_id: str, at: datetime) -> Switch | None:
        """No account, no inbox: paper resumes (EI-3). Same redelivery rules as above."""
        return self._on_account_event(False, event_id, at)

    def _on_account_event(self, enabled: bool, event_id: str, at: datetime) -> Switch | None:
        aware(at)
        if self.caused_by(event_id):
            return None
        last = self.last
        if last is not None and at <= last.at:
            return None
        return self.switch(enabled, SYSTEM, at, cause=event_id)


def channel_at(state: EInvoicing | None, at: datetime) -> Channel:
    """The channel for an invoice issued at ``at``; no state at all (no account): paper."""
    return "paper" if state is None else state.channel_at(at)
