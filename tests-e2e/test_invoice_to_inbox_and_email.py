"""The walking skeleton end to end, on the real Kafka, FerretDB and Mailpit, with the
services as real processes: staff issue invoices in billing-svc; inbox-svc files one
document and notify-svc sends one e-mail per invoice — through crashes and bad input."""

import asyncio
import signal
from collections import Counter
from typing import Any

import pytest
from notify.adapters.repository import NotifyRepository
from pymongo import AsyncMongoClient

from testkit.kafka import event_ids, publish, read_all
from testkit.mailpit import Mailpit
from testkit.polling import eventually
from testkit.slice import Slice, User, consumer_lag

pytestmark = pytest.mark.e2e


async def wait_until_known_to_billing(staff: User, member_id: str) -> None:
    """Billing learns members from member.registered; until then it answers 422."""

    async def issue_probe() -> int:
        response = await staff.issue_invoice(member_id, key=f"probe-{member_id}", amount="0.01")
        return response.status_code

    await eventually(issue_probe, until=lambda status: status == 201, what="billing knows member")


async def settled(services: Slice, module: str, consumer: str) -> None:
    """The consumer has committed every message of invoice.issued."""
    group = f"{services.run_id}.{module}.{consumer}"

    async def lag() -> int:
        return await consumer_lag(
            services.endpoints.kafka_bootstrap_servers, group, services.topic("invoice.issued")
        )

    await eventually(lag, until=lambda n: n == 0, within=120, what=f"{group} caught up")


async def claim_attempts(services: Slice) -> dict[str, int]:
    """notify-svc's own record of how often it claimed each e-mail (read-only)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(services.endpoints.mongodb_uri)
    try:
        return await NotifyRepository(client[f"{services.run_id}_notify"]).attempts()
    finally:
        await client.close()


async def test_member_sees_the_invoice_in_inbox_and_gets_the_email(
    services: Slice, staff: User, mailpit: Mailpit
) -> None:
    member_id = await staff.register_member("jan", "nl")
    await wait_until_known_to_billing(staff, member_id)
    member = await User.log_in(services, "demo.titular")  # another member: must not see it
    try:
        response = await staff.issue_invoice(member_id, key="first", amount="12.34")
        assert response.status_code == 201
        invoice = response.json()

        documents = await eventually(
            lambda: staff.documents(member_id), until=lambda d: len(d) == 2, what="documents"
        )
        filed = next(d for d in documents if d["source_id"] == invoice["invoice_id"])
        assert filed["kind"] == "invoice"
        assert invoice["structured_reference"] in filed["title"]

        emails = await eventually(
            lambda: mailpit.messages_to(services.email_domain), until=lambda e: len(e) == 2
        )
        bodies = [(await mailpit.message(e["ID"]))["Text"] for e in emails]
        assert any("€\u00a012,34" in b and invoice["structured_reference"] in b for b in bodies)

        foreign = await member.call("GET", "inbox", f"/v1/members/{member_id}/documents")
        assert foreign.status_code in (403, 404)
    finally:
        await member.aclose()


async def test_a_notify_crash_loses_and_duplicates_no_email(
    services: Slice, staff: User, mailpit: Mailpit
) -> None:
    """(a) 200 invoices while notify-svc is SIGKILLed and restarted: exactly 200 inbox
    documents and exactly 200 distinct e-mails, none lost, none sent twice (but the
    one an instant SIGKILL may leave unconfirmed, resent with the same Message-ID)."""
    total = 200
    members = [await staff.register_member(f"m{i}", "nl" if i % 2 else "fr") for i in range(4)]
    for member_id in members:
        await wait_until_known_to_billing(staff, member_id)  # one probe invoice each
    expected = total + len(members)

    async def issue(first: int, last: int) -> list[dict[str, Any]]:
        responses = [
            await staff.issue_invoice(
                members[i % len(members)], key=f"inv-{i}", amount=f"{i + 1}.00"
            )
            for i in range(first, last)
        ]
        assert all(r.status_code == 201 for r in responses)
        return [r.json() for r in responses]

    async def emails() -> list[dict[str, Any]]:
        return await mailpit.messages_to(services.email_domain)

    invoices = await issue(0, 60)
    await eventually(emails, until=lambda e: len(e) >= 20, what="notify is sending")
    services.services["notify"].kill(signal.SIGKILL)  # mid-stream, no goodbye
    invoices += await issue(60, total)
    services.services["notify"].start()
    services.services["notify"].wait_ready()

    await settled(services, "notify", "notify-invoices")
    await settled(services, "inbox", "inbox-invoices")
    # An e-mail whose first attempt the SIGKILL interrupted is not lost: its delivery is
    # stored before the attempt and sent again once its claim lapses (DELIVERY_CLAIM_SECONDS,
    # 30 s), after the consumer has settled. Wait for those, then count.
    sent = await eventually(
        emails, until=lambda e: len(e) >= expected, within=120, what="every invoice e-mailed"
    )
    details = await asyncio.gather(*(mailpit.message(e["ID"]) for e in sent))
    by_message_id = Counter(d["MessageID"] for d in details)
    assert len(by_message_id) == expected  # every invoice e-mailed: nothing lost
    for reference in (i["structured_reference"] for i in invoices):
        assert len({d["MessageID"] for d in details if reference in d["Text"]}) == 1, reference
    # Exactly one e-mail per invoice, except where SIGKILL struck between the SMTP
    # server's acceptance and notify's record of it: SMTP cannot tell, so that one
    # e-mail is sent again with the same Message-ID (mail clients show it once).
    attempts = await claim_attempts(services)
    for message_id, copies in by_message_id.items():
        event_id = message_id.split("@")[0].strip("<>")
        assert copies <= attempts[event_id], message_id
    interrupted = sum(1 for n in attempts.values() if n > 1)
    assert interrupted <= 3  # at most one e-mail in flight per consumer worker
    assert len(sent) <= expected + interrupted

    documents = [d for m in members for d in await staff.documents(m)]
    assert len(documents) == expected
    assert len({d["source_id"] for d in documents}) == expected


async def test_a_malformed_message_is_dead_lettered_and_later_invoices_delivered(
    services: Slice, staff: User, mailpit: Mailpit
) -> None:
    """(b) garbage on invoice.issued lands in invoice.issued.dlq (once per consumer) and
    the invoices after it are still filed and e-mailed."""
    member_id = await staff.register_member("ann", "fr")
    await wait_until_known_to_billing(staff, member_id)
    bootstrap = services.endpoints.kafka_bootstrap_servers
    await publish(bootstrap, services.topic("invoice.issued"), b"\x00 not an event", key=member_id)
    for i in range(3):
        assert (await staff.issue_invoice(member_id, key=f"after-{i}")).status_code == 201

    await eventually(lambda: staff.documents(member_id), until=lambda d: len(d) == 4)
    await eventually(
        lambda: mailpit.messages_to(services.email_domain), until=lambda e: len(e) == 4
    )
    dead = await eventually(
        lambda: read_all(bootstrap, services.topic("invoice.issued.dlq")),
        until=lambda records: len(records) == 2,
    )
    assert all(r.value == b"\x00 not an event" for r in dead)
    consumers = sorted(dict(r.headers)["dlq-consumer"] for r in dead)
    assert consumers == [f"{services.run_id}.inbox".encode(), f"{services.run_id}.notify".encode()]


async def test_an_event_written_but_not_published_goes_out_once_after_a_billing_crash(
    services: Slice, mailpit: Mailpit
) -> None:
    """(c) billing-svc dies between its database write and the publish: the invoice is
    stored with its event still in the outbox (relay held back to freeze that moment),
    then the process is SIGKILLed. After a restart the event goes out exactly once."""
    services.start(billing={"OUTBOX_RELAY_ENABLED": "false"})
    staff = await User.log_in(services, "demo.staff")
    try:
        member_id = await staff.register_member("piet", "nl")
        billing = services.services["billing"]
        # with the relay held back, member.registered still reaches billing (consumer side)
        response = await eventually(
            lambda: staff.issue_invoice(member_id, key="crash"),
            until=lambda r: r.status_code == 201,
        )
        reference = response.json()["structured_reference"]
        topic = services.topic("invoice.issued")
        bootstrap = services.endpoints.kafka_bootstrap_servers
        assert event_ids(await read_all(bootstrap, topic)) == []  # stored, not published

        billing.kill(signal.SIGKILL)
        billing.start(OUTBOX_RELAY_ENABLED="true")
        billing.wait_ready()

        published = await eventually(
            lambda: read_all(bootstrap, topic), until=lambda r: len(r) >= 1
        )
        await eventually(lambda: staff.documents(member_id), until=lambda d: len(d) == 1)
        emails = await eventually(
            lambda: mailpit.messages_to(services.email_domain), until=lambda e: len(e) == 1
        )
        assert reference in (await mailpit.message(emails[0]["ID"]))["Text"]
        # a fence: a second invoice published after the first proves the relay moved on
        assert (await staff.issue_invoice(member_id, key="after-crash")).status_code == 201
        published = await eventually(
            lambda: read_all(bootstrap, topic), until=lambda r: len(r) >= 2
        )
        assert len(published) == 2
        assert len(set(event_ids(published))) == 2
    finally:
        await staff.aclose()
