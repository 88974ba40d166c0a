"""The audit trail (LF-5; issue 15 item 6): its HMAC keys, its store, and its checkpoints.

The mechanism is generic and lives in ``mylm_shared.audit_trail`` (inbox-svc chains its
received messages with it, ES-2); identity's trail is its default collections
(``audit_trail``, ``audit_checkpoint_due``), settings (``AUDIT_KEY_FILE``,
``AUDIT_RETIRED_KEY_FILES``, ``AUDIT_DEV_KEY_FILE``) and lease. Re-exported here.
"""

from mylm_shared.audit_trail import (
    AUDIT,
    AUDIT_INDEXES,
    CHECKPOINT_DUE,
    CHECKPOINT_TOPIC_CONFIG,
    PENDING_FIELD,
    PENDING_HORIZON,
    AuditingMapper,
    AuditKeyMissing,
    CheckpointPublisher,
    CheckpointUnavailable,
    MongoAuditTrail,
    PendingOperation,
    Recorder,
    audited,
    ensure_checkpoint_topic,
    latest_checkpoint,
    load_audit_keys,
    read_checkpoints,
    sweep_pending,
)

__all__ = [
    "AUDIT",
    "AUDIT_INDEXES",
    "CHECKPOINT_DUE",
    "CHECKPOINT_TOPIC_CONFIG",
    "PENDING_FIELD",
    "PENDING_HORIZON",
    "AuditKeyMissing",
    "AuditingMapper",
    "CheckpointPublisher",
    "CheckpointUnavailable",
    "MongoAuditTrail",
    "PendingOperation",
    "Recorder",
    "audited",
    "ensure_checkpoint_topic",
    "latest_checkpoint",
    "load_audit_keys",
    "read_checkpoints",
    "sweep_pending",
]
