"""Evidence files in claims' own database: one insert-only document per file (the claim's
aggregate keeps what it is; the bytes live here, written once, never updated)."""

from bson import Binary
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.collection import AsyncCollection

from claims.service.ports import StoredFile

CLAIM_FILES = "claim_files"
FILE_INDEXES = [IndexSpec(CLAIM_FILES, [("claim_id", 1)])]


class MongoFiles:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._collection = collection

    async def put(self, file: StoredFile) -> None:
        await self._collection.insert_one(
            {
                "_id": file.document_id,
                "claim_id": file.claim_id,
                "media_type": file.media_type,
                "file_name": file.file_name,
                "content": Binary(file.content),
            }
        )

    async def get(self, claim_id: str, document_id: str) -> StoredFile | None:
        found = await self._collection.find_one({"_id": document_id, "claim_id": claim_id})
        if found is None:
            return None
        return StoredFile(
            found["_id"],
            found["claim_id"],
            found["media_type"],
            found["file_name"],
            bytes(found["content"]),
        )
