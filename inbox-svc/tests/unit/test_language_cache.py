"""inbox-svc's cache of the members' languages (``InboxRepository`` on an in-memory
store): one store read per member for a while, a ``member.updated`` handled here applies
to the next document at once, another replica's change shows within the TTL, and a
member not known yet is asked again every time."""

from inbox.adapters.letter_pdf import render_letter
from inbox.adapters.repository import DOCUMENTS, MEMBERS, InboxRepository
from inbox.domain.documents import document_id_for
from inbox.service.handlers import InboxService
from mylm_shared.events import INVOICE_ISSUED, MEMBER_REGISTERED, MEMBER_UPDATED
from mylm_shared.read_cache import ReadThroughCache

from testkit.apps import invoice_issued, member_registered, member_updated
from testkit.fakes.mongo import FakeDatabase

TTL = 30.0


class World:
    def __init__(self) -> None:
        self.now = 0.0
        self.db = FakeDatabase()
        languages = ReadThroughCache[str, str](
            max_entries=100, ttl_seconds=TTL, timer=lambda: self.now
        )
        self.repository = InboxRepository(self.db, languages=languages)  # type: ignore[arg-type]
        self.inbox = InboxService(self.repository, render_letter)

    @property
    def member_reads(self) -> int:
        return self.db[MEMBERS].finds

    async def register(self, language: str) -> str:
        event = member_registered(language=language)  # type: ignore[arg-type]
        await self.inbox.on_member_registered(event, MEMBER_REGISTERED.parse(event))
        return event.subject or ""

    async def update(self, member_id: str, language: str) -> None:
        event = member_updated(member_id, language=language)  # type: ignore[arg-type]
        await self.inbox.on_member_updated(event, MEMBER_UPDATED.parse(event))

    async def title_of_next_invoice(self, member_id: str) -> str:
        event = invoice_issued(member_id)
        await self.inbox.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
        filed = self.db[DOCUMENTS].documents[document_id_for("invoice", event.data["invoice_id"])]
        return str(filed["title"])


async def test_the_language_is_read_from_the_store_once_for_many_invoices() -> None:
    world = World()
    member_id = await world.register("fr")
    titles = [await world.title_of_next_invoice(member_id) for _ in range(5)]
    assert all(title.startswith("Facture") for title in titles)
    assert world.member_reads == 1


async def test_a_member_update_handled_here_applies_to_the_next_document_at_once() -> None:
    world = World()
    member_id = await world.register("fr")
    assert (await world.title_of_next_invoice(member_id)).startswith("Facture")
    await world.update(member_id, "nl")
    reads = world.member_reads
    for _ in range(2):
        assert (await world.title_of_next_invoice(member_id)).startswith("Factuur")
    assert world.member_reads == reads + 1  # read again once, then kept


async def test_another_replicas_update_shows_when_the_ttl_runs_out() -> None:
    world = World()
    member_id = await world.register("fr")
    await world.title_of_next_invoice(member_id)
    world.db[MEMBERS].documents[member_id]["language"] = "nl"  # its member.updated
    world.now = TTL - 0.1
    assert (await world.title_of_next_invoice(member_id)).startswith("Facture")
    world.now = TTL
    assert (await world.title_of_next_invoice(member_id)).startswith("Factuur")


async def test_a_member_not_known_yet_is_not_cached() -> None:
    """The invoice overtook member.registered: Dutch for now, and the member's own
    language as soon as the store knows it (here: registered through another replica)."""
    world = World()
    assert (await world.title_of_next_invoice("m-1")).startswith("Factuur")
    world.db[MEMBERS].documents["m-1"] = {"_id": "m-1", "language": "fr"}
    assert (await world.title_of_next_invoice("m-1")).startswith("Facture")
    assert world.member_reads == 2
