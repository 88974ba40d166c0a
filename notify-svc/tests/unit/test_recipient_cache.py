"""notify-svc's cache of recipients (``NotifyRepository`` on an in-memory store): one
store read per member for a while, a ``member.updated`` handled here applies to the next
e-mail at once, another replica's change shows within the TTL, and a recipient not known
yet (``RecipientUnknown``, retried) is never cached."""

import pytest
from mylm_shared.events import INVOICE_ISSUED, MEMBER_REGISTERED, MEMBER_UPDATED
from mylm_shared.failures import MissingDependency
from mylm_shared.mongo import Document
from mylm_shared.read_cache import ReadThroughCache
from notify.adapters.repository import RECIPIENTS, NotifyRepository
from notify.bootstrap import bootstrap
from notify.domain.messages import Email
from notify.settings import NotifySettings

from testkit.apps import invoice_issued, member_registered, member_updated
from testkit.fakes.mongo import FakeDatabase

TTL = 30.0


class World:
    def __init__(self) -> None:
        self.now = 0.0
        self.db = FakeDatabase()
        self.outbox: list[Email] = []
        recipients = ReadThroughCache[str, Document](
            max_entries=100, ttl_seconds=TTL, timer=lambda: self.now
        )
        repository = NotifyRepository(self.db, recipients=recipients)  # type: ignore[arg-type]
        self.notify = bootstrap(
            NotifySettings(profile="test"),
            recipients=repository,
            sender=self,
            deliveries=repository,
            member_settings=repository,
            code_secret=b"s" * 32,
        ).notify

    async def send(self, email: Email) -> None:
        self.outbox.append(email)

    @property
    def recipient_reads(self) -> int:
        return self.db[RECIPIENTS].finds

    async def register(self, address: str) -> str:
        event = member_registered(email=address, language="fr")
        await self.notify.on_member_registered(event, MEMBER_REGISTERED.parse(event))
        return event.subject or ""

    async def update(self, member_id: str, address: str) -> None:
        event = member_updated(member_id, email=address, language="nl")
        await self.notify.on_member_updated(event, MEMBER_UPDATED.parse(event))

    async def mail_next_invoice(self, member_id: str) -> str:
        event = invoice_issued(member_id)
        await self.notify.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
        return self.outbox[-1].to


async def test_the_recipient_is_read_from_the_store_once_for_many_invoices() -> None:
    world = World()
    member_id = await world.register("marie@example.org")
    for _ in range(5):
        assert await world.mail_next_invoice(member_id) == "marie@example.org"
    assert (len(world.outbox), world.recipient_reads) == (5, 1)


async def test_a_member_update_handled_here_applies_to_the_next_email_at_once() -> None:
    world = World()
    member_id = await world.register("marie@example.org")
    await world.mail_next_invoice(member_id)
    await world.update(member_id, "new@example.org")
    reads = world.recipient_reads
    for _ in range(2):
        assert await world.mail_next_invoice(member_id) == "new@example.org"
        assert world.outbox[-1].subject.startswith("Nieuwe factuur")
    assert world.recipient_reads == reads + 1  # read again once, then kept


async def test_another_replicas_update_shows_when_the_ttl_runs_out() -> None:
    world = World()
    member_id = await world.register("marie@example.org")
    await world.mail_next_invoice(member_id)
    world.db[RECIPIENTS].documents[member_id]["email"] = "new@example.org"
    world.now = TTL - 0.1
    assert await world.mail_next_invoice(member_id) == "marie@example.org"
    world.now = TTL
    assert await world.mail_next_invoice(member_id) == "new@example.org"


async def test_a_recipient_not_known_yet_is_not_cached() -> None:
    """The invoice overtook member.registered: a missing dependency (retried) until the
    recipient is known, then sent at the first retry after that."""
    world = World()
    event = invoice_issued("m-1")
    for _ in range(2):
        with pytest.raises(MissingDependency):
            await world.notify.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    registered = member_registered(email="late@example.org", language="fr")
    registered = registered.model_copy(
        update={"subject": "m-1", "data": {**registered.data, "member_id": "m-1"}}
    )
    await world.notify.on_member_registered(registered, MEMBER_REGISTERED.parse(registered))
    await world.notify.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    assert [e.to for e in world.outbox] == ["late@example.org"]
    assert world.recipient_reads == 3
