"""LF-5, issue 15 item 6: the audit key lives outside the database (a mounted file; in
dev/test a generated, git-ignored file; prod refuses to start without one), and an
operation is written in the same insert as the aggregate change it proves."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from identity.adapters.audit import (
    PENDING_FIELD,
    AuditingMapper,
    AuditKeyMissing,
    audited,
    load_audit_keys,
)
from identity.adapters.store import AccountMapper
from identity.domain.accounts import Account
from identity.domain.audit import AuditKey, Operation, verify

from testkit.fakes.identity import FakeAuditTrail
from testkit.fakes.shared import InMemoryAggregates


def test_prod_refuses_to_run_without_a_mounted_key() -> None:
    with pytest.raises(AuditKeyMissing, match="AUDIT_KEY_FILE"):
        load_audit_keys(None, dev_key_file=None)


def test_a_short_or_missing_key_file_is_refused_without_showing_its_content(
    tmp_path: Path,
) -> None:
    short = tmp_path / "short.key"
    short.write_text("s3cr3t")
    with pytest.raises(AuditKeyMissing, match="at least 32 bytes") as refused:
        load_audit_keys(str(short), dev_key_file=None)
    assert "s3cr3t" not in str(refused.value)
    with pytest.raises(AuditKeyMissing, match="AUDIT_RETIRED_KEY_FILES"):
        load_audit_keys(str(short), [str(tmp_path / "gone.key")], dev_key_file=None)


def test_dev_generates_one_key_file_once_and_keeps_it(tmp_path: Path) -> None:
    dev = tmp_path / "cache" / "audit.key"
    first = load_audit_keys(None, dev_key_file=str(dev))
    again = load_audit_keys(None, dev_key_file=str(dev))
    assert first.current.key_id == again.current.key_id
    assert dev.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_mounted_key_and_retired_ones(tmp_path: Path) -> None:
    current, retired = tmp_path / "new.key", tmp_path / "old.key"
    current.write_text("n" * 40 + "\n")
    retired.write_text("o" * 40)
    keys = load_audit_keys(str(current), [str(retired)], dev_key_file=str(tmp_path / "x"))
    assert keys.current == AuditKey(b"n" * 40)
    assert keys.get(AuditKey(b"o" * 40).key_id) is not None
    assert not (tmp_path / "x").exists()  # a mounted key: nothing generated


def new_account() -> Account:
    return Account.open(
        account_id="a-1",
        member_id="m-1",
        username="marie",
        password_hash=None,
        method="password",
        terms_version="2024-01",
        at=datetime(2026, 12, 1, tzinfo=UTC),
    )


@pytest.fixture
def accounts() -> InMemoryAggregates[Account]:
    return InMemoryAggregates(AuditingMapper(AccountMapper(), lambda a: a.member_id or ""))


async def test_the_operation_is_in_the_changes_own_document_then_in_the_trail(
    accounts: InMemoryAggregates[Account],
) -> None:
    trail = FakeAuditTrail()
    async with audited(trail, Operation("account.created", None, "192.0.2.1")) as details:
        details["terms"] = "2024-01"
        await accounts.save(new_account())
    [document] = accounts.documents.values()
    [pending] = document[PENDING_FIELD]
    assert (pending["action"], pending["trail"], pending["details"]) == (
        "account.created",
        "m-1",
        {"terms": "2024-01"},
    )
    [entry] = await trail.entries("m-1")
    assert entry.op_id == pending["op_id"]
    assert verify([entry], trail.keys).valid


async def test_a_failure_after_the_change_leaves_the_operation_in_its_document(
    accounts: InMemoryAggregates[Account],
) -> None:
    trail = FakeAuditTrail()
    with pytest.raises(RuntimeError):
        async with audited(trail, Operation("account.created", None, None)):
            await accounts.save(new_account())
            raise RuntimeError("crash")
    [document] = accounts.documents.values()
    assert document[PENDING_FIELD][0]["action"] == "account.created"
    assert await trail.entries("m-1") == []  # for the sweep to chain


async def test_no_change_records_nothing(accounts: InMemoryAggregates[Account]) -> None:
    trail = FakeAuditTrail()
    async with audited(trail, Operation("account.reactivated", None, None)):
        pass
    assert trail.trails == {}


async def test_recording_one_operation_twice_appends_it_once() -> None:
    trail = FakeAuditTrail()
    operation = Operation("account.suspended", "staff-1", None)
    await trail.record("m-1", operation, "op-1")
    await trail.record("m-1", operation, "op-1")
    assert len(await trail.entries("m-1")) == 1
