"""Billing use cases on in-memory fakes of their ports (no servers): issuing raises
``invoice.issued`` once (EI-1, EI-4), retries replay, listing is the member's own."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from billing.adapters.repository import InvoiceMapper
from billing.domain.invoice import InvalidInvoice, Invoice
from billing.domain.premium import premium_invoice_id
from billing.domain.structured_reference import is_valid
from billing.service.handlers import BillingService, IssueInvoice, UnknownMember
from mylm_shared.events import (
    INVOICE_ISSUED,
    INVOICE_PAID,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    PREMIUM_DUE,
    InvoiceIssuedV1,
    InvoicePaidV1,
    PremiumDueV1,
    PremiumV1,
    new_event,
)
from mylm_shared.failures import MissingDependency
from mylm_shared.kernel.idempotency import IdempotencyConflict

from testkit.apps import member_registered, member_updated
from testkit.fakes.billing import BillingFakes, FakeMembers
from testkit.fakes.shared import InMemoryAggregates


def service() -> tuple[BillingService, InMemoryAggregates[Invoice]]:
    fakes = BillingFakes("m-1")
    return fakes.use_cases().billing, fakes.invoices


def command(member_id: str = "m-1", due: date = date(2026, 12, 23)) -> IssueInvoice:
    return IssueInvoice(
        member_id=member_id,
        issue_date=date(2026, 11, 23),
        due_date=due,
        lines=((date(2026, 11, 2), "Consultatie", Decimal("12.50")),),
    )


async def test_issuing_stores_the_invoice_and_raises_invoice_issued_once_ei_1_ei_4() -> None:
    billing, store = service()
    invoice, created = await billing.issue_invoice(command(), "staff-1", None)
    assert created
    assert is_valid(invoice.structured_reference)
    assert [m.spec for m in store.published] == [INVOICE_ISSUED]
    payload = store.published[0].payload
    assert isinstance(payload, InvoiceIssuedV1)
    assert payload.total == Decimal("12.50")
    assert store.published[0].subject == "m-1"  # the Kafka key: per-member order
    assert await billing.invoice(invoice.invoice_id) == invoice


async def test_a_retry_with_the_same_key_replays_without_a_second_event() -> None:
    billing, store = service()
    first, _ = await billing.issue_invoice(command(), "staff-1", "k-1")
    again, created = await billing.issue_invoice(command(), "staff-1", "k-1")
    assert not created
    assert again == first
    assert len(store.published) == 1


async def test_the_same_key_with_another_request_is_a_conflict() -> None:
    billing, store = service()
    await billing.issue_invoice(command(), "staff-1", "k-1")
    with pytest.raises(IdempotencyConflict):
        await billing.issue_invoice(command(due=date(2026, 12, 31)), "staff-1", "k-1")
    assert len(store.published) == 1


async def test_a_retry_across_releases_still_names_and_matches_the_stored_invoice() -> None:
    """Issue 17 item 3 (``mylm_shared.kernel.idempotency``): the invoice id and the request's
    fingerprint are those earlier releases stored, so their retries still replay."""
    billing, _ = service()
    invoice, _ = await billing.issue_invoice(command(), "staff-1", "k-1")
    assert invoice.invoice_id == "f08482ff-59fd-5abc-b759-aa71c776f86c"
    pinned = "0707380cd5dea29803f5aa2509a0f3f328e9316001be4eab1f16268aafd99ab7"
    assert invoice.request_fingerprint == command().fingerprint() == pinned


async def test_unknown_members_and_invalid_invoices_store_nothing() -> None:
    billing, store = service()
    with pytest.raises(UnknownMember):
        await billing.issue_invoice(command(member_id="m-2"), "staff-1", None)
    with pytest.raises(InvalidInvoice):
        await billing.issue_invoice(command(due=date(2026, 11, 1)), "staff-1", None)
    assert store.documents == {}
    assert store.published == []


async def test_a_member_is_known_once_member_registered_is_handled() -> None:
    fakes = BillingFakes()
    billing, members = fakes.use_cases().billing, fakes.members
    event = member_registered("m-9")
    await billing.on_member_registered(event, MEMBER_REGISTERED.parse(event))
    assert await members.known("m-9")


async def test_a_members_invoices_newest_first_filtered_and_paged() -> None:
    billing, _ = service()
    for day in (1, 3, 2):
        cmd = IssueInvoice(
            "m-1",
            date(2026, 11, day),
            date(2026, 12, 1),
            ((date(2026, 11, 1), "Consultatie", Decimal("1.00")),),
        )
        await billing.issue_invoice(cmd, "staff-1", None)
    listed = await billing.invoices_of("m-1", status=None, limit=2, offset=0)
    assert [i.issue_date.day for i in listed] == [3, 2]
    assert [
        i.issue_date.day for i in await billing.invoices_of("m-1", status=None, limit=2, offset=2)
    ] == [1]
    assert await billing.invoices_of("m-1", status="paid", limit=10, offset=0) == []
    assert await billing.invoices_of("m-2", status=None, limit=10, offset=0) == []


async def test_member_updated_keeps_the_projection_current_and_never_goes_back() -> None:
    """``member.updated`` may come before ``member.registered`` (another topic) and an
    old event may be re-driven: the newest state stays."""
    fakes = BillingFakes()
    billing, members = fakes.use_cases().billing, fakes.members
    registered = member_registered("m-7", language="nl")
    older = member_updated("m-7", language="de")
    newer = member_updated("m-7", language="fr")
    await billing.on_member_updated(newer, MEMBER_UPDATED.parse(newer))
    assert await members.known("m-7")  # an update alone makes the member known
    await billing.on_member_registered(registered, MEMBER_REGISTERED.parse(registered))
    await billing.on_member_updated(older, MEMBER_UPDATED.parse(older))
    assert members.members["m-7"]["language"] == "fr"


def premium_due(
    term: int = 1, member_id: str = "m-1", taxes: str = "9.25", contributions: str = "1.50"
) -> Any:
    """A ``premium.due`` as policy-svc emits it (PC-8: net + taxes + contributions)."""
    total = Decimal("100.00") + Decimal(taxes) + Decimal(contributions)
    payload = PremiumDueV1(
        policy_id="p-1",
        member_id=member_id,
        term_number=term,
        due_date=date(2027, 1, 1),
        premium=PremiumV1(
            net=Decimal("100.00"),
            taxes=Decimal(taxes),
            contributions=Decimal(contributions),
            total=total,
        ),
    )
    return new_event(PREMIUM_DUE, payload, source="/tests", subject=member_id)


async def handle_premium(billing: BillingService, event: Any) -> None:
    await billing.on_premium_due(event, PREMIUM_DUE.parse(event))


async def test_premium_due_issues_one_premium_invoice_with_the_pc_8_breakdown() -> None:
    billing, store = service()
    await handle_premium(billing, premium_due())
    invoice = await billing.invoice(premium_invoice_id("p-1", 1))
    assert invoice is not None
    assert (invoice.kind, invoice.policy_id, invoice.term_number) == ("premium", "p-1", 1)
    assert [(li.description, li.amount) for li in invoice.lines] == [
        ("Nettopremie — termijn 1", Decimal("100.00")),
        ("Taksen — termijn 1", Decimal("9.25")),
        ("Bijdragen — termijn 1", Decimal("1.50")),
    ]
    assert invoice.total == Decimal("110.75")
    assert invoice.due_date == date(2027, 1, 1)
    assert is_valid(invoice.structured_reference)  # what the payment quotes
    [issued] = store.published
    assert issued.spec == INVOICE_ISSUED
    assert isinstance(issued.payload, InvoiceIssuedV1)
    assert (issued.payload.kind, issued.payload.policy_id, issued.payload.term_number) == (
        "premium",
        "p-1",
        1,
    )


async def test_a_redelivered_or_repeated_premium_due_issues_no_second_invoice_pc_8() -> None:
    billing, store = service()
    event = premium_due()
    await handle_premium(billing, event)
    await handle_premium(billing, event)  # redelivered
    await handle_premium(billing, premium_due())  # the same term requested again
    await handle_premium(billing, premium_due(term=2))  # the next term is a new invoice
    assert len(await billing.invoices_of("m-1", status=None, limit=10, offset=0)) == 2
    assert len(store.published) == 2


async def test_a_premium_due_before_the_member_is_known_is_retried_not_refused() -> None:
    billing, store = service()
    with pytest.raises(MissingDependency):
        await handle_premium(billing, premium_due(member_id="m-2"))
    assert store.published == []


async def test_a_zero_part_is_left_out_and_a_wrong_total_is_refused_pc_8() -> None:
    billing, _ = service()
    await handle_premium(billing, premium_due(contributions="0.00"))
    invoice = await billing.invoice(premium_invoice_id("p-1", 1))
    assert invoice is not None
    assert [li.description for li in invoice.lines] == [
        "Nettopremie — termijn 1",
        "Taksen — termijn 1",
    ]
    event = premium_due(term=2)
    data = PREMIUM_DUE.parse(event)
    wrong = data.model_copy(update={"premium": data.premium.model_copy(update={"total": 1})})
    with pytest.raises(InvalidInvoice, match="PC-8"):
        await billing.on_premium_due(event, wrong)


async def test_a_paid_premium_invoice_names_its_policy_and_term_in_invoice_paid_pc_4() -> None:
    billing, store = service()
    await handle_premium(billing, premium_due())
    invoice = await billing.invoice(premium_invoice_id("p-1", 1))
    assert invoice is not None
    invoice.record_payment("pay-1", invoice.total, date(2026, 12, 20))
    await store.save(invoice)
    paid = store.published[-1]
    assert paid.spec == INVOICE_PAID
    assert isinstance(paid.payload, InvoicePaidV1)
    assert (paid.payload.kind, paid.payload.policy_id, paid.payload.term_number) == (
        "premium",
        "p-1",
        1,
    )


def adjustment_due(amendment_id: str = "am-1", term: int = 1) -> Any:
    """PC-7/PC-8: the premium difference an accepted amendment requests for a term."""
    payload = PremiumDueV1(
        policy_id="p-1",
        member_id="m-1",
        term_number=term,
        due_date=date(2026, 4, 10),
        premium=PremiumV1(
            net=Decimal("52.47"),
            taxes=Decimal("4.85"),
            contributions=Decimal("0.00"),
            total=Decimal("57.32"),
        ),
        adjustment_of=amendment_id,
    )
    return new_event(PREMIUM_DUE, payload, source="/tests", subject="m-1")


async def test_pc7_pc8_an_adjustment_is_its_own_invoice_once_per_policy_term_amendment() -> None:
    billing, store = service()
    await handle_premium(billing, premium_due())  # the term's premium, id unchanged
    event = adjustment_due()
    await handle_premium(billing, event)
    await handle_premium(billing, event)  # redelivered
    await handle_premium(billing, adjustment_due(term=2))  # the same amendment, next term
    await handle_premium(billing, adjustment_due("am-2"))  # another amendment
    assert len(store.published) == 4
    assert premium_invoice_id("p-1", 1, "am-1") not in {
        premium_invoice_id("p-1", 1),
        premium_invoice_id("p-1", 2, "am-1"),
        premium_invoice_id("p-1", 1, "am-2"),
    }
    invoice = await billing.invoice(premium_invoice_id("p-1", 1, "am-1"))
    assert invoice is not None
    assert (invoice.kind, invoice.term_number, invoice.adjustment_of) == ("premium", 1, "am-1")
    assert [(li.description, li.amount) for li in invoice.lines] == [
        ("Nettopremie — Premieaanpassing — termijn 1", Decimal("52.47")),
        ("Taksen — Premieaanpassing — termijn 1", Decimal("4.85")),
    ]
    assert invoice.total == Decimal("57.32")
    reloaded = InvoiceMapper().from_document(InvoiceMapper().to_document(invoice))
    assert reloaded.adjustment_of == "am-1"

    invoice.record_payment("pay-1", invoice.total, date(2026, 4, 30))
    await store.save(invoice)
    paid = store.published[-1].payload
    assert isinstance(paid, InvoicePaidV1)
    assert (paid.term_number, paid.adjustment_of) == (1, "am-1")  # PC-4 ignores it


async def test_pc7_adjustment_lines_in_french_and_german() -> None:
    billing, _ = service()
    members = billing.members
    assert isinstance(members, FakeMembers)
    for member_id, language in (("m-fr", "fr"), ("m-de", "de")):
        members.members[member_id] = {"language": language, "mutuality": "LM Plus"}
    for member_id, policy_id in (("m-fr", "p-fr"), ("m-de", "p-de")):
        data = PREMIUM_DUE.parse(adjustment_due()).model_copy(
            update={"member_id": member_id, "policy_id": policy_id}
        )
        await billing.on_premium_due(adjustment_due(), data)
    fr = await billing.invoice(premium_invoice_id("p-fr", 1, "am-1"))
    de = await billing.invoice(premium_invoice_id("p-de", 1, "am-1"))
    assert fr is not None and de is not None
    assert fr.lines[0].description == "Prime nette — Ajustement de prime — terme 1"
    assert de.lines[1].description == "Steuern — Prämienanpassung — Laufzeit 1"
