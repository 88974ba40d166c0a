"""Issue 18 item 3 (EI-2, EI-3): the e-invoicing use cases on fakes of billing's ports:
on with ``account.created``, switched by the member / a titular / staff with time and
actor, ``einvoicing.changed`` once per real change, paper without an account or after
the account's end, and the channel read at a moment (the ``EInvoicingChannels`` port)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from billing.domain.einvoicing import Actor
from billing.domain.invoice_document import PostalAddress
from billing.service.handlers import IssueInvoice
from billing.service.ports import EInvoicingChannels, MemberDetails
from mylm_shared.events import (
    ACCOUNT_CREATED,
    ACCOUNT_STATUS_CHANGED,
    EINVOICING_CHANGED,
    INVOICE_ISSUED,
    INVOICE_PRINT_REQUESTED,
    AccountCreatedV1,
    AccountStatusChangedV1,
    CloudEvent,
    InvoicePrintRequestedV1,
    PostalAddressV1,
    new_event,
)

from testkit.fakes.billing import BillingFakes

CREATED_AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def account_created(member_id: str, at: datetime = CREATED_AT) -> CloudEvent:
    payload = AccountCreatedV1(
        account_id=str(uuid.uuid4()),
        member_id=member_id,
        method="password",
        terms_version="2026-01",
        terms_accepted_at=at,
    )
    event = new_event(ACCOUNT_CREATED, payload, source="/tests", subject=member_id)
    return event.model_copy(update={"time": at})


def account_ended(member_id: str, at: datetime) -> CloudEvent:
    payload = AccountStatusChangedV1(
        account_id=str(uuid.uuid4()),
        member_id=member_id,
        status="ended",
        reason="LF-1",
        tokens_invalid_before=at,
    )
    event = new_event(ACCOUNT_STATUS_CHANGED, payload, source="/tests", subject=member_id)
    return event.model_copy(update={"time": at})


def changes(fakes: BillingFakes) -> list[tuple[bool, str]]:
    return [
        (m.payload.enabled, m.payload.changed_by)  # type: ignore[attr-defined]
        for m in fakes.einvoicing.published
        if m.spec is EINVOICING_CHANGED
    ]


async def test_account_created_switches_einvoicing_on_once_ei_2() -> None:
    """EI-2: on automatically with the account, as the system; a redelivery changes nothing."""
    fakes = BillingFakes("m-1", with_accounts=False)
    service = fakes.use_cases().einvoicing
    event = account_created("m-1")
    for _ in range(2):
        await service.on_account_created(event, ACCOUNT_CREATED.parse(event))
    state = await service.state("m-1")
    assert state is not None and state.enabled
    assert state.last is not None and state.last.at == CREATED_AT
    assert state.last.actor.changed_by == "system"
    assert changes(fakes) == [(True, "system")]
    assert await service.channel_at("m-1", CREATED_AT + timedelta(seconds=1)) == "electronic"


async def test_no_account_means_paper_ei_2() -> None:
    """EI-2: e-invoicing is for members with a My LM account: without one, paper."""
    fakes = BillingFakes("m-1", with_accounts=False)
    channels: EInvoicingChannels = fakes.use_cases().einvoicing
    assert await channels.channel_at("m-1", CREATED_AT) == "paper"
    assert await fakes.use_cases().einvoicing.state("m-1") is None


async def test_the_member_switches_it_off_and_paper_resumes_from_then_ei_3() -> None:
    """EI-3: switched off by the member (recorded with time and actor): invoices issued
    from then on are paper; the channel before the switch stays electronic."""
    fakes = BillingFakes("m-1", with_accounts=False)
    service = fakes.use_cases().einvoicing
    event = account_created("m-1")
    await service.on_account_created(event, ACCOUNT_CREATED.parse(event))
    off_at = fakes.now
    state = await service.switch("m-1", False, Actor("member", "m-1"))
    assert not state.enabled and state.last is not None
    assert (state.last.at, state.last.actor.changed_by) == (off_at, "member")
    assert await service.channel_at("m-1", off_at + timedelta(seconds=1)) == "paper"
    assert await service.channel_at("m-1", off_at - timedelta(seconds=1)) == "electronic"
    # the same switch again records nothing (a retried PUT keeps its ``since``)
    fakes.now = off_at + timedelta(hours=1)
    again = await service.switch("m-1", False, Actor("member", "m-1"))
    assert again.last is not None and again.last.at == off_at
    assert changes(fakes) == [(True, "system"), (False, "member")]


async def test_a_titular_and_staff_switch_with_their_names_recorded_ei_3() -> None:
    """EI-3: a titular acting for the member, or staff, switch; each switch names them."""
    fakes = BillingFakes("child", with_accounts=False)
    service = fakes.use_cases().einvoicing
    await service.switch("child", True, Actor("titular", "jan"))
    fakes.now += timedelta(minutes=5)
    await service.switch("child", False, Actor("staff", "staff-1"))
    state = await service.state("child")
    assert state is not None
    assert [(s.enabled, s.actor.changed_by) for s in state.history] == [
        (True, "titular:jan"),
        (False, "staff:staff-1"),
    ]


async def test_an_account_created_before_the_members_own_switch_does_not_undo_it_ei_3() -> None:
    """EI-3: the member's later switch wins over an older ``account.created`` delivered
    late; an ended account switches it off (paper), a suspension does not."""
    fakes = BillingFakes("m-1", with_accounts=False)
    service = fakes.use_cases().einvoicing
    created = account_created("m-1")
    await service.on_account_created(created, ACCOUNT_CREATED.parse(created))
    await service.switch("m-1", False, Actor("member", "m-1"))
    late = account_created("m-1", at=CREATED_AT - timedelta(days=1))  # another, older
    await service.on_account_created(late, ACCOUNT_CREATED.parse(late))
    assert await service.channel_at("m-1", fakes.now + timedelta(days=1)) == "paper"

    other = BillingFakes("m-2", with_accounts=False)
    service = other.use_cases().einvoicing
    created = account_created("m-2")
    await service.on_account_created(created, ACCOUNT_CREATED.parse(created))
    suspended = account_ended("m-2", CREATED_AT + timedelta(days=1))
    suspended.data["status"] = "suspended"
    await service.on_account_status_changed(suspended, ACCOUNT_STATUS_CHANGED.parse(suspended))
    assert await service.channel_at("m-2", CREATED_AT + timedelta(days=2)) == "electronic"
    ended = account_ended("m-2", CREATED_AT + timedelta(days=3))
    await service.on_account_status_changed(ended, ACCOUNT_STATUS_CHANGED.parse(ended))
    assert await service.channel_at("m-2", CREATED_AT + timedelta(days=4)) == "paper"
    assert changes(other) == [(True, "system"), (False, "system")]


async def issue_care_invoice(fakes: BillingFakes, key: str) -> str:
    command = IssueInvoice(
        member_id="m-1",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=((date(2026, 2, 20), "Consult", Decimal("25.00")),),
    )
    invoice, _ = await fakes.use_cases().billing.issue_invoice(command, "staff-1", key)
    return invoice.invoice_id


def prints(fakes: BillingFakes) -> list[InvoicePrintRequestedV1]:
    return [
        m.payload  # type: ignore[misc]
        for m in fakes.invoices.published
        if m.spec is INVOICE_PRINT_REQUESTED
    ]


async def test_switched_off_the_next_invoice_is_paper_with_a_print_request_ei_3() -> None:
    """EI-3 (issue 18 item 3): switched off, the next invoice goes out on paper with one
    ``invoice.print_requested`` (language, mutuality, the PDF's reference); the invoice
    issued before the switch stays electronic and is never printed (no paper duplicate)."""
    fakes = BillingFakes("m-1")
    fakes.members.members["m-1"]["language"] = "de"
    use_cases = fakes.use_cases()
    before = await issue_care_invoice(fakes, "k-1")
    assert prints(fakes) == []
    await use_cases.einvoicing.switch("m-1", False, Actor("member", "m-1"))
    fakes.now += timedelta(seconds=1)
    after = await issue_care_invoice(fakes, "k-2")
    issued = {
        m.payload.invoice_id: m.payload.channel  # type: ignore[attr-defined]
        for m in fakes.invoices.published
        if m.spec is INVOICE_ISSUED
    }
    assert issued == {before: "electronic", after: "paper"}
    [request] = prints(fakes)
    assert (request.invoice_id, request.member_id) == (after, "m-1")
    assert (request.language, request.mutuality) == ("fr", "LM Plus")  # de reads fr
    assert request.pdf == f"/v1/invoices/{after}.pdf"
    # a replay of the same issue (Idempotency-Key) requests nothing more
    await issue_care_invoice(fakes, "k-2")
    assert len(prints(fakes)) == 1


async def test_a_member_without_an_account_gets_paper_ei_2() -> None:
    """EI-2: no My LM account, no e-invoicing: the invoice is printed."""
    fakes = BillingFakes("m-1", with_accounts=False)
    invoice_id = await issue_care_invoice(fakes, "k-1")
    assert [p.invoice_id for p in prints(fakes)] == [invoice_id]


async def test_a_print_request_carries_the_members_name_and_address_ei_2() -> None:
    """EI-2 (issue 18 item 3): what a print shop needs: the member's name and postal
    address as the directory last said (``member.registered``/``member.updated``)."""
    fakes = BillingFakes("m-1", with_accounts=False)
    asse = PostalAddress(
        street="Kerkstraat", number="12", box="3", postal_code="1730", municipality="Asse"
    )
    details = MemberDetails("Jan", "Peeters", None, asse)
    await fakes.members.update("m-1", "nl", "LM Plus", "9", details=details)
    await issue_care_invoice(fakes, "k-1")
    [request] = prints(fakes)
    assert request.member_name == "Jan Peeters"
    assert request.address == PostalAddressV1(
        street="Kerkstraat", number="12", box="3", postal_code="1730", municipality="Asse"
    )
    assert request.address.country == "BE"
    assert request.address_missing is False


async def test_a_paper_invoice_without_a_known_address_is_still_printed_ei_2() -> None:
    """EI-2 (issue 18 item 3): never silently dropped: with no address in billing's
    projection the print is requested with ``address`` null and ``address_missing``
    true, so the print shop takes it from the mutuality's member file."""
    fakes = BillingFakes("m-1", with_accounts=False)
    invoice_id = await issue_care_invoice(fakes, "k-1")
    [request] = prints(fakes)
    assert request.invoice_id == invoice_id
    assert (request.address, request.address_missing) == (None, True)


async def test_a_replayed_account_created_backfills_and_never_undoes_a_switch_ei_2() -> None:
    """Issue 18 item 3, EI-2 (identity's re-announcement): an ``account.created`` of long
    ago arriving now switches on a member billing had no record of, since the account's
    creation; a member who switched off after that creation stays off, whether billing
    had the original event or not; the replay delivered twice changes nothing more."""
    fakes = BillingFakes("m-1", "m-2", "m-3", with_accounts=False)
    service = fakes.use_cases().einvoicing
    long_ago = fakes.now - timedelta(days=700)
    # m-1: billing never heard of the account (created before this version)
    replay = account_created("m-1", long_ago)
    for _ in range(2):
        await service.on_account_created(replay, ACCOUNT_CREATED.parse(replay))
    state = await service.state("m-1")
    assert state is not None and state.enabled and state.last is not None
    assert (state.last.at, state.last.actor.changed_by) == (long_ago, "system")
    # m-2: had the original event, then switched off; m-3: no record, switched off
    original = account_created("m-2", long_ago + timedelta(microseconds=7))
    await service.on_account_created(original, ACCOUNT_CREATED.parse(original))
    for member in ("m-2", "m-3"):
        await service.switch(member, False, Actor("member", member))
        replay = account_created(member, long_ago)
        await service.on_account_created(replay, ACCOUNT_CREATED.parse(replay))
        assert await service.channel_at(member, fakes.now + timedelta(seconds=1)) == "paper"
    assert changes(fakes) == [
        (True, "system"),
        (True, "system"),
        (False, "member"),
        (False, "member"),
    ]
