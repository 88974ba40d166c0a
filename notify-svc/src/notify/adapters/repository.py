"""notify-svc's Mongo database: recipients (address, language) and the e-mails it sent."""

from datetime import UTC, datetime
from typing import Literal

from mylm_shared.mongo import Document, retry_on_conflict
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

RECIPIENTS = "recipients"
EMAILS = "emails"

EmailState = Literal["sending", "sent"]


class NotifyRepository:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._recipients = db[RECIPIENTS]
        self._emails = db[EMAILS]

    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str
    ) -> None:
        await self._recipients.update_one(
            {"_id": member_id},
            {
                "$set": {
                    "email": email,
                    "language": language,
                    "first_name": first_name,
                    "updated_at": datetime.now(UTC),
                },
                # EI-4: invoice e-mails are on unless the member switches them off.
                "$setOnInsert": {"invoice_emails": True},
            },
            upsert=True,
        )

    async def recipient(self, member_id: str) -> Document | None:
        return await self._recipients.find_one({"_id": member_id})

    async def claim_email(self, email_id: str, member_id: str, kind: str) -> EmailState:
        """Claim the e-mail for an event; returns its state (``sent`` means: do nothing)."""
        doc = await retry_on_conflict(
            lambda: self._emails.find_one_and_update(
                {"_id": email_id},
                {
                    "$setOnInsert": {
                        "member_id": member_id,
                        "kind": kind,
                        "state": "sending",
                        "claimed_at": datetime.now(UTC),
                    },
                    # >1 means: a crash interrupted an earlier attempt, which the SMTP server
                    # may or may not have accepted (then the resend has the same Message-ID).
                    "$inc": {"attempts": 1},
                },
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        )
        assert doc is not None
        state: EmailState = doc["state"]
        return state

    async def mark_sent(self, email_id: str) -> None:
        await retry_on_conflict(
            lambda: self._emails.update_one(
                {"_id": email_id}, {"$set": {"state": "sent", "sent_at": datetime.now(UTC)}}
            )
        )
