"""Messages to the mutuality, optionally eID-signed (ES-1..ES-3; issue 19 item 3): the
domain and the use cases over the fakes of testkit/fakes/inbox.py. The real CMS checks
run against openssl in tests/integration/test_signed_messages.py."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from inbox.domain.messages import (
    InvalidCursor,
    InvalidMessage,
    Message,
    SignatureCheck,
    Signer,
    StoredFile,
    decode_cursor,
    integrity_findings,
    new_message,
    next_block,
    verdict,
)
from inbox.service.messages import Sender

from testkit.fakes.inbox import InboxFakes

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
JAN = "member-jan"
VALID = SignatureCheck("valid", None, Signer("CN=Jan Peeters (Signature)", "1a"), NOW, b"cert")


def content(text: str = "Beste, hierbij mijn aanvraag.") -> StoredFile:
    return StoredFile("message.txt", "text/plain", text.encode())


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def fakes() -> InboxFakes:
    fakes = InboxFakes(clock=Clock())
    fakes.verifier.check = VALID
    return fakes


async def send(
    fakes: InboxFakes, *, signature: bytes | None = b"der", subject: str = "Vraag"
) -> Message:
    return await fakes.use_cases().messages.send(
        JAN,
        subject=subject,
        content=content(),
        attachments=[StoredFile("scan.pdf", "application/pdf", b"%PDF-1.7")],
        signature=signature,
        sender=Sender("account-jan"),
    )


async def test_es1_a_valid_signature_is_stored_valid_with_signer_and_hash(
    fakes: InboxFakes,
) -> None:
    """ES-1: the verifier's verdict, the signer and the content hash are stored."""
    message = await send(fakes)
    assert message.verification.status == "valid"
    assert message.verification.signer == VALID.signer
    assert message.content_sha256 == content().sha256
    assert fakes.messages.messages[message.message_id] is message
    assert fakes.messages.received == [message]  # message.received for staff tooling
    assert fakes.verifier.seen[0][:2] == (content().content, b"der")


async def test_es1_unsigned_message_is_unsigned_and_not_verified(fakes: InboxFakes) -> None:
    message = await send(fakes, signature=None)
    assert message.verification.status == "unsigned"
    assert message.signature is None and message.certificate is None
    assert fakes.verifier.seen == []


async def test_es1_a_rejected_signature_is_stored_not_refused(fakes: InboxFakes) -> None:
    """Issue 19 item 3: a bad signature never refuses the upload: stored, rejected."""
    fakes.verifier.check = SignatureCheck("rejected", "the content does not match", None, None)
    message = await send(fakes)
    assert message.verification.status == "rejected"
    assert message.verification.reason == "the content does not match"
    assert message.message_id in fakes.messages.messages


async def test_es3_a_blocked_member_s_signed_message_is_rejected_with_the_reason(
    fakes: InboxFakes,
) -> None:
    """ES-3: after a block (loss or theft of the card), even a signature the verifier
    accepts is stored rejected with the block's reason; after unblocking, valid again."""
    messages = fakes.use_cases().messages
    await messages.set_block(JAN, blocked=True, reason="kaart gestolen", changed_by="member")
    blocked = await send(fakes)
    assert blocked.verification.status == "rejected"
    assert "blocked" in (blocked.verification.reason or "")
    assert "kaart gestolen" in (blocked.verification.reason or "")
    unsigned = await send(fakes, signature=None)
    assert unsigned.verification.status == "unsigned"  # unsigned messages still go
    await messages.set_block(JAN, blocked=False, reason="nieuwe kaart", changed_by="member")
    assert (await send(fakes)).verification.status == "valid"
    history = sorted(fakes.messages.blocks.values(), key=lambda b: b.seq)
    assert [(b.seq, b.blocked) for b in history] == [(1, True), (2, False)]


def test_es3_verdict_never_valid_under_a_block() -> None:
    """ES-3: no reason given, still rejected; lifted, the verifier's verdict again."""
    block = next_block(None, member_id=JAN, blocked=True, reason=" ", at=NOW, changed_by="member")
    result = verdict(VALID, block)
    assert result.status == "rejected"
    assert result.signer == VALID.signer
    assert verdict(None, block).status == "unsigned"
    lifted = next_block(block, member_id=JAN, blocked=False, reason=None, at=NOW, changed_by="m")
    assert lifted.seq == 2
    assert verdict(VALID, lifted).status == "valid"


async def test_message_needs_subject_and_content(fakes: InboxFakes) -> None:
    with pytest.raises(InvalidMessage, match="subject"):
        await send(fakes, subject="   ")
    with pytest.raises(InvalidMessage, match="empty"):
        await fakes.use_cases().messages.send(
            JAN,
            subject="x",
            content=StoredFile("a.txt", "text/plain", b""),
            attachments=[],
            signature=None,
            sender=Sender("account-jan"),
        )
    with pytest.raises(InvalidMessage, match="attachments"):
        await fakes.use_cases().messages.send(
            JAN,
            subject="x",
            content=content(),
            attachments=[content()] * 11,
            signature=None,
            sender=Sender("account-jan"),
        )


async def test_es2_integrity_finds_an_altered_message(fakes: InboxFakes) -> None:
    """ES-2: a stored message changed afterwards (here its verification turned valid and
    its content rewritten) no longer matches the hash chained at receipt."""
    rejected_check = SignatureCheck("rejected", "expired", None, None)
    fakes.verifier.check = rejected_check
    message = await send(fakes)
    untouched = await send(fakes, signature=None)
    assert await fakes.use_cases().messages.integrity() == (2, [])
    forged = dataclasses.replace(
        message,
        verification=dataclasses.replace(message.verification, status="valid", reason=None),
    )
    fakes.messages.messages[message.message_id] = forged
    count, findings = await fakes.use_cases().messages.integrity()
    assert count == 2
    assert [(f.kind, f.message_id) for f in findings] == [("altered", message.message_id)]
    del fakes.messages.messages[untouched.message_id]
    _, findings = await fakes.use_cases().messages.integrity(JAN)
    assert {(f.kind, f.message_id) for f in findings} == {
        ("altered", message.message_id),
        ("deleted", untouched.message_id),
    }


def test_es2_record_hash_covers_every_stored_part() -> None:
    message = new_message(
        message_id="m1",
        member_id=JAN,
        subject="Vraag",
        content=content(),
        attachments=[StoredFile("scan.pdf", "application/pdf", b"%PDF")],
        signature=b"sig",
        check=VALID,
        block=None,
        received_at=NOW,
        sent_by="account-jan",
        acting_for=None,
    )
    changes = [
        dataclasses.replace(message, subject="Other"),
        dataclasses.replace(message, content=content("Beste, hierbij mijn aanvraag!")),
        dataclasses.replace(message, attachments=()),
        dataclasses.replace(message, signature=b"sig2"),
        dataclasses.replace(message, certificate=b"other"),
        dataclasses.replace(message, received_at=NOW + timedelta(seconds=1)),
        dataclasses.replace(
            message, verification=dataclasses.replace(message.verification, reason="x")
        ),
    ]
    assert len({message.record_sha256, *(c.record_sha256 for c in changes)}) == 8


def test_es2_integrity_findings_unchained() -> None:
    findings = integrity_findings(JAN, {"a": "h1", "b": "h2"}, {"a": "h1"})
    assert [(f.kind, f.message_id) for f in findings] == [("unchained", "b")]


async def test_messages_page_by_cursor_newest_first(fakes: InboxFakes) -> None:
    sent = [await send(fakes, signature=None, subject=f"m{i}") for i in range(5)]
    messages = fakes.use_cases().messages
    first = await messages.messages_of(JAN, limit=2, cursor=None)
    assert [m.subject for m in first.items] == ["m4", "m3"]
    second = await messages.messages_of(JAN, limit=2, cursor=first.next_cursor)
    assert [m.subject for m in second.items] == ["m2", "m1"]
    last = await messages.messages_of(JAN, limit=2, cursor=second.next_cursor)
    assert [m.subject for m in last.items] == ["m0"] and last.next_cursor is None
    assert len(sent) == 5
    with pytest.raises(InvalidCursor):
        decode_cursor("not-a-cursor")
