"""notify-svc's Mongo database: recipients (address, language) and the e-mails it sent."""

import contextlib
from datetime import UTC, datetime
from typing import Literal

from mylm_shared.mongo import Document
from mylm_shared.projections import apply_newer, insert_first
from mylm_shared.read_cache import ReadThroughCache
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

RECIPIENTS = "recipients"
EMAILS = "emails"  # one claim per e-mail (the event id)
SENT = "emails_sent"  # one entry per e-mail the SMTP server accepted
RETRIES = "email_retries"  # one entry per claim taken again after a crash

EmailState = Literal["sending", "sent"]

# EI-4: invoice e-mails are on unless the member switches them off.
_DEFAULTS = {"invoice_emails": True}


def _recipient(email: str | None, language: str, first_name: str) -> Document:
    return {
        "email": email,
        "language": language,
        "first_name": first_name,
        "updated_at": datetime.now(UTC),
    }


class NotifyRepository:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        recipients: ReadThroughCache[str, Document] | None = None,
    ) -> None:
        """``recipients``: recipients kept in memory for a short while
        (``member_cache_*`` settings); none: every look-up reads the store."""
        self._known = (
            recipients
            if recipients is not None
            else ReadThroughCache[str, Document](max_entries=0, ttl_seconds=0)
        )
        self._recipients = db[RECIPIENTS]
        self._emails = db[EMAILS]
        self._sent = db[SENT]
        self._retries = db[RETRIES]

    # Recipients: ``member.registered`` only inserts, only the ``member.updated``
    # consumer (keyed by member) writes in place, never over a newer state
    # (``mylm_shared.projections``). Every write handled here drops the cached recipient
    # (even a refused one: the store holds the answer), so this replica mails the new
    # address at once, the others within the cache's TTL.
    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = _recipient(email, language, first_name)
        try:
            await insert_first(self._recipients, member_id, {**fields, **_DEFAULTS}, as_of)
        finally:
            self._known.invalidate(member_id)

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = _recipient(email, language, first_name)
        try:
            await apply_newer(self._recipients, member_id, fields, as_of, on_insert=_DEFAULTS)
        finally:
            self._known.invalidate(member_id)

    async def recipient(self, member_id: str) -> Document | None:
        """None while the member is not known yet (never cached: the handler's
        ``RecipientUnknown`` retry asks the store again). Callers do not mutate it."""
        return await self._known.get(
            member_id, lambda: self._recipients.find_one({"_id": member_id})
        )

    async def claim_email(self, email_id: str, member_id: str, kind: str) -> EmailState:
        """Claim the e-mail for an event; returns its state (``sent`` means: do nothing).

        Append-only (inserts and ``_id`` reads): on FerretDB an update costs a scan of
        the collection, an insert does not.
        """
        claim = {"_id": email_id, "member_id": member_id, "kind": kind, "at": datetime.now(UTC)}
        try:
            await self._emails.insert_one(claim)
            return "sending"
        except DuplicateKeyError:
            pass  # claimed before: sent, or interrupted by a crash
        if await self._sent.find_one({"_id": email_id}, {"_id": 1}) is not None:
            return "sent"
        # A crash interrupted the earlier attempt, which the SMTP server may or may not
        # have accepted; the resend carries the same Message-ID. Kept for the record.
        await self._retries.insert_one({"email_id": email_id, "at": datetime.now(UTC)})
        return "sending"

    async def mark_sent(self, email_id: str) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self._sent.insert_one({"_id": email_id, "at": datetime.now(UTC)})

    async def attempts(self) -> dict[str, int]:
        """How often each e-mail was claimed (1 unless a crash interrupted a send)."""
        counts = {claim["_id"]: 1 async for claim in self._emails.find({}, {"_id": 1})}
        async for retry in self._retries.find({}, {"email_id": 1}):
            counts[retry["email_id"]] += 1
        return counts
