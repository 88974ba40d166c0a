"""Proof of operations (LF-5): an append-only, hash-chained trail per account.

Each entry's hash covers its content and the previous entry's hash, so altering,
removing or re-ordering any stored entry breaks the chain from there on; ``verify``
recomputes it and names the first broken link.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class Operation:
    """What happened, by whom, from where, acting for whom (LF-5)."""

    action: str  # e.g. "session.created", "account.suspended"
    by: str | None  # the account acting (None: not logged in, e.g. a registration)
    source: str | None  # the client's address
    acting_for: str | None = None  # the dossier's member when acting for a dependant
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    trail: str  # the account's member id (account id for staff)
    seq: int  # 1, 2, 3 … within the trail
    at: str  # ISO 8601 UTC, as stored (so the hash does not depend on BSON precision)
    operation: Operation
    prev_hash: str
    hash: str


def entry_hash(trail: str, seq: int, at: str, operation: Operation, prev_hash: str) -> str:
    content = {"trail": trail, "seq": seq, "at": at, "prev_hash": prev_hash, **asdict(operation)}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def next_entry(
    trail: str, previous: AuditEntry | None, at: str, operation: Operation
) -> AuditEntry:
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS
    return AuditEntry(
        trail, seq, at, operation, prev_hash, entry_hash(trail, seq, at, operation, prev_hash)
    )


@dataclass(frozen=True)
class Verification:
    valid: bool
    entries: int
    first_broken: dict[str, Any] | None


def verify(entries: Sequence[AuditEntry]) -> Verification:
    """Recompute the chain in ``seq`` order; the first entry whose link or hash is wrong."""
    prev_hash = GENESIS
    for expected_seq, entry in enumerate(sorted(entries, key=lambda e: e.seq), start=1):
        problem = None
        if entry.seq != expected_seq:
            problem = f"entry {expected_seq} is missing"
        elif entry.prev_hash != prev_hash:
            problem = "does not link to the previous entry"
        elif entry.hash != entry_hash(
            entry.trail, entry.seq, entry.at, entry.operation, entry.prev_hash
        ):
            problem = "content does not match its hash"
        if problem:
            broken = {"seq": entry.seq, "at": entry.at, "action": entry.operation.action}
            return Verification(False, len(entries), {**broken, "reason": problem})
        prev_hash = entry.hash
    return Verification(True, len(entries), None)
