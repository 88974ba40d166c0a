"""A grown store: many invoices already stored, as the services themselves store them.

The shapes are not written down here (the services change them): after the warm-up,
one invoice that went all the way through serves as the template. Every document any
service wrote for it (billing's invoice, inbox's document, notify's e-mail records,
each consumer's ledger entry …) and for its member (billing's and inbox's members,
notify's recipient) is copied with bulk inserts straight into the run's databases,
every id in it replaced by a fresh one (the member id by one of the grown store's
members, the structured reference by a unique one from a range the run never reaches).
"""

import asyncio
import random
import re
import time
import uuid
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Any

from billing.domain.structured_reference import structured_reference
from mylm_shared.outbox import HINTS, OUTBOX
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

Document = dict[str, Any]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFERENCE = re.compile(r"\+\+\+\d{3}/\d{4}/\d{5}\+\+\+")
BATCH = 1000
INVOICES_PER_MEMBER = 10
FIRST_REFERENCE = 9_000_000_000  # the run's own invoices count from 1


def _substitute(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):
        return {k: _substitute(v, replace) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, replace) for v in value]
    return value


def copier(tokens: set[str]) -> Callable[[Document, dict[str, str]], Document]:
    """A function copying a document with every token replaced as ``mapping`` says."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))

    def copy(document: Document, mapping: dict[str, str]) -> Document:
        def replace(text: str) -> str:
            return pattern.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)

        copied: Document = _substitute(document, replace)
        if OUTBOX in copied:
            copied[OUTBOX] = []  # published long ago
        return copied

    return copy


class Template:
    """Every document of the run's databases that mentions one invoice or its member."""

    def __init__(self, invoice_id: str, event_id: str, member_id: str) -> None:
        self.invoice_id, self.event_id, self.member_id = invoice_id, event_id, member_id
        # (database, collection) → documents about the invoice / about the member only
        self.per_invoice: dict[tuple[str, str], list[Document]] = {}
        self.per_member: dict[tuple[str, str], list[Document]] = {}

    async def read(self, client: AsyncMongoClient[Document], databases: list[str]) -> None:
        for database in databases:
            for name in await client[database].list_collection_names():
                if name == HINTS or name.startswith("system."):
                    continue
                async for document in client[database][name].find({}):
                    text = repr(document)
                    if self.invoice_id in text or self.event_id in text:
                        self.per_invoice.setdefault((database, name), []).append(document)
                    elif self.member_id in text:
                        self.per_member.setdefault((database, name), []).append(document)

    @cached_property
    def tokens(self) -> set[str]:
        """What to replace: the member id, every UUID and the structured reference
        (once the template is read)."""
        found = {self.member_id}
        for documents in (*self.per_invoice.values(), *self.per_member.values()):
            text = repr(documents)
            found |= set(UUID.findall(text)) | set(REFERENCE.findall(text))
        return found

    def mapping(
        self,
        *,
        member_id: str,
        invoice_id: str | None = None,
        event_id: str | None = None,
        reference: str | None = None,
    ) -> dict[str, str]:
        """Replacements for one copy: the ids given, a fresh UUID for any other."""
        mapping = {t: str(uuid.uuid4()) for t in self._uuids}
        mapping[self.member_id] = member_id
        if invoice_id:
            mapping[self.invoice_id] = invoice_id
        if event_id:
            mapping[self.event_id] = event_id
        if reference:
            mapping |= {t: reference for t in self.tokens if REFERENCE.fullmatch(t)}
        return mapping

    @cached_property
    def _uuids(self) -> list[str]:
        return [t for t in self.tokens if UUID.fullmatch(t)]


def _copies(
    template: dict[tuple[str, str], list[Document]],
    count: int,
    mapping_for: Callable[[int], dict[str, str]],
    copy: Callable[[Document, dict[str, str]], Document],
) -> Iterator[dict[tuple[str, str], list[Document]]]:
    """Batches of copies, per collection."""
    for start in range(0, count, BATCH):
        batch: dict[tuple[str, str], list[Document]] = {key: [] for key in template}
        for k in range(start, min(count, start + BATCH)):
            mapping = mapping_for(k)
            for key, documents in template.items():
                batch[key] += [copy(d, mapping) for d in documents]
        yield batch


async def _insert(
    client: AsyncMongoClient[Document], batch: dict[tuple[str, str], list[Document]]
) -> int:
    async def one(collection: AsyncCollection[Document], documents: list[Document]) -> int:
        if documents:
            await collection.insert_many(documents, ordered=False)
        return len(documents)

    counts = await asyncio.gather(
        *(one(client[db][name], docs) for (db, name), docs in batch.items())
    )
    return sum(counts)


async def grow_store(
    mongodb_uri: str, databases: list[str], template: Template, invoices: int
) -> dict[str, Any]:
    """Store ``invoices`` more invoices (and a member per ten) like ``template``'s."""
    started = time.monotonic()
    client: AsyncMongoClient[Document] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    try:
        await template.read(client, databases)
        copy = copier(template.tokens)
        members = [str(uuid.uuid4()) for _ in range(max(1, invoices // INVOICES_PER_MEMBER))]
        rng = random.Random(0)

        def for_invoice(k: int) -> dict[str, str]:
            return template.mapping(
                member_id=rng.choice(members),
                reference=structured_reference(FIRST_REFERENCE + k),
            )

        def for_member(k: int) -> dict[str, str]:
            return template.mapping(member_id=members[k])

        stored = 0
        for batch in _copies(template.per_member, len(members), for_member, copy):
            stored += await _insert(client, batch)
        for batch in _copies(template.per_invoice, invoices, for_invoice, copy):
            stored += await _insert(client, batch)
        return {
            "invoices": invoices,
            "members": len(members),
            "documents": stored,
            "collections": sorted(
                f"{db}.{name}" for db, name in {*template.per_invoice, *template.per_member}
            ),
            "seconds": round(time.monotonic() - started, 1),
        }
    finally:
        await client.close()
