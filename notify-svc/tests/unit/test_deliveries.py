"""Issue 19 item 6 (EI-4) on fakes of notify's ports: one delivery per (event,
recipient), temporary SMTP failures retried with a growing pause until delivered without
holding back other members' mail, permanent ones failed and listed for staff, and the
member's notification log paged by cursor."""

from datetime import timedelta

import pytest
from mylm_shared.events import INVOICE_ISSUED, MEMBER_REGISTERED
from mylm_shared.failures import Unavailable
from notify.domain.delivery import InvalidCursor, SendRejected, decode_cursor, retry_delay
from notify.settings import NotifySettings

from testkit.apps import invoice_issued, member_registered
from testkit.fakes.notify import FakeClock, NotifyFakes

SETTINGS = NotifySettings(
    profile="test", delivery_backoff_seconds=10, delivery_backoff_max_seconds=60
)


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.fakes = NotifyFakes(SETTINGS, clock=self.clock)
        use_cases = self.fakes.use_cases()
        self.notify, self.deliveries = use_cases.notify, use_cases.deliveries

    async def register(self, email: str) -> str:
        event = member_registered(email=email)
        await self.notify.on_member_registered(event, MEMBER_REGISTERED.parse(event))
        return event.subject or ""

    async def invoice(self, member_id: str) -> str:
        issued = invoice_issued(member_id)
        await self.notify.on_invoice_issued(issued, INVOICE_ISSUED.parse(issued))
        return issued.id

    def status(self, delivery_id: str) -> str:
        return self.fakes.deliveries.deliveries[delivery_id].status

    def sent_to(self) -> list[str]:
        return [e.to for e in self.fakes.sender.outbox]


def test_the_pause_doubles_up_to_the_maximum() -> None:
    """Issue 19 item 6: backoff between attempts."""
    pauses = [retry_delay(n, base_seconds=10, max_seconds=60) for n in range(1, 6)]
    assert pauses == [timedelta(seconds=s) for s in (10, 20, 40, 60, 60)]


async def test_a_4xx_is_retried_until_delivered_once_ei_4() -> None:
    """Issue 19 item 6: SMTP 4xx → pending (the consumer is not held up), tried again
    after the pause by the job, then sent exactly once; redelivering the event sends
    nothing more."""
    world = World()
    member = await world.register("jan@example.org")
    world.fakes.sender.failures += [Unavailable("SMTP 451"), Unavailable("refused")]
    event = invoice_issued(member)
    await world.notify.on_invoice_issued(event, INVOICE_ISSUED.parse(event))  # no raise
    assert world.status(event.id) == "pending" and world.sent_to() == []
    assert await world.deliveries.retry_due() == 0  # not due before the pause
    world.clock.advance(seconds=10)
    assert await world.deliveries.retry_due() == 1  # refused again: 20 s now
    world.clock.advance(seconds=19)
    assert await world.deliveries.retry_due() == 0
    world.clock.advance(seconds=1)
    assert await world.deliveries.retry_due() == 1
    assert world.status(event.id) == "sent" and world.sent_to() == ["jan@example.org"]
    delivery = world.fakes.deliveries.deliveries[event.id]
    assert delivery.attempts == 3 and delivery.body is None  # content dropped once sent
    await world.notify.on_invoice_issued(event, INVOICE_ISSUED.parse(event))  # redelivered
    world.clock.advance(hours=1)
    await world.deliveries.retry_due()
    assert world.sent_to() == ["jan@example.org"]


async def test_one_refusing_mailbox_does_not_hold_back_other_members_mail() -> None:
    """Issue 19 item 6: a 4xx for one recipient leaves it pending; the next member's
    e-mail goes out at once."""
    world = World()
    stuck = await world.register("full@example.org")
    other = await world.register("ok@example.org")
    world.fakes.sender.refusing["full@example.org"] = Unavailable("SMTP 452 mailbox full")
    held = await world.invoice(stuck)
    await world.invoice(other)
    assert world.sent_to() == ["ok@example.org"]
    assert world.status(held) == "pending"
    del world.fakes.sender.refusing["full@example.org"]
    world.clock.advance(seconds=10)
    await world.deliveries.retry_due()
    assert world.sent_to() == ["ok@example.org", "full@example.org"]


async def test_a_5xx_is_failed_for_good_and_listed_for_staff() -> None:
    """Issue 19 item 6: a permanent failure is recorded (not retried) with the server's
    answer, in the member's log and staff's list of failures."""
    world = World()
    member = await world.register("gone@example.org")
    world.fakes.sender.refusing["gone@example.org"] = SendRejected(550, "no such user")
    event_id = await world.invoice(member)
    assert world.status(event_id) == "failed"
    world.clock.advance(hours=2)
    assert await world.deliveries.retry_due() == 0
    [failed] = await world.deliveries.with_status("failed", limit=10, after=None)
    assert failed.delivery_id == event_id and failed.error == "SMTP 550: no such user"
    [logged] = await world.deliveries.log_of(member, limit=10, after=None)
    assert logged.status == "failed" and logged.kind == "invoice_issued"


async def test_a_delivery_a_crash_interrupted_is_taken_over_by_the_job() -> None:
    """Issue 19 item 6: a delivery stored but never attempted (the process died) is sent
    by the job once its first attempt's claim has run out, and counted as a retry."""
    world = World()
    member = await world.register("jan@example.org")

    class Crash(BaseException):
        pass

    world.fakes.sender.failures.append(Crash())  # type: ignore[arg-type]
    with pytest.raises(Crash):
        await world.invoice(member)
    [delivery] = world.fakes.deliveries.deliveries.values()
    assert delivery.status == "pending"
    world.clock.advance(seconds=SETTINGS.delivery_claim_seconds)
    assert await world.deliveries.retry_due() == 1
    assert world.sent_to() == ["jan@example.org"]
    assert world.fakes.deliveries.retries == [delivery.delivery_id]


async def test_the_log_is_newest_first_and_paged_by_cursor() -> None:
    """Issue 19 item 6: the member's notification log, cursor-paginated."""
    world = World()
    member = await world.register("jan@example.org")
    ids = []
    for _ in range(3):
        ids.append(await world.invoice(member))
        world.clock.advance(seconds=1)
    first = await world.deliveries.log_of(member, limit=2, after=None)
    assert [d.delivery_id for d in first] == [ids[2], ids[1]]
    position = (first[-1].created_at, first[-1].delivery_id)
    rest = await world.deliveries.log_of(member, limit=2, after=position)
    assert [d.delivery_id for d in rest] == [ids[0]]
    assert first[0].entry(lambda a: "masked").address == "masked"
    with pytest.raises(InvalidCursor):
        decode_cursor("not-a-cursor")
