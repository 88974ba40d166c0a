"""A member's on/off switch with its recorded history: time and actor of every change.

Pure: no I/O. One implementation for the services that keep such a switch per member
(billing's e-invoicing, EI-2/EI-3; inbox's inbox, IN-2/IN-3): each subclasses
``SwitchState`` with its own domain event and default, and keeps its own rules about
when a switch is recorded (billing's ``system`` switches from account events; inbox's
clamping of a switch dated before the last one).

"Every switch is recorded with time and actor": the actor is the member, a titular acting
for them (``titular:<id>``), staff (``staff:<id>``) or the system (``system``).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from mylm_shared.kernel.domain import Aggregate

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
        """``member``, ``titular:<id>``, ``staff:<id>`` or ``system`` (the contracts' field)."""
        return self.kind if self.kind in ("member", "system") else f"{self.kind}:{self.actor_id}"


SYSTEM = Actor("system")


@dataclass(frozen=True)
class Switch:
    """One change of the state. ``cause``: for the system, the event that caused it, so a
    redelivered event is recognised (empty for a person's switch)."""

    enabled: bool
    at: datetime
    actor: Actor
    cause: str = ""


@dataclass(frozen=True)
class SwitchChanged:
    """Domain event: the member's switch changed (each service names its own subclass)."""

    member_id: str
    switch: Switch


@dataclass
class SwitchState(Aggregate):
    """A member's switch and its history, oldest first. ``DEFAULT``: the state of a member
    without any record; ``CHANGED``: the domain event a recorded switch raises."""

    # Class attributes, not annotated: not fields of the dataclass (nor of its documents).
    DEFAULT = False
    CHANGED = SwitchChanged

    member_id: str = ""
    history: tuple[Switch, ...] = ()

    @property
    def aggregate_id(self) -> str:
        return self.member_id

    @property
    def enabled(self) -> bool:
        """The last switch's state; ``DEFAULT`` without any record."""
        return self.history[-1].enabled if self.history else self.DEFAULT

    @property
    def last(self) -> Switch | None:
        return self.history[-1] if self.history else None

    def enabled_at(self, at: datetime) -> bool:
        """The state in force at ``at``: the last switch made at or before it."""
        aware(at)
        in_force = [s for s in self.history if s.at <= at]
        return in_force[-1].enabled if in_force else self.DEFAULT

    def caused_by(self, cause: str) -> bool:
        """Whether a switch of the history names ``cause`` (a redelivered event)."""
        return any(s.cause == cause for s in self.history)

    def record(self, enabled: bool, actor: Actor, at: datetime, cause: str = "") -> Switch:
        """Append a switch and raise ``CHANGED`` (the subclass decided it is a change)."""
        switch = Switch(enabled, at, actor, cause)
        self.history = (*self.history, switch)
        self.raise_event(self.CHANGED(self.member_id, switch))
        return switch


def aware(at: datetime) -> None:
    """A switch time carries its time zone."""
    if at.tzinfo is None:
        raise InvalidSwitch("a switch time carries its time zone")
