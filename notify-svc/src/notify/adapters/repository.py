"""notify-svc's Mongo database (FerretDB v1: inserts with unique ``_id``s and one writer
per document, ARCHITECTURE "Data").

- ``recipients``: the directory's members (address on file, language, first name), from
  ``member.registered``/``member.updated`` (``mylm_shared.projections``), read through a
  short-lived cache.
- ``deliveries``: one per e-mail (``_id``: the e-mail's id, from the event or the fact),
  inserted pending before its first attempt; then written by one worker at a time (the
  first attempt, later the pending-deliveries job). ``emails_sent``: one entry per e-mail
  the SMTP server accepted (insert-only); ``email_retries``: one per attempt the job
  began after the first (insert-only, written before the attempt), so ``attempts`` counts
  a send a crash interrupted too.
- ``preferences`` and ``notification_addresses``: the member's choices, one document per
  member each, written only by the member's own requests.
- ``address_changes``: one per request (insert-only: the code's keyed hash, never the
  code); ``address_change_attempts``: ``<change>@<n>`` per guess, ``<change>@used`` once
  confirmed or ended because its code could not be e-mailed (insert-only: the unique
  ``_id`` bounds concurrent guesses).
- ``address_code_sends``: the member's code e-mails counted against their limit (EI-4 /
  issue 19 item 4), ``<member>#<n>`` for the n-th (insert-only: of concurrent requests on
  any replica one takes each number; a code that could not be e-mailed is deleted by the
  request that took it). Read by the indexed ``member_id`` (at most ``per_hour`` an hour
  per member, as ``address_changes``), so the limit holds across restarts and replicas.
"""

import contextlib
from datetime import UTC, datetime
from typing import Any

from mylm_shared.mongo import Document, IndexSpec, as_utc
from mylm_shared.projections import apply_newer, insert_first
from mylm_shared.read_cache import ReadThroughCache
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from notify.domain.address import AddressChange
from notify.domain.delivery import Delivery, Status
from notify.domain.preferences import Preferences

RECIPIENTS = "recipients"
DELIVERIES = "deliveries"
SENT = "emails_sent"  # one entry per e-mail the SMTP server accepted
RETRIES = "email_retries"  # one entry per attempt after the first
PREFERENCES = "preferences"
ADDRESSES = "notification_addresses"
CHANGES = "address_changes"
CHANGE_ATTEMPTS = "address_change_attempts"
CODE_SENDS = "address_code_sends"

INDEXES = [
    IndexSpec(DELIVERIES, [("member_id", 1)]),
    IndexSpec(DELIVERIES, [("status", 1)]),
    IndexSpec(CHANGES, [("member_id", 1)]),
    IndexSpec(CODE_SENDS, [("member_id", 1)]),
]


def _recipient(email: str | None, language: str, first_name: str) -> Document:
    return {
        "email": email,
        "language": language,
        "first_name": first_name,
        "updated_at": datetime.now(UTC),
    }


def _optional_utc(value: Any) -> datetime | None:
    return as_utc(value) if isinstance(value, datetime) else None


def _delivery(doc: Document) -> Delivery:
    return Delivery(
        delivery_id=doc["_id"],
        member_id=doc["member_id"],
        kind=doc["kind"],
        to=doc["to"],
        subject=doc["subject"],
        message_id=doc["message_id"],
        body=doc.get("body"),
        html=doc.get("html"),
        status=doc["status"],
        created_at=as_utc(doc["created_at"]),
        updated_at=as_utc(doc["updated_at"]),
        next_attempt_at=as_utc(doc["next_attempt_at"]),
        attempts=int(doc.get("attempts", 0)),
        sent_at=_optional_utc(doc.get("sent_at")),
        error=doc.get("error"),
    )


def _newest_first(
    docs: list[Document], limit: int, after: tuple[datetime, str] | None
) -> list[Delivery]:
    deliveries = sorted(
        (_delivery(doc) for doc in docs),
        key=lambda d: (d.created_at, d.delivery_id),
        reverse=True,
    )
    if after is not None:
        deliveries = [d for d in deliveries if (d.created_at, d.delivery_id) < after]
    return deliveries[:limit]


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
        self._deliveries = db[DELIVERIES]
        self._sent = db[SENT]
        self._retries = db[RETRIES]
        self._preferences = db[PREFERENCES]
        self._addresses = db[ADDRESSES]
        self._changes = db[CHANGES]
        self._change_attempts = db[CHANGE_ATTEMPTS]
        self._code_sends = db[CODE_SENDS]

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
            await insert_first(self._recipients, member_id, fields, as_of)
        finally:
            self._known.invalidate(member_id)

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = _recipient(email, language, first_name)
        try:
            await apply_newer(self._recipients, member_id, fields, as_of)
        finally:
            self._known.invalidate(member_id)

    async def recipient(self, member_id: str) -> Document | None:
        """None while the member is not known yet (never cached: the handler's
        ``RecipientUnknown`` retry asks the store again). Callers do not mutate it."""
        return await self._known.get(
            member_id, lambda: self._recipients.find_one({"_id": member_id})
        )

    # Deliveries (issue 19 item 6).
    async def add_delivery(self, delivery: Delivery) -> Delivery | None:
        doc: Document = {
            "_id": delivery.delivery_id,
            "member_id": delivery.member_id,
            "kind": delivery.kind,
            "to": delivery.to,
            "subject": delivery.subject,
            "message_id": delivery.message_id,
            "body": delivery.body,
            "html": delivery.html,
            "status": delivery.status,
            "created_at": delivery.created_at,
            "updated_at": delivery.updated_at,
            "next_attempt_at": delivery.next_attempt_at,
            "attempts": delivery.attempts,
            "sent_at": None,
            "error": None,
        }
        try:
            await self._deliveries.insert_one(doc)
            return None
        except DuplicateKeyError:
            pass
        stored = await self._deliveries.find_one({"_id": delivery.delivery_id})
        assert stored is not None  # deliveries are never deleted
        return _delivery(stored)

    async def record_attempt(
        self,
        delivery_id: str,
        *,
        status: Status,
        attempts: int,
        at: datetime,
        next_attempt_at: datetime,
        error: str | None,
    ) -> None:
        fields: Document = {
            "status": status,
            "attempts": attempts,
            "updated_at": at,
            "next_attempt_at": next_attempt_at,
            "error": error,
        }
        if status == "sent":
            fields["sent_at"] = at
        if status != "pending":  # nothing more to send: the content is not kept
            fields["body"] = None
            fields["html"] = None
        await self._deliveries.update_one({"_id": delivery_id}, {"$set": fields})
        if status == "sent":
            with contextlib.suppress(DuplicateKeyError):
                await self._sent.insert_one({"_id": delivery_id, "at": at})

    async def note_retry(self, delivery_id: str, at: datetime) -> None:
        await self._retries.insert_one({"email_id": delivery_id, "at": at})

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        pending = [_delivery(doc) async for doc in self._deliveries.find({"status": "pending"})]
        due = sorted(
            (d for d in pending if d.next_attempt_at <= now), key=lambda d: d.next_attempt_at
        )
        return due[:limit]

    async def of_member(
        self, member_id: str, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        docs = await self._deliveries.find(
            {"member_id": member_id}, {"body": 0, "html": 0}
        ).to_list()
        return _newest_first(docs, limit, after)

    async def with_status(
        self, status: Status, *, limit: int, after: tuple[datetime, str] | None
    ) -> list[Delivery]:
        docs = await self._deliveries.find({"status": status}, {"body": 0, "html": 0}).to_list()
        return _newest_first(docs, limit, after)

    async def attempts(self) -> dict[str, int]:
        """How often sending each e-mail began (more than once after a temporary failure,
        or when a crash interrupted an attempt)."""
        counts = {d["_id"]: 1 async for d in self._deliveries.find({}, {"_id": 1})}
        async for retry in self._retries.find({}, {"email_id": 1}):
            counts[retry["email_id"]] = counts.get(retry["email_id"], 1) + 1
        return counts

    # The member's settings (issue 19 item 4).
    async def preferences(self, member_id: str) -> Preferences:
        stored = await self._preferences.find_one({"_id": member_id})
        return Preferences.of(stored.get("email") if stored else None)

    async def save_preferences(
        self, member_id: str, preferences: Preferences, at: datetime
    ) -> None:
        await self._preferences.replace_one(
            {"_id": member_id},
            {"email": preferences.as_dict(), "updated_at": at},
            upsert=True,
        )

    async def confirmed_address(self, member_id: str) -> str | None:
        stored = await self._addresses.find_one({"_id": member_id})
        return str(stored["address"]) if stored else None

    async def confirm_address(
        self, member_id: str, address: str, change_id: str, at: datetime
    ) -> None:
        await self._addresses.replace_one(
            {"_id": member_id},
            {"address": address, "change_id": change_id, "confirmed_at": at},
            upsert=True,
        )

    async def add_address_change(self, change: AddressChange) -> None:
        await self._changes.insert_one(
            {
                "_id": change.change_id,
                "member_id": change.member_id,
                "address": change.address,
                "digest": change.digest,
                "created_at": change.created_at,
                "expires_at": change.expires_at,
            }
        )

    async def latest_address_change(self, member_id: str) -> AddressChange | None:
        docs = await self._changes.find({"member_id": member_id}).to_list()
        if not docs:
            return None
        latest = max(docs, key=lambda doc: (as_utc(doc["created_at"]), doc["_id"]))
        return AddressChange(
            change_id=latest["_id"],
            member_id=latest["member_id"],
            address=latest["address"],
            digest=latest["digest"],
            created_at=as_utc(latest["created_at"]),
            expires_at=as_utc(latest["expires_at"]),
        )

    async def take_attempt(self, change_id: str, limit: int) -> int | None:
        for n in range(1, limit + 1):
            try:
                await self._change_attempts.insert_one(
                    {"_id": f"{change_id}@{n}", "at": datetime.now(UTC)}
                )
                return n
            except DuplicateKeyError:
                continue
        return None

    async def use_change(self, change_id: str) -> bool:
        try:
            await self._change_attempts.insert_one(
                {"_id": f"{change_id}@used", "at": datetime.now(UTC)}
            )
            return True
        except DuplicateKeyError:
            return False

    async def change_used(self, change_id: str) -> bool:
        return await self._change_attempts.find_one({"_id": f"{change_id}@used"}) is not None

    async def change_locked(self, change_id: str, limit: int) -> bool:
        return await self._change_attempts.find_one({"_id": f"{change_id}@{limit}"}) is not None

    async def code_sends(self, member_id: str) -> list[tuple[int, datetime]]:
        docs = await self._code_sends.find({"member_id": member_id}).to_list()
        return [(int(doc["n"]), as_utc(doc["at"])) for doc in docs]

    async def take_code_send(self, member_id: str, number: int, at: datetime) -> bool:
        try:
            await self._code_sends.insert_one(
                {"_id": f"{member_id}#{number}", "member_id": member_id, "n": number, "at": at}
            )
            return True
        except DuplicateKeyError:
            return False

    async def release_code_send(self, member_id: str, number: int) -> None:
        await self._code_sends.delete_one({"_id": f"{member_id}#{number}"})
