"""Evidence files in claims' own database: one insert-only document per file (the claim's
aggregate keeps what it is; the bytes live here, written once, never updated)."""

from dataclasses import dataclass
from typing import Protocol

from bson import Binary
from mylm_shared.mongo import Document, IndexSpec
from pymongo.asynchronous.collection import AsyncCollection

CLAIM_FILES = "claim_files"
FILE_INDEXES = [IndexSpec(CLAIM_FILES, [("claim_id", 1)])]


@dataclass(frozen=True)
class StoredFile:
    document_id: str
    claim_id: str
    media_type: str
    file_name: str
    content: bytes


class FileStore(Protocol):
    async def put(self, file: StoredFile) -> None: ...

    async def get(self, claim_id: str, document_id: str) -> StoredFile | None: ...


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


class InMemoryFiles:
    def __init__(self) -> None:
        self.files: dict[str, StoredFile] = {}

    async def put(self, file: StoredFile) -> None:
        self.files[file.document_id] = file

    async def get(self, claim_id: str, document_id: str) -> StoredFile | None:
        found = self.files.get(document_id)
        return found if found and found.claim_id == claim_id else None
