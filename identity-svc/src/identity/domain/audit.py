"""Proof of operations (LF-5; issue 15 item 6): the HMAC-chained, checkpointed trail.

The mechanism is generic and lives in ``mylm_shared.kernel.audit_chain`` (inbox-svc chains its
received messages with it, ES-2); identity's trail uses it as it is. Re-exported here so
identity's modules keep naming their domain.
"""

from mylm_shared.kernel.audit_chain import (
    GENESIS,
    MIN_KEY_BYTES,
    AuditEntry,
    AuditKey,
    AuditKeys,
    Checkpoint,
    Finding,
    FindingKind,
    Operation,
    Verification,
    checkpoint_is_authentic,
    checkpoint_of,
    entry_mac,
    next_entry,
    verify,
)

__all__ = [
    "GENESIS",
    "MIN_KEY_BYTES",
    "AuditEntry",
    "AuditKey",
    "AuditKeys",
    "Checkpoint",
    "Finding",
    "FindingKind",
    "Operation",
    "Verification",
    "checkpoint_is_authentic",
    "checkpoint_of",
    "entry_mac",
    "next_entry",
    "verify",
]
