"""EI-4 (issue 19 items 4 and 6) against the real Kafka, FerretDB and Mailpit, through
notify-svc's HTTP API with tokens: invoice e-mails switched off (the invoice still in the
inbox, inbox-svc running beside), paper invoices not announced, a new notification
address only by the code sent to it (the old address told), an SMTP 4xx retried until
delivered once, a 5xx recorded as failed and shown to staff, a redelivered event one
e-mail. SMTP faults come from ``testkit.smtp_faults`` in front of Mailpit."""

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from inbox.bootstrap import create_app as create_inbox
from inbox.settings import InboxSettings
from mylm_shared.events import CloudEvent
from notify.bootstrap import create_app
from notify.settings import NotifySettings

from testkit.apps import invoice_issued, member_registered, serving
from testkit.kafka import publish_event
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.slice import consumer_lag
from testkit.smtp_faults import SmtpFaults
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration


@dataclass
class Notify:
    run_id: str
    platform: Endpoints
    settings: NotifySettings
    http: httpx.AsyncClient
    tokens: TokenMint
    mailpit: Mailpit
    smtp: SmtpFaults

    @property
    def domain(self) -> str:
        return f"{self.run_id}.test"

    def address(self, name: str) -> str:
        return f"{name}-{uuid.uuid4().hex[:6]}@{self.domain}"

    async def publish(self, topic: str, event: CloudEvent) -> None:
        await publish_event(self.platform.kafka_bootstrap_servers, f"{self.run_id}.{topic}", event)

    async def register(self, email: str) -> str:
        member = member_registered(email=email)
        await self.publish("member.registered", member)
        member_id = member.subject or ""
        await self.handled("notify-members", "member.registered")
        return member_id

    async def handled(self, consumer: str, topic: str) -> None:
        """Every event published so far on ``topic`` handled by notify's ``consumer``."""
        group = f"{self.settings.group_id}.{consumer}"
        await eventually(
            lambda: consumer_lag(
                self.platform.kafka_bootstrap_servers, group, f"{self.run_id}.{topic}"
            ),
            until=lambda lag: lag == 0,
            within=60,
            what=f"{topic} handled by {consumer}",
        )

    async def invoice(self, member_id: str, channel: str = "electronic") -> CloudEvent:
        event = invoice_issued(member_id)
        event.data["channel"] = channel
        await self.publish("invoice.issued", event)
        return event

    async def emails_to(self, address: str) -> list[dict[str, Any]]:
        return await self.mailpit.messages_to(address)

    async def text(self, summary: dict[str, Any]) -> str:
        return str((await self.mailpit.message(summary["ID"]))["Text"])

    async def log(self, member_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
        response = await self.http.get(f"/v1/members/{member_id}/notifications", headers=headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


@pytest.fixture
async def notify(platform: Endpoints, run_id: str) -> AsyncIterator[Notify]:
    target = urlsplit(platform.smtp_url)
    smtp = SmtpFaults(target.hostname or "127.0.0.1", target.port or 1025)
    await smtp.start()
    settings = NotifySettings(
        **{  # type: ignore[arg-type]
            **isolated(platform, run_id, "notify"),
            "smtp_url": f"smtp://127.0.0.1:{smtp.port}",
            "delivery_check_seconds": 0.5,
            "delivery_backoff_seconds": 0.5,
            "delivery_backoff_max_seconds": 2.0,
        }
    )
    tokens = TokenMint()
    mailpit = Mailpit(platform.mailpit_api)
    async with serving(create_app(settings), tokens) as http:
        yield Notify(run_id, platform, settings, http, tokens, mailpit, smtp)
    await mailpit.aclose()
    await smtp.aclose()


async def test_invoice_emails_off_no_email_while_the_invoice_reaches_the_inbox_ei_4(
    notify: Notify,
) -> None:
    """EI-4, issue 19 item 4: the member switches invoice e-mails off (partial PUT, the
    other categories stay on); the next invoice gets no e-mail, and inbox-svc, running
    beside on the same topics, files it in the inbox. A paper invoice (EI-2, EI-3) gets
    no e-mail either, even with the switch on again."""
    inbox_settings = InboxSettings(**isolated(notify.platform, notify.run_id, "inbox"))  # type: ignore[arg-type]
    async with serving(create_inbox(inbox_settings), notify.tokens) as inbox:
        address = notify.address("jan")
        member_id = await notify.register(address)
        own = notify.tokens.member(member_id)
        url = f"/v1/members/{member_id}/preferences"
        before = await notify.http.get(url, headers=own)
        assert before.json() == {
            "email": {"invoices": True, "documents": True, "policy": True, "claims": True}
        }
        changed = await notify.http.put(url, json={"email": {"invoices": False}}, headers=own)
        assert changed.status_code == 200, changed.text
        assert changed.json()["email"] == {
            "invoices": False,
            "documents": True,
            "policy": True,
            "claims": True,
        }
        event = await notify.invoice(member_id)

        async def documents() -> list[dict[str, Any]]:
            response = await inbox.get(f"/v1/members/{member_id}/documents", headers=own)
            assert response.status_code == 200, response.text
            found: list[dict[str, Any]] = response.json()["items"]
            return found

        filed = await eventually(documents, what="the invoice in the inbox")
        assert [d["kind"] for d in filed] == ["invoice"]
        await notify.handled("notify-invoices", "invoice.issued")
        assert await notify.emails_to(address) == []
        assert await notify.log(member_id, own) == []

        on = await notify.http.put(url, json={"email": {"invoices": True}}, headers=own)
        assert on.json()["email"]["invoices"] is True
        await notify.invoice(member_id, channel="paper")
        await notify.handled("notify-invoices", "invoice.issued")
        assert await notify.emails_to(address) == []
        # the switch on: the next electronic invoice is e-mailed (once)
        await notify.publish("invoice.issued", event.model_copy(update={"id": str(uuid.uuid4())}))
        await eventually(lambda: notify.emails_to(address), what="the invoice e-mail")


async def test_a_new_address_takes_the_code_sent_to_it_and_the_old_one_is_told_ei_4(
    notify: Notify,
) -> None:
    """EI-4, issue 19 item 4: PUT /email → 202 and a code at the NEW address; until it is
    confirmed the invoices go to the old one; a wrong code counts an attempt; the right
    one makes the new address effective and the old address receives the notice. Staff
    read but do not change; a titular acting for the member may change the switches."""
    old, new = notify.address("old"), notify.address("new")
    member_id = await notify.register(old)
    own = notify.tokens.member(member_id)
    staff = notify.tokens.staff()
    base = f"/v1/members/{member_id}"

    refused = await notify.http.put(f"{base}/email", json={"address": new}, headers=staff)
    assert refused.status_code == 403
    asked = await notify.http.put(f"{base}/email", json={"address": new}, headers=own)
    assert asked.status_code == 202, asked.text
    assert asked.json()["sent_to"].endswith(f"@{notify.domain}") and new not in asked.text
    [code_mail] = await eventually(lambda: notify.emails_to(new), what="the code e-mail")
    found = re.search(r"\b(\d{6})\b", await notify.text(code_mail))
    assert found is not None
    code = found.group(1)

    await notify.invoice(member_id)
    await eventually(lambda: notify.emails_to(old), what="the invoice, to the old address")
    wrong = "000000" if code != "000000" else "111111"
    answer = await notify.http.post(f"{base}/email/confirm", json={"code": wrong}, headers=own)
    assert (answer.status_code, answer.json()["attempts_left"]) == (422, 4)
    confirmed = await notify.http.post(f"{base}/email/confirm", json={"code": code}, headers=own)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"address": new}

    def the_notice(emails: list[dict[str, Any]]) -> bool:
        return any("gewijzigd" in e["Subject"] for e in emails)

    told = await eventually(lambda: notify.emails_to(old), until=the_notice, what="the notice")
    [notice] = [e for e in told if "gewijzigd" in e["Subject"]]
    assert new not in await notify.text(notice)  # masked
    await notify.invoice(member_id)
    await eventually(
        lambda: notify.emails_to(new), until=lambda e: len(e) == 2, what="the invoice, new"
    )
    kinds = sorted(item["kind"] for item in await notify.log(member_id, staff))
    assert kinds == [
        "invoice_issued",
        "invoice_issued",
        "notification_address_changed",
        "notification_address_code",
    ]

    url = f"{base}/preferences"
    assert (await notify.http.get(url, headers=staff)).status_code == 200
    change = {"email": {"claims": False}}
    assert (await notify.http.put(url, json=change, headers=staff)).status_code == 403
    titular = notify.tokens.acting(str(uuid.uuid4()), member_id)
    by_titular = await notify.http.put(url, json=change, headers=titular)
    assert (by_titular.status_code, by_titular.json()["email"]["claims"]) == (200, False)
    stranger = notify.tokens.member(str(uuid.uuid4()))
    assert (await notify.http.get(url, headers=stranger)).status_code == 403


async def test_a_4xx_is_retried_until_delivered_once_even_when_redelivered_ei_4(
    notify: Notify,
) -> None:
    """Issue 19 item 6: the SMTP server answers 452 twice for the member's mailbox; the
    e-mail is delivered on a later attempt, exactly once, and the same event published
    again sends nothing more. Another member's e-mail is not held back meanwhile."""
    address, other = notify.address("full"), notify.address("other")
    member_id = await notify.register(address)
    other_id = await notify.register(other)
    notify.smtp.refuse(address, "452 4.2.2 Mailbox full, try later", times=2)
    event = await notify.invoice(member_id)
    await notify.invoice(other_id)
    await eventually(lambda: notify.emails_to(other), what="the other member's e-mail")
    emails = await eventually(lambda: notify.emails_to(address), what="the retried e-mail")
    assert len(notify.smtp.refused) == 2
    await notify.publish("invoice.issued", event)  # redelivered
    await notify.handled("notify-invoices", "invoice.issued")
    [entry] = await notify.log(member_id, notify.tokens.member(member_id))
    assert (entry["status"], entry["attempts"], entry["kind"]) == ("sent", 3, "invoice_issued")
    assert entry["address"] != address and entry["address"].endswith(f"@{notify.domain}")
    assert len(await notify.emails_to(address)) == len(emails) == 1


async def test_a_5xx_is_recorded_as_failed_and_shown_to_staff_ei_4(notify: Notify) -> None:
    """Issue 19 item 6: 550 for the member's mailbox: no retry, ``failed`` with the
    server's answer in the member's log and in staff's list of failed deliveries (members
    may not list it)."""
    address = notify.address("gone")
    member_id = await notify.register(address)
    notify.smtp.refuse(address, "550 5.1.1 No such user")
    event = await notify.invoice(member_id)
    staff = notify.tokens.staff()

    async def failed() -> list[dict[str, Any]]:
        response = await notify.http.get("/v1/notifications?status=failed", headers=staff)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    [entry] = await eventually(failed, what="the failed delivery")
    assert entry["notification_id"] == event.id and entry["member_id"] == member_id
    assert "550" in entry["error"] and entry["status"] == "failed"
    member_view = await notify.log(member_id, notify.tokens.member(member_id))
    assert [e["status"] for e in member_view] == ["failed"]
    own = notify.tokens.member(member_id)
    assert (await notify.http.get("/v1/notifications", headers=own)).status_code == 403
    assert len(notify.smtp.refused) == 1  # not retried
    assert await notify.emails_to(address) == []


async def test_the_address_in_use_and_the_change_waiting_read_back_ei_4(notify: Notify) -> None:
    """EI-4, issue 19 item 4 (issue 20 item 2 reads it): GET /email answers the e-mail on
    file (``default``); after PUT the change waiting for its code in full with its
    expiry, the old address still in use; confirmed, the new one (``member``) and nothing
    waiting. The member, a titular acting for them and staff read it; another member
    gets 403."""
    old, new = notify.address("old"), notify.address("new")
    member_id = await notify.register(old)
    own = notify.tokens.member(member_id)
    url = f"/v1/members/{member_id}/email"
    before = await notify.http.get(url, headers=own)
    assert before.status_code == 200, before.text
    assert before.json() == {"address": old, "source": "default", "pending": None}
    asked = await notify.http.put(url, json={"address": new}, headers=own)
    assert asked.status_code == 202, asked.text
    waiting = (await notify.http.get(url, headers=own)).json()
    assert (waiting["address"], waiting["source"]) == (old, "default")
    assert waiting["pending"]["address"] == new
    stored_until = datetime.fromisoformat(waiting["pending"]["expires_at"])  # ms in the store
    assert abs(stored_until - datetime.fromisoformat(asked.json()["expires_at"])) < timedelta(
        milliseconds=1
    )
    titular = notify.tokens.acting(str(uuid.uuid4()), member_id)
    for reader in (notify.tokens.staff(), titular):
        read = await notify.http.get(url, headers=reader)
        assert (read.status_code, read.json()) == (200, waiting)
    stranger = await notify.http.get(url, headers=notify.tokens.member(str(uuid.uuid4())))
    assert stranger.status_code == 403

    [code_mail] = await eventually(lambda: notify.emails_to(new), what="the code e-mail")
    found = re.search(r"\b(\d{6})\b", await notify.text(code_mail))
    assert found is not None
    confirm = await notify.http.post(f"{url}/confirm", json={"code": found[1]}, headers=own)
    assert confirm.status_code == 200, confirm.text
    after = await notify.http.get(url, headers=own)
    assert after.json() == {"address": new, "source": "member", "pending": None}


async def test_code_emails_are_limited_per_member_across_restarts_ei_4_issue_19_item_4(
    notify: Notify,
) -> None:
    """EI-4 / issue 19 item 4: a second code within the minute answers 429 problem+json
    with Retry-After and e-mails nothing (the first code still waits); the count is in
    the database, so a restarted or second replica refuses it too."""
    member_id = await notify.register(notify.address("jan"))
    own = notify.tokens.member(member_id)
    url = f"/v1/members/{member_id}/email"
    first, second = notify.address("first"), notify.address("second")
    assert (await notify.http.put(url, json={"address": first}, headers=own)).status_code == 202
    refused = await notify.http.put(url, json={"address": second}, headers=own)
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert (refused.json()["reason"], refused.json()["retry_after"]) == ("too-many-codes", wait)
    async with serving(create_app(notify.settings), notify.tokens) as replica:
        again = await replica.put(url, json={"address": second}, headers=own)
        assert again.status_code == 429, again.text
        pending = (await replica.get(url, headers=own)).json()["pending"]
        assert pending["address"] == first
    await eventually(lambda: notify.emails_to(first), what="the first code")
    assert await notify.emails_to(second) == []  # a code is e-mailed before the 202


async def test_concurrent_code_requests_on_two_replicas_stay_within_the_hour_s_limit_ei_4(
    notify: Notify,
) -> None:
    """EI-4 / issue 19 item 4 (FerretDB: insert-only counts): with no minimum interval
    and 3 codes an hour, six requests at once, split over two replicas, e-mail exactly
    three codes; the other three answer 429."""
    member_id = await notify.register(notify.address("jan"))
    own = notify.tokens.member(member_id)
    url = f"/v1/members/{member_id}/email"
    settings = notify.settings.model_copy(
        update={"address_codes_per_hour": 3, "address_code_interval_seconds": 0.0}
    )
    addresses = [notify.address(f"c{n}") for n in range(6)]
    async with (
        serving(create_app(settings), notify.tokens) as one,
        serving(create_app(settings), notify.tokens) as two,
    ):
        answers = await asyncio.gather(
            *(
                (one if n % 2 else two).put(url, json={"address": address}, headers=own)
                for n, address in enumerate(addresses)
            )
        )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [202, 202, 202, 429, 429, 429], [a.text for a in answers]
    mailed = [a for a, answer in zip(addresses, answers, strict=True) if answer.status_code == 202]
    for address in mailed:
        await eventually(lambda a=address: notify.emails_to(a), what=f"the code to {address}")
