"""LF-5, issue 15 item 6: the audit chain's pure logic. Entries are chained with an HMAC
under a key outside the database; ``verify`` names rewriting, deletion, truncation and
emptying apart, accepts retired keys (rotation) and refuses a forged checkpoint."""

import dataclasses
import hashlib
import json
from dataclasses import asdict

from identity.domain.audit import (
    GENESIS,
    AuditEntry,
    AuditKey,
    AuditKeys,
    Checkpoint,
    Operation,
    checkpoint_of,
    next_entry,
    verify,
)

KEY = AuditKey(b"k" * 32)
OTHER = AuditKey(b"o" * 32)
KEYS = AuditKeys(KEY)


def chain(n: int, key: AuditKey = KEY, start: AuditEntry | None = None) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    previous = start
    for i in range(n):
        operation = Operation("session.created", "acc-1", f"10.0.0.{i}")
        previous = next_entry(key, "m-1", previous, f"2026-12-01T10:00:0{i}", operation, f"op{i}")
        entries.append(previous)
    return entries


def kinds(
    entries: list[AuditEntry], checkpoint: Checkpoint | None = None
) -> list[tuple[str, int | None]]:
    return [(f.kind, f.seq) for f in verify(entries, KEYS, checkpoint).findings]


def test_an_untampered_chain_verifies_against_its_checkpoint() -> None:
    entries = chain(4)
    result = verify(entries, KEYS, checkpoint_of(KEY, entries[-1], "2026-12-01T10:01:00"))
    assert result.valid and result.entries == 4 and result.checkpoint_seq == 4
    assert entries[0].prev_hash == GENESIS and entries[1].prev_hash == entries[0].hash


def test_an_entry_rewritten_with_a_recomputed_plain_hash_is_named_rewritten() -> None:
    entries = chain(3)
    forged_op = dataclasses.replace(entries[1].operation, source="203.0.113.7")
    content = {**asdict(forged_op), "seq": 2, "prev_hash": entries[1].prev_hash}
    plain = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    entries[1] = dataclasses.replace(entries[1], operation=forged_op, hash=plain)
    # The next entry still links to the old hash: the rewrite shows at 2 and its link at 3.
    assert kinds(entries) == [("rewritten", 2), ("rewritten", 3)]


def test_an_entry_rewritten_under_another_key_is_rewritten() -> None:
    entries = chain(2)
    forged = next_entry(OTHER, "m-1", entries[0], entries[1].at, Operation("x", None, None), "o")
    forged = dataclasses.replace(forged, key_id=KEY.key_id)
    assert kinds([entries[0], forged]) == [("rewritten", 2)]


def test_a_deleted_middle_entry_is_a_gap() -> None:
    entries = chain(5)
    del entries[2]
    result = verify(entries, KEYS, checkpoint_of(KEY, chain(5)[-1], "t"))
    assert [(f.kind, f.seq) for f in result.findings] == [("deleted", 3)]
    assert result.findings[0].detail == "entry 3 missing from the trail"


def test_a_truncated_tail_is_behind_the_checkpoint() -> None:
    entries = chain(5)
    checkpoint = checkpoint_of(KEY, entries[-1], "t")
    assert kinds(entries[:3], checkpoint) == [("truncated", 4)]
    assert kinds(entries[:3]) == []  # without the anchor, a truncation cannot be seen


def test_an_emptied_trail_is_named_emptied() -> None:
    checkpoint = checkpoint_of(KEY, chain(2)[-1], "t")
    result = verify([], KEYS, checkpoint)
    assert [(f.kind, f.seq) for f in result.findings] == [("emptied", 1)]
    assert not result.valid


def test_a_chain_regrown_after_a_truncation_differs_from_the_checkpoint() -> None:
    entries = chain(4)
    checkpoint = checkpoint_of(KEY, entries[-1], "t")
    regrown = entries[:2]  # the tail deleted, then identity appended again with its key
    for i in range(2):
        operation = Operation("session.created", "acc-1", None)
        regrown.append(next_entry(KEY, "m-1", regrown[-1], "later", operation, f"new{i}"))
    assert kinds(regrown, checkpoint) == [("rewritten", 4)]


def test_a_forged_checkpoint_is_refused_and_named() -> None:
    entries = chain(2)
    forged = dataclasses.replace(checkpoint_of(KEY, entries[-1], "t"), seq=1)
    result = verify(entries, KEYS, forged)
    assert [(f.kind, f.seq) for f in result.findings] == [("checkpoint_forged", 1)]
    assert result.checkpoint_seq is None


def test_rotation_entries_under_a_retired_key_still_verify() -> None:
    old = chain(2, key=OTHER)
    rotated = AuditKeys(KEY, retired=(OTHER,))
    newer = next_entry(KEY, "m-1", old[-1], "later", Operation("x", None, None), "n")
    entries = [*old, newer]
    assert verify(entries, rotated, checkpoint_of(KEY, newer, "t")).valid
    # once the retired key is dropped from the configuration, its entries are unverifiable
    dropped = verify(entries, KEYS).findings
    assert [(f.kind, f.seq) for f in dropped] == [("unknown_key", 1), ("unknown_key", 2)]


def test_key_ids_name_keys_without_revealing_them() -> None:
    assert KEY.key_id != OTHER.key_id and len(KEY.key_id) == 16
    assert KEY.secret.hex() not in KEY.key_id and "secret" not in repr(KEY)
