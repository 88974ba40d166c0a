"""A member's inbox on or off (issue 19 item 2; IN-2, IN-3). Pure: no I/O;
``InboxState`` is an aggregate the store keeps, one per member.

* rule IN-2: "De Inbox is een dienst die wordt aangeboden aan alle leden": every member
  has it; a member without a record has it on (documents arrive in the inbox, IN-1).
* rule IN-3: "Je kan de Inbox op elk ogenblik activeren of deactiveren op 'My Settings'":
  the member, a titular acting for them, or staff switch it; every switch is recorded
  with time and actor (``inbox.settings_changed``). While off, new documents go by post
  (``inbox.domain.documents.delivery_for``); switched on again, new documents arrive in
  the inbox again. A switch never moves a document already delivered.
* The state in force when a document's event happened decides its channel
  (``enabled_at``), so a redelivered or replayed event delivers it the same way.

Switching to the state already in force records nothing (idempotent): ``since`` keeps
saying since when, and every record in the history is a real change.
"""

from datetime import datetime

from mylm_shared.kernel import switches
from mylm_shared.kernel.switches import Actor, InvalidSwitch, Switch

# The shared switch's parts, named here for the service's modules and tests.
__all__ = ["Actor", "InboxState", "InboxSwitched", "InvalidSwitch", "Switch", "enabled_at"]


class InboxSwitched(switches.SwitchChanged):
    """Domain event (``inbox.settings_changed``)."""


class InboxState(switches.SwitchState):
    """IN-2: on unless switched off (and not on again since); the switch, history and
    state in force (IN-3) are the shared ``mylm_shared.kernel.switches``."""

    DEFAULT = True
    CHANGED = InboxSwitched

    def switch(self, enabled: bool, actor: Actor, at: datetime) -> Switch | None:
        """Record a change; None (nothing recorded) when it is the state already."""
        switches.aware(at)
        last = self.last
        if last is not None and at < last.at:
            at = last.at  # clocks of two replicas: never dated before the last switch
        if enabled == self.enabled:
            return None
        return self.record(enabled, actor, at)


def enabled_at(state: InboxState | None, at: datetime) -> bool:
    """No record: on (IN-2)."""
    return True if state is None else state.enabled_at(at)
