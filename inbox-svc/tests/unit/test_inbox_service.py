"""inbox's use cases on a fake of its store (no servers): one document per issued invoice
(IN-1, EI-1), titled in the member's language, newest first."""

from datetime import date
from decimal import Decimal

from inbox.domain.documents import DocumentQuery
from mylm_shared.events import (
    INVOICE_ISSUED,
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    POLICY_AMENDED,
    POLICY_ISSUED,
    CloudEvent,
    PolicyAmendedV1,
    PolicyIssuedV1,
    PremiumV1,
    new_event,
)
from mylm_shared.events.catalog import Language

from testkit.apps import invoice_issued, member_registered, member_updated
from testkit.fakes.inbox import InboxFakes


async def test_an_invoice_is_filed_once_in_the_members_language_in_1() -> None:
    inbox = InboxFakes().use_cases().inbox
    member = member_registered(language="fr")
    await inbox.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    event = invoice_issued(member.subject or "", total="5.00")
    for _ in range(2):  # redelivered
        await inbox.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    [document] = (await inbox.documents_of(member.subject or "", DocumentQuery(limit=10))).items
    assert document.title.startswith("Facture +++000/0000/00101+++")
    assert document.kind == "invoice"


async def test_a_member_not_known_yet_gets_a_dutch_title_and_sees_only_their_own() -> None:
    inbox = InboxFakes().use_cases().inbox
    first, second = invoice_issued("m-1"), invoice_issued("m-2")
    for event in (first, second):
        await inbox.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    [document] = (await inbox.documents_of("m-1", DocumentQuery(limit=10))).items
    assert document.title.startswith("Factuur")
    assert document.source_id == first.data["invoice_id"]


async def test_after_member_updated_documents_are_titled_in_the_new_language() -> None:
    """An older ``member.updated`` re-driven later, or a late ``member.registered``,
    does not bring the old language back."""
    inbox = InboxFakes().use_cases().inbox
    member = member_registered(language="nl")
    member_id = member.subject or ""
    older = member_updated(member_id, language="de")
    newer = member_updated(member_id, language="fr")
    await inbox.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    await inbox.on_member_updated(newer, MEMBER_UPDATED.parse(newer))
    await inbox.on_member_updated(older, MEMBER_UPDATED.parse(older))
    await inbox.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    event = invoice_issued(member_id)
    await inbox.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    [document] = (await inbox.documents_of(member_id, DocumentQuery(limit=10))).items
    assert document.title.startswith("Facture")


def policy_issued(member_id: str, policy_id: str = "p-1") -> CloudEvent:
    payload = PolicyIssuedV1(
        policy_id=policy_id,
        member_id=member_id,
        formula="family",
        covers=["accident", "assistance"],
        threshold_pct=5,
        start_date=date(2026, 1, 1),
        signed_on=date(2025, 12, 1),
        premium=PremiumV1(
            net=Decimal("100"),
            taxes=Decimal("9.25"),
            contributions=Decimal("1.5"),
            total=Decimal("110.75"),
        ),
    )
    return new_event(POLICY_ISSUED, payload, source="/tests", subject=member_id)


async def test_an_issued_policy_files_its_conditions_once_in_the_members_language_pc_1() -> None:
    inbox = InboxFakes().use_cases().inbox
    member = member_registered(language="fr")
    member_id = member.subject or ""
    await inbox.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    event = policy_issued(member_id)
    for copy in (event, event.model_copy(update={"id": "another-event-id"})):  # redelivered
        await inbox.on_policy_issued(copy, POLICY_ISSUED.parse(copy))
    [document] = (await inbox.documents_of(member_id, DocumentQuery(limit=10))).items
    assert (document.kind, document.source_id) == ("policy_conditions", "p-1")
    assert document.title.startswith("Conditions particulières")
    assert document.download == "/v1/policies/p-1/conditions"


async def test_a_premium_invoice_is_filed_with_a_premium_title_pc_8() -> None:
    inbox = InboxFakes().use_cases().inbox
    event = invoice_issued("m-1")
    event = event.model_copy(update={"data": {**event.data, "kind": "premium", "policy_id": "p-1"}})
    await inbox.on_invoice_issued(event, INVOICE_ISSUED.parse(event))
    [document] = (await inbox.documents_of("m-1", DocumentQuery(limit=10))).items
    assert (document.kind, document.title[:6]) == ("invoice", "Premie")
    # issue 18 item 2 (EI-1): the document links to billing-svc's PDF of the invoice
    assert document.download == f"/v1/invoices/{event.data['invoice_id']}.pdf"


def policy_amended(member_id: str, amendment_id: str = "am-1") -> CloudEvent:
    payload = PolicyAmendedV1(
        policy_id="p-1",
        member_id=member_id,
        amendment_id=amendment_id,
        kind="aggravation",
        formula="family",
        effective_on=date(2026, 4, 10),
        premium=PremiumV1(
            net=Decimal("156"),
            taxes=Decimal("14.43"),
            contributions=Decimal("0"),
            total=Decimal("170.43"),
        ),
    )
    return new_event(POLICY_AMENDED, payload, source="/tests", subject=member_id)


async def test_an_accepted_amendment_files_new_conditions_once_per_amendment_pc_7_in_1() -> None:
    """PC-7/PC-8 "bij de uitgifte van nieuwe bijzondere voorwaarden": each accepted
    amendment files new special conditions beside the first ones, never twice."""
    inbox = InboxFakes().use_cases().inbox
    issued = policy_issued("m-1")
    await inbox.on_policy_issued(issued, POLICY_ISSUED.parse(issued))
    event = policy_amended("m-1")
    for copy in (event, event.model_copy(update={"id": "another-event-id"})):  # redelivered
        await inbox.on_policy_amended(copy, POLICY_AMENDED.parse(copy))
    second = policy_amended("m-1", "am-2")
    await inbox.on_policy_amended(second, POLICY_AMENDED.parse(second))
    documents = (await inbox.documents_of("m-1", DocumentQuery(limit=10))).items
    new = sorted((d for d in documents if d.source_id != "p-1"), key=lambda d: d.source_id)
    assert [d.source_id for d in new] == ["p-1:am-1", "p-1:am-2"]
    assert new[0].kind == "policy_conditions"
    assert new[0].title == (
        "Nieuwe bijzondere voorwaarden van uw polis ongevallen privéleven — vanaf 10 april 2026"
    )
    assert {d.download for d in documents} == {"/v1/policies/p-1/conditions"}


async def test_new_conditions_are_titled_in_the_members_language_pc_7() -> None:
    inbox = InboxFakes().use_cases().inbox
    cases: tuple[tuple[Language, str], ...] = (
        ("fr", "Nouvelles conditions particulières"),
        ("de", "Neue"),
    )
    for language, start in cases:
        member = member_registered(language=language)
        member_id = member.subject or ""
        await inbox.on_member_registered(member, MEMBER_REGISTERED.parse(member))
        event = policy_amended(member_id, f"am-{language}")
        await inbox.on_policy_amended(event, POLICY_AMENDED.parse(event))
        [document] = (await inbox.documents_of(member_id, DocumentQuery(limit=10))).items
        assert document.title.startswith(start)
        assert "10 avril 2026" in document.title or "10. April 2026" in document.title
