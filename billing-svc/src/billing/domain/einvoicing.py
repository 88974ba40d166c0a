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
a real change, as "every switch is recorded with time and actor" asks.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from mylm_shared.kernel.domain import Aggregate

from billing.domain.invoice_lines import Channel

ActorKind = Literal["member", "titular", "staff", "system"]
ACTOR_KINDS: tuple[ActorKind, ...] = ("member", "titular", "staff", "system")


class InvalidSwitch(ValueError):
    """A switch breaks a rule (a system switch without its cause, a time without zone)."""


@dataclass(frozen=True)
class Actor:
    """Who switched: the member, a titular acting for them (``actor_id`` the titular's
    member id), a staff member (their id), or the system (``actor_id`` empty)."""

    kind: ActorKind
    actor_id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ACTOR_KINDS:
            raise InvalidSwitch(f"unknown actor {self.kind!r}")
        if self.kind == "system" and self.actor_id:
            raise InvalidSwitch("the system acts without an id")
        if self.kind != "system" and not self.actor_id.strip():
            raise InvalidSwitch("a person who switches is named by their id")

    @property
    def changed_by(self) -> str:
        """``member``, ``titular:<id>``, ``staff:<id>`` or ``system`` (the contract's field)."""
        return self.kind if self.kind in ("member", "system") else f"{self.kind}:{self.actor_id}"


SYSTEM = Actor("system")


@dataclass(frozen=True)
class Switch:
    """One change of the state. ``cause``: for the system, the event that caused it (the
    ``account.created`` event id), so a redelivered event is recognised."""

    enabled: bool
    at: datetime
    actor: Actor
    cause: str = ""


@dataclass(frozen=True)
class EInvoicingChanged:
    """Domain event (``einvoicing.changed``): the member's state changed."""

    member_id: str
    switch: Switch


@dataclass
class EInvoicing(Aggregate):
    member_id: str
    history: tuple[Switch, ...] = ()

    @property
    def aggregate_id(self) -> str:
        return self.member_id

    @property
    def enabled(self) -> bool:
        """On once switched on and not switched off since; off without any record."""
        return bool(self.history) and self.history[-1].enabled

    @property
    def last(self) -> Switch | None:
        return self.history[-1] if self.history else None

    def enabled_at(self, at: datetime) -> bool:
        """The state in force at ``at``: the last switch made at or before it."""
        _aware(at)
        in_force = [s for s in self.history if s.at <= at]
        return bool(in_force) and in_force[-1].enabled

    def channel_at(self, at: datetime) -> Channel:
        """rule EI-2, EI-3: the channel of an invoice issued at ``at`` (kept on it)."""
        return "electronic" if self.enabled_at(at) else "paper"

    def switch(self, enabled: bool, actor: Actor, at: datetime, cause: str = "") -> Switch | None:
        """Record a change; ``None`` (nothing recorded) when it is the state already."""
        _aware(at)
        if actor.kind == "system" and not cause:
            raise InvalidSwitch("a system switch names the event that caused it")
        last = self.last
        if last is not None and at < last.at:
            raise InvalidSwitch("a switch cannot be dated before the last one")
        if enabled == self.enabled:
            return None
        record = Switch(enabled, at, actor, cause)
        self.history = (*self.history, record)
        self.raise_event(EInvoicingChanged(self.member_id, record))
        return record

    def on_account_created(self, event_id: str, at: datetime) -> Switch | None:
        """rule EI-2: on automatically with the account. A redelivered event, or one older
        than the last switch (the member switched it off after the account was created),
        changes nothing."""
        _aware(at)
        if any(s.cause == event_id for s in self.history):
            return None
        last = self.last
        if last is not None and at <= last.at:
            return None
        return self.switch(True, SYSTEM, at, cause=event_id)

    def on_account_closed(self, event_id: str, at: datetime) -> Switch | None:
        """No account, no inbox: paper resumes (EI-3). Same redelivery rules as above."""
        _aware(at)
        if any(s.cause == event_id for s in self.history):
            return None
        last = self.last
        if last is not None and at <= last.at:
            return None
        return self.switch(False, SYSTEM, at, cause=event_id)


def channel_at(state: EInvoicing | None, at: datetime) -> Channel:
    """The channel for an invoice issued at ``at``; no state at all (no account): paper."""
    return "paper" if state is None else state.channel_at(at)


def _aware(at: datetime) -> None:
    if at.tzinfo is None:
        raise InvalidSwitch("a switch time carries its time zone")
