"""The fake of inbox-svc's port (``inbox.service.handlers.Inbox``)."""

from dataclasses import dataclass, field
from typing import Any

from inbox.bootstrap import bootstrap
from inbox.domain.documents import InboxDocument
from inbox.service.use_cases import InboxUseCases
from inbox.settings import InboxSettings

from testkit.fakes.shared import apply_in_memory


@dataclass
class FakeInbox:
    """Documents by id (a second insert of an id keeps the first) and the members'
    languages, ``as_of`` ordering them as ``mylm_shared.projections`` does."""

    documents: dict[str, InboxDocument] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def file(self, document: InboxDocument) -> None:
        self.documents.setdefault(document.document_id, document)

    async def list_for(self, member_id: str, *, limit: int, offset: int) -> list[InboxDocument]:
        mine = [d for d in self.documents.values() if d.member_id == member_id]
        mine.sort(key=lambda d: d.created_at, reverse=True)
        return mine[offset : offset + limit]

    async def remember_language(self, member_id: str, language: str, as_of: str) -> None:
        apply_in_memory(self.members, member_id, {"language": language}, as_of, first=True)

    async def update_language(self, member_id: str, language: str, as_of: str) -> None:
        apply_in_memory(self.members, member_id, {"language": language}, as_of, first=False)

    async def language_of(self, member_id: str) -> str | None:
        language = self.members.get(member_id, {}).get("language")
        return str(language) if language is not None else None


class InboxFakes:
    """inbox's port faked; ``use_cases()`` wires it with ``inbox.bootstrap.bootstrap``."""

    def __init__(self, settings: InboxSettings | None = None) -> None:
        self.settings = settings or InboxSettings(profile="test")
        self.inbox = FakeInbox()

    def use_cases(self) -> InboxUseCases:
        return bootstrap(self.settings, inbox=self.inbox)
