"""Issue 19 item 2: a document goes on exactly one channel (IN-3): the inbox, or paper
(``document.print_requested``) while the member's inbox is off; an invoice billing posts
itself is never printed a second time (EI-2). The switch (IN-2: on by default) is
recorded with time and actor (``inbox.settings_changed``) and is idempotent. Domain
rules and use cases over the fake of inbox's store."""

from datetime import UTC, datetime, timedelta

import pytest
from inbox.domain.documents import (
    Delivery,
    DocumentQuery,
    InboxDocument,
    delivery_for,
    print_request,
)
from inbox.domain.inbox_settings import Actor, InboxState, InvalidSwitch, enabled_at
from mylm_shared.events import (
    CLAIM_DECLARED,
    INBOX_SETTINGS_CHANGED,
    INVOICE_ISSUED,
    MEMBER_REGISTERED,
    CloudEvent,
    PostalAddressV1,
)

from testkit.apps import invoice_issued, member_registered
from testkit.claim_events import claim_milestones
from testkit.fakes.inbox import InboxFakes

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MEMBER = Actor("member", "m-1")
ADDRESS = PostalAddressV1(street="Kerkstraat", number="12", postal_code="9000", municipality="Gent")


# ---------------------------------------------------------------- the domain rules
def test_in_2_a_member_who_never_switched_has_the_inbox_on() -> None:
    assert enabled_at(None, T0) is True
    assert InboxState("m-1").enabled is True


def test_in_3_the_switch_in_force_when_the_document_came_decides() -> None:
    state = InboxState("m-1")
    state.switch(False, MEMBER, T0)
    state.switch(True, MEMBER, T0 + timedelta(days=2))
    assert state.enabled_at(T0 - timedelta(seconds=1)) is True
    assert state.enabled_at(T0) is False
    assert state.enabled_at(T0 + timedelta(days=1)) is False
    assert state.enabled_at(T0 + timedelta(days=2)) is True


def test_in_3_switching_to_the_state_in_force_records_nothing() -> None:
    state = InboxState("m-1")
    assert state.switch(True, MEMBER, T0) is None
    first = state.switch(False, MEMBER, T0)
    assert first is not None
    assert state.switch(False, Actor("staff", "s-1"), T0 + timedelta(hours=1)) is None
    assert state.history == (first,)
    assert len(state.events) == 1


def test_a_switch_names_its_actor_and_carries_a_time_zone() -> None:
    with pytest.raises(InvalidSwitch):
        Actor("titular", " ")
    with pytest.raises(InvalidSwitch):
        InboxState("m-1").switch(False, MEMBER, datetime(2026, 11, 20, 9, 0))
    assert Actor("titular", "m-9").changed_by == "titular:m-9"
    assert MEMBER.changed_by == "member"


def test_in_3_ei_2_one_channel_per_document() -> None:
    assert delivery_for(inbox_enabled=True) == Delivery("inbox")
    assert delivery_for(inbox_enabled=False) == Delivery("paper", "inbox")
    assert delivery_for(inbox_enabled=False).requests_print
    # EI-2: billing posts a paper invoice itself; the inbox neither files nor prints it
    for enabled in (True, False):
        billing = delivery_for(inbox_enabled=enabled, posted_by_billing=True)
        assert billing == Delivery("paper", "billing")
        assert not billing.requests_print


def test_in_3_a_print_request_says_address_missing_when_none_is_known() -> None:
    document = InboxDocument(
        document_id="d-1",
        member_id="m-1",
        kind="claim_closed",
        title="Dossier afgesloten",
        source_id="c-1",
        created_at=T0,
        body="…",
        has_pdf=True,
    )
    request = print_request(document, None)
    assert request.address_missing
    assert request.language == "nl"
    assert request.content.service == "inbox"
    assert request.content.path == "/v1/documents/d-1/content"
    without_content = InboxDocument("d-2", "m-1", "claim_closed", "t", "c-2", T0)
    with pytest.raises(ValueError):
        print_request(without_content, None)


# ---------------------------------------------------------------- the use cases
async def known_member(fakes: InboxFakes, address: PostalAddressV1 | None = ADDRESS) -> str:
    event = member_registered(language="fr", address=address)
    await fakes.use_cases().inbox.on_member_registered(event, MEMBER_REGISTERED.parse(event))
    return event.subject or ""


async def issue(fakes: InboxFakes, event: CloudEvent) -> None:
    await fakes.use_cases().inbox.on_invoice_issued(event, INVOICE_ISSUED.parse(event))


async def test_in_3_inbox_off_an_invoice_goes_by_post_not_to_the_inbox() -> None:
    fakes = InboxFakes()
    inbox = fakes.use_cases().inbox
    member_id = await known_member(fakes)
    await inbox.switch_inbox(member_id, False, Actor("member", member_id))
    event = invoice_issued(member_id)
    for _ in range(2):  # redelivered: one print request
        await issue(fakes, event)
    [request] = fakes.inbox.print_requests
    assert request.member_id == member_id
    assert request.kind == "invoice"
    assert request.title.startswith("Facture")
    assert request.language == "fr"
    assert request.member_name == "Jan Peeters"
    assert request.mutuality == "LM Plus"
    assert request.address == ADDRESS and not request.address_missing
    assert request.content.service == "billing"
    assert request.content.path == f"/v1/invoices/{event.data['invoice_id']}.pdf"
    page = await inbox.documents_of(member_id, DocumentQuery())
    assert page.items == [] and page.unread == 0
    [recorded] = fakes.inbox.documents.values()
    assert recorded.delivery == Delivery("paper", "inbox")


async def test_in_3_switched_on_again_new_documents_arrive_in_the_inbox_and_old_stay() -> None:
    fakes = InboxFakes()
    inbox = fakes.use_cases().inbox
    member_id = await known_member(fakes)
    before = invoice_issued(member_id)
    await issue(fakes, before)
    await inbox.switch_inbox(member_id, False, Actor("member", member_id))
    while_off = invoice_issued(member_id)
    await issue(fakes, while_off)
    await inbox.switch_inbox(member_id, True, Actor("member", member_id))
    after = invoice_issued(member_id)
    await issue(fakes, after)
    listed = [d.source_id for d in (await inbox.documents_of(member_id, DocumentQuery())).items]
    assert listed == [after.data["invoice_id"], before.data["invoice_id"]]
    [printed] = fakes.inbox.print_requests
    assert printed.content.path == f"/v1/invoices/{while_off.data['invoice_id']}.pdf"


async def test_ei_2_a_paper_invoice_from_billing_is_not_printed_again_by_the_inbox() -> None:
    """Billing issued it on paper (e-invoicing off) and emits invoice.print_requested
    itself: whatever the inbox switch, no second print request, and (one channel) not in
    the inbox either."""
    for inbox_enabled in (True, False):
        fakes = InboxFakes()
        inbox = fakes.use_cases().inbox
        member_id = await known_member(fakes)
        if not inbox_enabled:
            await inbox.switch_inbox(member_id, False, Actor("member", member_id))
        await issue(fakes, invoice_issued(member_id, channel="paper"))
        assert fakes.inbox.print_requests == []
        assert (await inbox.documents_of(member_id, DocumentQuery())).items == []
        [recorded] = fakes.inbox.documents.values()
        assert recorded.delivery == Delivery("paper", "billing")


async def test_in_3_a_letter_goes_by_post_with_its_stored_pdf_and_address_missing() -> None:
    fakes = InboxFakes()
    inbox = fakes.use_cases().inbox
    member_id = await known_member(fakes, address=None)
    await inbox.switch_inbox(member_id, False, Actor("member", member_id))
    topic, declared = claim_milestones(member_id, "c-1", "CL-2026-000001")[0]
    assert topic == "claim.declared"
    await inbox.on_claim_declared(declared, CLAIM_DECLARED.parse(declared))
    [request] = fakes.inbox.print_requests
    assert request.address_missing and request.address is None
    assert request.content.service == "inbox"
    assert fakes.inbox.pdfs[request.document_id].startswith(b"%PDF-")


async def test_in_3_every_switch_is_recorded_with_its_actor_and_published() -> None:
    fakes = InboxFakes()
    inbox = fakes.use_cases().inbox
    titular = Actor("titular", "m-titular")
    off = await inbox.switch_inbox("m-child", False, titular)
    assert not off.enabled and off.last is not None
    assert off.last.actor.changed_by == "titular:m-titular"
    again = await inbox.switch_inbox("m-child", False, Actor("member", "m-child"))
    assert again.history == off.history  # idempotent: nothing recorded
    await inbox.switch_inbox("m-child", True, Actor("staff", "s-1"))
    published = fakes.inbox.published
    assert [m.spec for m in published] == [INBOX_SETTINGS_CHANGED, INBOX_SETTINGS_CHANGED]
    payloads = [m.payload.model_dump() for m in published]
    assert [(p["enabled"], p["changed_by"]) for p in payloads] == [
        (False, "titular:m-titular"),
        (True, "staff:s-1"),
    ]
    assert all(m.subject == "m-child" for m in published)
