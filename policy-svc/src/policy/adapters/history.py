"""The stored form of staff's earlier dates (issue 15 item 4), on policies and amendments."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from policy.domain.fact_dates import EarlierDate


def history_document(entries: Iterable[EarlierDate]) -> list[dict[str, str]]:
    return [
        {
            "field": e.field,
            "given": e.given.isoformat(),
            "received_on": e.received_on.isoformat(),
            "actor": e.actor,
            "reason": e.reason,
        }
        for e in entries
    ]


def history_from(docs: Sequence[dict[str, Any]]) -> tuple[EarlierDate, ...]:
    return tuple(
        EarlierDate(
            e["field"],
            date.fromisoformat(e["given"]),
            date.fromisoformat(e["received_on"]),
            e["actor"],
            e["reason"],
        )
        for e in docs
    )
