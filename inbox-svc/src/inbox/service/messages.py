"""Use cases of messages to the mutuality (ES-1..ES-3; issue 19 item 3): send one
(optionally with a detached eID signature over its content), list and read them, block
or unblock signed messaging (ES-3), check the stored messages' integrity (ES-2)."""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from inbox.domain.messages import (
    MAX_ATTACHMENTS,
    IntegrityFinding,
    InvalidMessage,
    Message,
    MessagePage,
    SignatureCheck,
    SigningBlock,
    StoredFile,
    new_message,
    next_block,
    page,
)

MAX_SIGNATURE_BYTES = 256 * 1024


class MessageStore(Protocol):
    """Append-only store of messages and signing blocks (``adapters/message_store.py``;
    the fake in ``testkit/fakes/inbox.py``)."""

    async def add(self, message: Message) -> None: ...

    async def get(self, message_id: str) -> Message | None: ...

    async def of_member(self, member_id: str) -> list[Message]: ...

    async def block_of(self, member_id: str) -> SigningBlock | None: ...

    async def save_block(self, block: SigningBlock) -> bool:
        """False if another change took ``block.seq`` first."""

    async def integrity(
        self, member_id: str | None = None
    ) -> tuple[int, list[IntegrityFinding]]: ...


class SignatureVerifier(Protocol):
    """Checks a detached CMS signature over ``content`` (``adapters/cms.py``)."""

    async def verify(
        self, content: bytes, signature: bytes, received_at: datetime
    ) -> SignatureCheck: ...


@dataclass(frozen=True)
class Sender:
    """Who sends: the account, and the dossier's member when a titular acts for them."""

    account_id: str
    acting_for: str | None = None


@dataclass
class Messages:
    store: MessageStore
    verifier: SignatureVerifier
    clock: Callable[[], datetime]
    max_attachments: int = MAX_ATTACHMENTS
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex

    async def send(
        self,
        member_id: str,
        *,
        subject: str,
        content: StoredFile,
        attachments: Sequence[StoredFile],
        signature: bytes | None,
        sender: Sender,
    ) -> Message:
        """ES-1..ES-3: verified, stored (a bad signature stored ``rejected``, never
        refused), announced to staff tooling (``message.received``)."""
        received_at = self.clock()
        if signature is not None and len(signature) > MAX_SIGNATURE_BYTES:
            raise InvalidMessage(f"The signature is larger than {MAX_SIGNATURE_BYTES} bytes.")
        signature = signature or None  # an empty signature part: unsigned
        check = (
            await self.verifier.verify(content.content, signature, received_at)
            if signature is not None
            else None
        )
        block = await self.store.block_of(member_id) if signature is not None else None
        message = new_message(
            message_id=self.new_id(),
            member_id=member_id,
            subject=subject,
            content=content,
            attachments=attachments,
            signature=signature,
            check=check,
            block=block,
            received_at=received_at,
            sent_by=sender.account_id,
            acting_for=sender.acting_for,
            max_attachments=self.max_attachments,
        )
        await self.store.add(message)
        return message

    async def messages_of(self, member_id: str, *, limit: int, cursor: str | None) -> MessagePage:
        return page(await self.store.of_member(member_id), limit=limit, cursor=cursor)

    async def message(self, message_id: str) -> Message | None:
        return await self.store.get(message_id)

    async def block(self, member_id: str) -> SigningBlock | None:
        return await self.store.block_of(member_id)

    async def set_block(
        self, member_id: str, *, blocked: bool, reason: str | None, changed_by: str
    ) -> SigningBlock:
        """ES-3: the member (a titular acting for them, staff on their call) blocks or
        unblocks signed messaging; each change is kept (insert-only)."""
        for _ in range(50):
            block = next_block(
                await self.store.block_of(member_id),
                member_id=member_id,
                blocked=blocked,
                reason=reason,
                at=self.clock(),
                changed_by=changed_by,
            )
            if await self.store.save_block(block):
                return block
        raise RuntimeError("signing block: too much contention")

    async def integrity(self, member_id: str | None = None) -> tuple[int, list[IntegrityFinding]]:
        return await self.store.integrity(member_id)
