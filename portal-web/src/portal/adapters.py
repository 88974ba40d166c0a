"""The portal's session store in MongoDB (FerretDB); the services' adapters are in
``portal.upstream``."""

from mylm_shared.mongo import Document
from pymongo.asynchronous.collection import AsyncCollection

from portal.ports import PortalSession


class MongoSessions:
    """Sessions in the portal's own database (collection ``sessions``), ``_id`` the
    SHA-256 of the cookie's id; one writer per document (its own browser)."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._sessions = collection

    async def get(self, key: str) -> PortalSession | None:
        doc = await self._sessions.find_one({"_id": key})
        if doc is None:
            return None
        return PortalSession(
            key=doc["_id"],
            csrf=doc["csrf"],
            language="fr" if doc.get("language") == "fr" else "nl",
            created_at=doc["created_at"],
            last_seen=doc["last_seen"],
            member_id=doc.get("member_id"),
            access_token=doc.get("access_token"),
            refresh_token=doc.get("refresh_token"),
            access_expires_at=doc.get("access_expires_at"),
            dossier_member_id=doc.get("dossier_member_id"),
            dossier_name=doc.get("dossier_name"),
            dossier_token=doc.get("dossier_token"),
            dossier_expires_at=doc.get("dossier_expires_at"),
            dossier_closed=doc.get("dossier_closed"),
            pending=dict(doc.get("pending") or {}),
        )

    async def put(self, session: PortalSession) -> None:
        doc: Document = {
            "_id": session.key,
            "csrf": session.csrf,
            "language": session.language,
            "created_at": session.created_at,
            "last_seen": session.last_seen,
            "member_id": session.member_id,
            "access_token": session.access_token,
            "refresh_token": session.refresh_token,
            "access_expires_at": session.access_expires_at,
            "dossier_member_id": session.dossier_member_id,
            "dossier_name": session.dossier_name,
            "dossier_token": session.dossier_token,
            "dossier_expires_at": session.dossier_expires_at,
            "dossier_closed": session.dossier_closed,
            "pending": session.pending,
        }
        await self._sessions.replace_one({"_id": session.key}, doc, upsert=True)

    async def delete(self, key: str) -> None:
        await self._sessions.delete_one({"_id": key})
