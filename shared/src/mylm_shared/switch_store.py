"""A member's switch (``mylm_shared.kernel.switches``) in Mongo: one ``SwitchState``
aggregate per member, insert-only versions with their outbox, as every aggregate
(``mylm_shared.aggregates``). Used by billing's e-invoicing (EI-2, EI-3) and inbox's
inbox switch (IN-3); each names its collection, its state type and its bus event.

Stored document (unchanged from the services' own mappers, so existing data reads)::

    {"member_id": …, "enabled": …,
     "history": [{"enabled", "at" (ISO 8601), "actor", "actor_id"[, "cause"]}, …]}
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from mylm_shared.aggregates import Message, MongoAggregates
from mylm_shared.events import EventSpec
from mylm_shared.kernel.switches import Actor, Switch, SwitchChanged, SwitchState
from mylm_shared.mongo import Document

S = TypeVar("S", bound=SwitchState)


class SwitchMapper(Generic[S]):
    """``S`` ↔ stored document; its ``SwitchChanged`` event → ``changed`` on the bus (a
    payload of ``member_id``, ``enabled``, ``since``, ``changed_by``). ``causes``: the
    history keeps each switch's cause (the system's switches name their event)."""

    def __init__(self, state: type[S], changed: EventSpec[Any], *, causes: bool = True) -> None:
        self._state = state
        self._changed = changed
        self._causes = causes

    def to_document(self, state: S) -> Document:
        return {
            "member_id": state.member_id,
            "enabled": state.enabled,
            "history": [self._switch_document(s) for s in state.history],
        }

    def _switch_document(self, switch: Switch) -> Document:
        stored: Document = {
            "enabled": switch.enabled,
            "at": switch.at.isoformat(),
            "actor": switch.actor.kind,
            "actor_id": switch.actor.actor_id,
        }
        if self._causes:
            stored["cause"] = switch.cause
        return stored

    def from_document(self, doc: Document) -> S:
        return self._state(
            member_id=doc["member_id"],
            history=tuple(
                Switch(
                    enabled=s["enabled"],
                    at=datetime.fromisoformat(s["at"]),
                    actor=Actor(s["actor"], s.get("actor_id", "")),
                    cause=s.get("cause", ""),
                )
                for s in doc.get("history", ())
            ),
        )

    def to_messages(self, event: object) -> Sequence[Message]:
        if isinstance(event, self._state.CHANGED) and isinstance(event, SwitchChanged):
            switch = event.switch
            payload = self._changed.model(
                member_id=event.member_id,
                enabled=switch.enabled,
                since=switch.at,
                changed_by=switch.actor.changed_by,
            )
            return [Message(self._changed, payload, event.member_id)]
        raise TypeError(f"no bus message for {event!r}")


def switch_store(
    db: AsyncDatabase[Document], collection: str, mapper: SwitchMapper[S], source: str
) -> MongoAggregates[S]:
    """The store of one kind of switch, in ``collection``."""
    return MongoAggregates(db[collection], mapper, source)
