"""Append-only HMAC-chained trails, generic (moved from identity-svc): identity's proof
of operations (LF-5; issue 15 item 6), an append-only trail per account, and inbox's
chain of received messages (ES-2; issue 19 item 3), one trail per member. Entries are
chained with an HMAC under a key that is not in the database, and anchored
outside it by checkpoints (the chain's head, HMAC'd too) published to Kafka.

- Each entry's ``hash`` is HMAC-SHA256, under the key named by its ``key_id``, of its
  content and the previous entry's ``hash``. Whoever can write the database but does
  not hold the key cannot rewrite an entry, even by recomputing a plain hash.
- A checkpoint ``(trail, seq, hash)`` taken periodically and kept in Kafka says how far
  the chain reached: a trail whose stored head is shorter was truncated (or emptied).
- ``verify`` names each finding apart: ``rewritten`` (an entry's content or link does
  not match its HMAC, or differs from the checkpoint), ``deleted`` (a gap in the
  sequence), ``truncated``/``emptied`` (the head is behind the checkpoint),
  ``unknown_key`` (an entry under a key id no longer configured), ``checkpoint_forged``.

Key rotation: entries name their key id; verification accepts every key still configured
(the current one and the retired ones kept for verification).

Pure: no I/O, no clock.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

GENESIS = "0" * 64
MIN_KEY_BYTES = 32


@dataclass(frozen=True)
class Operation:
    """What happened, by whom, from where, acting for whom (LF-5)."""

    action: str  # e.g. "session.created", "account.suspended", "login.failed"
    by: str | None  # the account acting (None: not logged in, e.g. a registration)
    source: str | None  # the client's address
    acting_for: str | None = None  # the dossier's member when acting for a dependant
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditKey:
    """One HMAC key. Its id is derived from the key (an HMAC of a constant), so it names
    the key without revealing it and a new key always gets a new id."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) < MIN_KEY_BYTES:
            raise ValueError(f"an audit key needs at least {MIN_KEY_BYTES} bytes")

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, b"mylm-audit-key-id", hashlib.sha256).hexdigest()[:16]

    def mac(self, content: Mapping[str, Any]) -> str:
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        return hmac.new(self.secret, canonical.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AuditKeys:
    """The key new entries and checkpoints are made with, and the retired ones still
    accepted when verifying (rotation)."""

    current: AuditKey
    retired: tuple[AuditKey, ...] = ()

    def get(self, key_id: str | None) -> AuditKey | None:
        for key in (self.current, *self.retired):
            if key.key_id == key_id:
                return key
        return None


@dataclass(frozen=True)
class AuditEntry:
    trail: str  # the account's member id (account id for staff)
    seq: int  # 1, 2, 3 … within the trail
    at: str  # ISO 8601 UTC, as stored (so the HMAC does not depend on BSON precision)
    operation: Operation
    prev_hash: str
    hash: str
    key_id: str | None = None  # None: an entry of before issue 15 (unkeyed, proves nothing)
    op_id: str | None = None  # the operation's id: recording it twice appends it once


def _entry_content(
    trail: str, seq: int, at: str, operation: Operation, prev_hash: str, key_id: str, op_id: str
) -> dict[str, Any]:
    return {
        "trail": trail,
        "seq": seq,
        "at": at,
        "prev_hash": prev_hash,
        "key_id": key_id,
        "op_id": op_id,
        **asdict(operation),
    }


def entry_mac(key: AuditKey, entry: AuditEntry) -> str:
    """The HMAC an entry must carry (computed over everything but ``hash`` itself)."""
    content = _entry_content(
        entry.trail,
        entry.seq,
        entry.at,
        entry.operation,
        entry.prev_hash,
        entry.key_id or "",
        entry.op_id or "",
    )
    return key.mac(content)


def next_entry(
    key: AuditKey,
    trail: str,
    previous: AuditEntry | None,
    at: str,
    operation: Operation,
    op_id: str,
) -> AuditEntry:
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS
    draft = AuditEntry(trail, seq, at, operation, prev_hash, "", key.key_id, op_id)
    return AuditEntry(
        trail, seq, at, operation, prev_hash, entry_mac(key, draft), key.key_id, op_id
    )


@dataclass(frozen=True)
class Checkpoint:
    """The head of one trail at ``at``, HMAC'd so nobody without the key can publish a
    shorter one (kept in Kafka, outside the database)."""

    trail: str
    seq: int
    hash: str
    at: str
    key_id: str
    mac: str


def _checkpoint_content(
    trail: str, seq: int, head_hash: str, at: str, key_id: str
) -> dict[str, Any]:
    return {"checkpoint": trail, "seq": seq, "hash": head_hash, "at": at, "key_id": key_id}


def checkpoint_of(key: AuditKey, head: AuditEntry, at: str) -> Checkpoint:
    content = _checkpoint_content(head.trail, head.seq, head.hash, at, key.key_id)
    return Checkpoint(head.trail, head.seq, head.hash, at, key.key_id, key.mac(content))


def checkpoint_is_authentic(keys: AuditKeys, checkpoint: Checkpoint) -> bool:
    key = keys.get(checkpoint.key_id)
    if key is None:
        return False
    content = _checkpoint_content(
        checkpoint.trail, checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.key_id
    )
    return hmac.compare_digest(key.mac(content), checkpoint.mac)


FindingKind = Literal[
    "rewritten", "deleted", "truncated", "emptied", "unknown_key", "checkpoint_forged"
]


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    seq: int | None  # the entry concerned (first missing one for a gap or truncation)
    detail: str


@dataclass(frozen=True)
class Verification:
    valid: bool
    entries: int
    findings: list[Finding]
    # How far the checkpoint read from outside the database anchors the trail (None:
    # no authentic checkpoint yet; the entries after it are only protected by the HMAC).
    checkpoint_seq: int | None = None

    @property
    def first_broken(self) -> dict[str, Any] | None:
        if not self.findings:
            return None
        first = self.findings[0]
        return {"seq": first.seq, "kind": first.kind, "reason": first.detail}


def verify(
    entries: Sequence[AuditEntry], keys: AuditKeys, checkpoint: Checkpoint | None = None
) -> Verification:
    """Check every stored entry's HMAC and link, the sequence for gaps, and the stored
    head against the latest checkpoint. Every finding is reported, in ``seq`` order."""
    findings: list[Finding] = []
    anchor = checkpoint
    if checkpoint is not None and not checkpoint_is_authentic(keys, checkpoint):
        findings.append(
            Finding(
                "checkpoint_forged",
                checkpoint.seq,
                "the latest checkpoint's HMAC does not verify under any configured key",
            )
        )
        anchor = None
    by_seq = {entry.seq: entry for entry in entries}
    head = max(by_seq, default=0)
    previous: AuditEntry | None = None
    for seq in range(1, head + 1):
        entry = by_seq.get(seq)
        if entry is None:
            if previous is not None or seq == 1:
                end = next(s for s in range(seq, head + 1) if s in by_seq) - 1
                span = f"entry {seq}" if end == seq else f"entries {seq}..{end}"
                findings.append(Finding("deleted", seq, f"{span} missing from the trail"))
            previous = None
            continue
        findings += _check_entry(entry, previous, keys, seq)
        previous = entry
    if anchor is not None:
        findings += _against_checkpoint(by_seq, head, anchor)
    findings.sort(key=lambda f: f.seq or 0)
    anchored = anchor.seq if anchor is not None else None
    return Verification(not findings, len(entries), findings, anchored)


def _check_entry(
    entry: AuditEntry, previous: AuditEntry | None, keys: AuditKeys, seq: int
) -> list[Finding]:
    key = keys.get(entry.key_id)
    if key is None:
        what = "no key (written before the keyed chain)" if entry.key_id is None else "key id"
        return [Finding("unknown_key", seq, f"entry under {what} {entry.key_id or ''}".strip())]
    if not hmac.compare_digest(entry_mac(key, entry), entry.hash):
        return [Finding("rewritten", seq, "content does not match its HMAC")]
    expected_prev = previous.hash if previous is not None else GENESIS
    if (previous is not None or seq == 1) and entry.prev_hash != expected_prev:
        return [Finding("rewritten", seq, "does not link to the previous entry")]
    return []


def _against_checkpoint(
    by_seq: Mapping[int, AuditEntry], head: int, checkpoint: Checkpoint
) -> list[Finding]:
    if head == 0 and checkpoint.seq > 0:
        return [
            Finding("emptied", 1, f"no entries left; the checkpoint vouches for {checkpoint.seq}")
        ]
    if head < checkpoint.seq:
        return [
            Finding(
                "truncated",
                head + 1,
                f"the trail ends at {head}; the checkpoint vouches for {checkpoint.seq}",
            )
        ]
    anchored = by_seq.get(checkpoint.seq)
    if anchored is not None and not hmac.compare_digest(anchored.hash, checkpoint.hash):
        return [Finding("rewritten", checkpoint.seq, "differs from the published checkpoint")]
    return []
