"""EI-4 (issue 19 item 4) on fakes of notify's ports: the member's e-mail switches per
category (security messages always sent) and the notification address, changed only by
the code sent to the new address, the old address told."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from mylm_shared.events import (
    AMENDMENT_REMINDED,
    CLAIM_ACCEPTED,
    CLAIM_PAYOUT_ACCOUNT_CHANGED,
    INVOICE_ISSUED,
    INVOICE_REMINDER_DUE,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    TERMS_CHANGED,
    AmendmentRemindedV1,
    ClaimAcceptedV1,
    ClaimPayoutAccountChangedV1,
    CloudEvent,
    InvoiceReminderDueV1,
    LocalizedTextV1,
    TermsChangedV1,
    new_event,
)
from mylm_shared.failures import Unavailable
from notify.domain.address import (
    CodeExpired,
    CodeLimit,
    CodeLocked,
    InvalidAddress,
    NoPendingChange,
    TooManyCodes,
    WrongCode,
)
from notify.domain.preferences import Preferences, category_of
from notify.service.member_settings import CodeNotSent
from notify.service.use_cases import NotifyUseCases

from testkit.apps import invoice_issued, member_registered, member_updated
from testkit.fakes.notify import FakeClock, NotifyFakes


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.fakes = NotifyFakes(clock=self.clock)
        self.use_cases: NotifyUseCases = self.fakes.use_cases()
        self.notify = self.use_cases.notify
        self.members = self.use_cases.members

    @property
    def outbox(self) -> list[tuple[str, str]]:
        """(to, Message-ID prefix kind) of every e-mail sent."""
        return [(e.to, e.subject) for e in self.fakes.sender.outbox]

    async def register(self, email: str = "jan@example.org") -> str:
        event = member_registered(email=email, language="nl")
        await self.notify.on_member_registered(event, MEMBER_REGISTERED.parse(event))
        return event.subject or ""

    async def invoice(self, member_id: str, channel: str = "electronic") -> CloudEvent:
        event = invoice_issued(member_id)
        event.data["channel"] = channel
        await self.notify.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
        return event

    def sent_to(self) -> list[str]:
        return [e.to for e in self.fakes.sender.outbox]

    def last_code(self) -> str:
        found = re.search(r"\b(\d{6})\b", self.fakes.sender.outbox[-1].body)
        assert found is not None
        return found.group(1)


def reminder(member_id: str) -> CloudEvent:
    payload = InvoiceReminderDueV1(
        invoice_id="inv-1",
        member_id=member_id,
        level=1,
        due_on=date(2026, 2, 15),
        structured_reference="+++000/0000/00101+++",
        due_date=date(2026, 1, 30),
        outstanding=Decimal("25.00"),
        channel="electronic",
    )
    return new_event(INVOICE_REMINDER_DUE, payload, source="/tests", subject=member_id)


def amendment(member_id: str) -> CloudEvent:
    payload = AmendmentRemindedV1(
        amendment_id="a-1",
        policy_id="p-1",
        member_id=member_id,
        step="accept_proposal",
        deadline=date(2026, 2, 28),
    )
    return new_event(AMENDMENT_REMINDED, payload, source="/tests", subject=member_id)


def terms(member_id: str) -> CloudEvent:
    payload = TermsChangedV1(
        member_id=member_id,
        version="2027.1",
        effective_on=date(2027, 2, 1),
        published_on=date(2027, 1, 4),
        summary=LocalizedTextV1(nl="Nieuw.", fr="Nouveau."),
    )
    return new_event(TERMS_CHANGED, payload, source="/tests", subject=member_id)


def accepted(member_id: str) -> CloudEvent:
    payload = ClaimAcceptedV1(
        claim_id="c-1",
        claim_number="2026/00001",
        member_id=member_id,
        outcome="covered",
        rules=["PA-1"],
        reason=LocalizedTextV1(nl="Gedekt.", fr="Couvert."),
    )
    return new_event(CLAIM_ACCEPTED, payload, source="/tests", subject=member_id)


def payout_changed(member_id: str) -> CloudEvent:
    payload = ClaimPayoutAccountChangedV1(
        claim_id="c-1",
        claim_number="2026/00001",
        member_id=member_id,
        payout_id="po-1",
        iban_last4="6769",
        previous_iban_last4="7061",
        changed_at=datetime(2027, 1, 10, 9, 30, tzinfo=UTC),
        acted_by=None,
    )
    return new_event(CLAIM_PAYOUT_ACCOUNT_CHANGED, payload, source="/tests", subject=member_id)


# ----------------------------------------------------------------- switches (EI-4)


def test_switches_are_all_on_by_default_and_security_messages_cannot_be_switched_off() -> None:
    """EI-4, issue 19 item 4: all categories on until switched off; the address code, the
    notice of its change and the payout account's change follow no switch."""
    assert Preferences().as_dict() == dict.fromkeys(
        ("invoices", "documents", "policy", "claims"), True
    )
    off = Preferences(invoices=False, documents=False, policy=False, claims=False)
    for kind in (
        "notification_address_code",
        "notification_address_changed",
        "claim_payout_account",
    ):
        assert category_of(kind) is None
        assert off.allows(kind)
    assert not off.allows("invoice_issued") and not off.allows("claim_decision")


async def test_a_partial_change_keeps_the_other_switches() -> None:
    """EI-4: PUT with some categories changes those only."""
    world = World()
    member = await world.register()
    await world.members.change_preferences(member, {"claims": False})
    after = await world.members.change_preferences(member, {"invoices": False})
    assert after == Preferences(invoices=False, claims=False)


async def test_invoices_off_no_invoice_or_reminder_email_but_terms_still_announced() -> None:
    """EI-4: invoice e-mails off → neither the invoice's nor its reminders' e-mail; the
    announcement of new conditions (EI-6) still goes out."""
    world = World()
    member = await world.register()
    await world.members.change_preferences(member, {"invoices": False})
    await world.invoice(member)
    event = reminder(member)
    await world.notify.on_invoice_reminder_due(event, INVOICE_REMINDER_DUE.parse(event))
    assert world.sent_to() == []
    event = terms(member)
    await world.notify.on_terms_changed(event, TERMS_CHANGED.parse(event))
    assert world.sent_to() == ["jan@example.org"]


async def test_a_paper_invoice_gets_no_email_ei_4() -> None:
    """EI-4, EI-2: only an electronic invoice is announced by e-mail."""
    world = World()
    member = await world.register()
    await world.invoice(member, channel="paper")
    assert world.sent_to() == []


async def test_each_category_follows_its_own_switch_and_the_payout_notice_none() -> None:
    """EI-4, issue 19 item 4: policy off → no amendment reminder; claims off → no claim
    milestone, but the payout account's change (security) is sent."""
    world = World()
    member = await world.register()
    await world.members.change_preferences(member, {"policy": False, "claims": False})
    event = amendment(member)
    await world.notify.on_amendment_reminded(event, AMENDMENT_REMINDED.parse(event))
    event = accepted(member)
    await world.notify.on_claim_event(event, CLAIM_ACCEPTED.parse(event))
    assert world.sent_to() == []
    event = payout_changed(member)
    await world.notify.on_claim_event(event, CLAIM_PAYOUT_ACCOUNT_CHANGED.parse(event))
    assert world.sent_to() == ["jan@example.org"]
    await world.members.change_preferences(member, {"policy": True})
    event = amendment(member)
    await world.notify.on_amendment_reminded(event, AMENDMENT_REMINDED.parse(event))
    assert len(world.sent_to()) == 2


# ----------------------------------------------------------------- address (EI-4)


async def test_the_new_address_needs_the_code_and_the_old_one_is_told() -> None:
    """EI-4: the code goes to the NEW address; until it is confirmed invoices go to the
    old one; once confirmed they go to the new one and the old address is told (the new
    one masked)."""
    world = World()
    member = await world.register("jan@example.org")
    change = await world.members.request_address_change(member, "  Jan.New@Example.ORG ")
    assert change.address == "Jan.New@example.org"
    assert world.sent_to() == ["Jan.New@example.org"]
    code = world.last_code()
    await world.invoice(member)
    assert world.sent_to()[-1] == "jan@example.org"  # not confirmed yet
    with pytest.raises(WrongCode) as wrong:
        await world.members.confirm_address(member, "000000" if code != "000000" else "111111")
    assert wrong.value.attempts_left == 4
    assert await world.members.confirm_address(member, code) == "Jan.New@example.org"
    told = world.fakes.sender.outbox[-1]
    assert told.to == "jan@example.org"
    assert "J*****w@example.org" in told.body and "Jan.New@" not in told.body
    await world.invoice(member)
    assert world.sent_to()[-1] == "Jan.New@example.org"
    with pytest.raises(NoPendingChange):  # used once
        await world.members.confirm_address(member, code)


async def test_a_confirmed_address_wins_over_a_later_directory_change() -> None:
    """EI-4 (the rule of ``domain/address.py``): the member's confirmed notification
    address stays when the directory's e-mail changes later."""
    world = World()
    member = await world.register("jan@example.org")
    await world.members.request_address_change(member, "mine@example.org")
    await world.members.confirm_address(member, world.last_code())
    event = member_updated(member, email="directory@example.org")
    await world.notify.on_member_updated(event, MEMBER_UPDATED.parse(event))
    await world.invoice(member)
    assert world.sent_to()[-1] == "mine@example.org"


async def test_a_code_is_kept_hashed_and_allows_five_attempts() -> None:
    """EI-4: the code is never stored (only its keyed hash; the code e-mail's content is
    not kept); five wrong guesses lock it, even for the right code then."""
    world = World()
    member = await world.register()
    change = await world.members.request_address_change(member, "new@example.org")
    code = world.last_code()
    assert code not in change.digest
    [delivery] = world.fakes.deliveries.deliveries.values()
    assert delivery.body is None and delivery.html is None and delivery.status == "sent"
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongCode) as error:
            await world.members.confirm_address(member, wrong)
        assert error.value.attempts_left == left
    with pytest.raises(CodeLocked):
        await world.members.confirm_address(member, wrong)
    with pytest.raises(CodeLocked):
        await world.members.confirm_address(member, code)
    await world.invoice(member)
    assert world.sent_to()[-1] == "jan@example.org"


async def test_a_code_expires_and_a_new_request_ends_the_earlier_code() -> None:
    """EI-4: 15 minutes; only the newest code counts."""
    world = World()
    member = await world.register()
    await world.members.request_address_change(member, "first@example.org")
    first = world.last_code()
    world.clock.advance(minutes=16)
    with pytest.raises(CodeExpired):
        await world.members.confirm_address(member, first)
    world.clock.advance(seconds=1)
    await world.members.request_address_change(member, "second@example.org")
    second = world.last_code()
    if first != second:
        with pytest.raises(WrongCode):
            await world.members.confirm_address(member, first)
    assert await world.members.confirm_address(member, second) == "second@example.org"


async def test_an_invalid_address_is_refused_and_a_code_not_sent_is_said() -> None:
    """EI-4: an address must look like one; a code the SMTP server could not take now is
    reported (the member asks again), never kept to be resent."""
    world = World()
    member = await world.register()
    for bad in ("no-at-sign", "a@b", "two@@example.org", "sp ace@example.org"):
        with pytest.raises(InvalidAddress):
            await world.members.request_address_change(member, bad)
    world.fakes.sender.failures.append(Unavailable("SMTP 451"))
    with pytest.raises(CodeNotSent):
        await world.members.request_address_change(member, "new@example.org")
    [delivery] = world.fakes.deliveries.deliveries.values()
    assert delivery.status == "failed" and delivery.body is None


# ------------------------------------------- the address in use, read back (EI-4)


async def test_the_address_read_back_is_the_one_on_file_then_the_pending_then_the_chosen() -> None:
    """EI-4, issue 19 item 4 / issue 20 item 2 (GET /email): by default the e-mail on
    file (``default``); a requested change waits for its code, shown in full with its
    expiry, while the old address stays in use; confirmed, it is in use (``member``) and
    nothing waits."""
    world = World()
    member = await world.register("jan@example.org")
    found = await world.members.address(member)
    assert (found.address, found.source, found.pending) == ("jan@example.org", "default", None)
    change = await world.members.request_address_change(member, "Jan.New@Example.org")
    found = await world.members.address(member)
    assert (found.address, found.source) == ("jan@example.org", "default")
    assert found.pending is not None
    assert (found.pending.address, found.pending.expires_at) == (
        "Jan.New@example.org",
        change.expires_at,
    )
    await world.members.confirm_address(member, world.last_code())
    found = await world.members.address(member)
    assert (found.address, found.source, found.pending) == ("Jan.New@example.org", "member", None)


async def test_an_expired_locked_or_unsent_change_is_not_shown_as_waiting() -> None:
    """EI-4: only a change whose code can still confirm it is pending: not once expired,
    not once every attempt is used, not when its code could not be e-mailed."""
    world = World()
    member = await world.register()
    assert (await world.members.address(member)).pending is None
    await world.members.request_address_change(member, "late@example.org")
    world.clock.advance(minutes=15)
    assert (await world.members.address(member)).pending is None
    world.clock.advance(minutes=1)
    await world.members.request_address_change(member, "guess@example.org")
    code = world.last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(WrongCode):
            await world.members.confirm_address(member, wrong)
    assert (await world.members.address(member)).pending is not None  # one attempt left
    with pytest.raises(CodeLocked):
        await world.members.confirm_address(member, wrong)
    assert (await world.members.address(member)).pending is None
    world.clock.advance(minutes=1)
    world.fakes.sender.failures.append(Unavailable("SMTP 451"))
    with pytest.raises(CodeNotSent):
        await world.members.request_address_change(member, "unsent@example.org")
    assert (await world.members.address(member)).pending is None
    with pytest.raises(NoPendingChange):  # no code reached it: nothing to confirm
        await world.members.confirm_address(member, code)


async def test_a_member_unknown_to_notify_reads_no_address() -> None:
    """EI-4: before the directory told notify of the member, nothing is in use."""
    found = await World().members.address("m-unknown")
    assert (found.address, found.source, found.pending) == (None, "default", None)


# ------------------------------- the limit on code e-mails (EI-4, issue 19 item 4)


def test_the_code_limit_rule_min_interval_and_five_per_sliding_hour() -> None:
    """EI-4 / issue 19 item 4: one code e-mail per minute at most, five in any hour."""
    limit = CodeLimit()
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert limit.wait([], start) == timedelta(0)
    assert limit.wait([start], start + timedelta(seconds=20)) == timedelta(seconds=40)
    assert limit.wait([start], start + timedelta(seconds=60)) == timedelta(0)
    five = [start + timedelta(minutes=m) for m in (0, 5, 10, 15, 20)]
    assert limit.wait(five, start + timedelta(minutes=30)) == timedelta(minutes=30)
    assert limit.wait(five, start + timedelta(minutes=60)) == timedelta(0)
    assert limit.wait(five[1:], start + timedelta(minutes=30)) == timedelta(0)
    # stamped a moment after ``at`` by a concurrent request: counts as sent at ``at``
    later = start + timedelta(microseconds=5)
    assert CodeLimit(min_interval=timedelta(0)).wait([later], start) == timedelta(0)
    assert limit.wait([later], start) == timedelta(seconds=60)


async def test_code_emails_are_limited_per_member_ei_4_issue_19_item_4() -> None:
    """EI-4 / issue 19 item 4: a second code within 60 s is refused (``TooManyCodes``
    with the seconds to wait), nothing changes (the earlier code still confirms); at most
    five code e-mails in any hour; another member is not held back."""
    world = World()
    member = await world.register()
    await world.members.request_address_change(member, "first@example.org")
    first = world.last_code()
    world.clock.advance(seconds=20)
    with pytest.raises(TooManyCodes) as refused:
        await world.members.request_address_change(member, "evil@example.org")
    assert refused.value.retry_after_seconds == 40
    assert world.sent_to() == ["first@example.org"]
    pending = (await world.members.address(member)).pending
    assert pending is not None and pending.address == "first@example.org"
    other = await world.register("other@example.org")
    await world.members.request_address_change(other, "other.new@example.org")

    for n in range(4):  # four more, a minute apart: five in 4 min 20 s
        world.clock.advance(seconds=60)
        await world.members.request_address_change(member, f"n{n}@example.org")
    world.clock.advance(seconds=60)
    with pytest.raises(TooManyCodes) as refused:
        await world.members.request_address_change(member, "sixth@example.org")
    # now 320 s after the first code (20 + 4 × 60 + 60): it leaves the hour at 3600 s
    assert refused.value.retry_after_seconds == 3600 - 320
    world.clock.advance(seconds=3600 - 321)
    with pytest.raises(TooManyCodes) as refused:
        await world.members.request_address_change(member, "sixth@example.org")
    assert refused.value.retry_after_seconds == 1
    world.clock.advance(seconds=1)
    await world.members.request_address_change(member, "sixth@example.org")
    assert world.sent_to()[-1] == "sixth@example.org"
    assert first  # the first code was e-mailed


async def test_a_code_not_e_mailed_does_not_count_against_the_limit() -> None:
    """EI-4 / issue 19 item 4 (favourable reading): an SMTP failure sends no code, so
    asking again at once is allowed."""
    world = World()
    member = await world.register()
    world.fakes.sender.failures.append(Unavailable("SMTP 451"))
    with pytest.raises(CodeNotSent):
        await world.members.request_address_change(member, "new@example.org")
    await world.members.request_address_change(member, "new@example.org")
    assert world.sent_to() == ["new@example.org"]


async def test_of_concurrent_code_requests_one_takes_the_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """EI-4 / issue 19 item 4: when another replica took the next count between this
    request's read and its insert, the request reads again and is measured against it
    (refused within the minute), so the limit holds across replicas."""
    world = World()
    member = await world.register()
    settings = world.fakes.member_settings
    stale = settings.code_sends

    async def read_before_the_other_replica(member_id: str) -> list[tuple[int, datetime]]:
        before = await stale(member_id)
        monkeypatch.setattr(settings, "code_sends", stale)
        await settings.take_code_send(member_id, 1, world.clock())  # the other replica
        return before

    monkeypatch.setattr(settings, "code_sends", read_before_the_other_replica)
    with pytest.raises(TooManyCodes):
        await world.members.request_address_change(member, "new@example.org")
    assert world.sent_to() == []
    assert list(settings.code_sends_of[member]) == [1]
