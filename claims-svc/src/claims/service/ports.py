"""Ports of claims' use cases that no single use case owns: where evidence files are
kept (``adapters/documents.py``; the fake in ``testkit/fakes/claims.py``). policy-svc's
gateway and claims-svc's service token are in ``service/policies.py``, claim numbers in
``service/handlers.py``."""

from dataclasses import dataclass
from typing import Protocol


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
