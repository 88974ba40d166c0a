"""inbox-svc against the real FerretDB and Kafka (IN-1): one document per issued
invoice and per issued policy (PC-1), in the member's language, never twice, visible
only to that member."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from mylm_shared.events import (
    POLICY_AMENDED,
    POLICY_ISSUED,
    CloudEvent,
    PolicyAmendedV1,
    PolicyIssuedV1,
    PremiumV1,
    new_event,
)
from mylm_shared.events.catalog import Language

from testkit.apps import invoice_issued
from testkit.inbox_app import Inbox
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def member_language() -> Language:
    return "fr"  # the member reads French: titles in French


async def test_an_issued_invoice_files_one_document_in_the_members_language(inbox: Inbox) -> None:
    event = invoice_issued(inbox.member_id, total="42.10")
    await inbox.publish("invoice.issued", event)
    documents = await eventually(inbox.documents, what="the invoice document")
    assert len(documents) == 1
    document = documents[0]
    assert document["kind"] == "invoice"
    assert document["source_id"] == event.data["invoice_id"]
    assert document["read"] is False
    assert document["title"].startswith("Facture +++000/0000/00101+++ — 42,10\u00a0€")
    assert document["created_at"]


async def test_a_redelivered_event_and_a_republished_invoice_file_nothing_twice(
    inbox: Inbox,
) -> None:
    event = invoice_issued(inbox.member_id)
    await inbox.publish("invoice.issued", event)  # the same event twice: ledger
    await inbox.publish("invoice.issued", event)
    # the same invoice under a new event id (a relay re-publish): deterministic document id
    await inbox.publish("invoice.issued", event.model_copy(update={"id": str(uuid.uuid4())}))
    fence = invoice_issued(inbox.member_id)
    await inbox.publish("invoice.issued", fence)  # same member, same partition: after the rest
    documents = await eventually(inbox.documents, until=lambda d: len(d) >= 2)
    assert sorted(d["source_id"] for d in documents) == sorted(
        [event.data["invoice_id"], fence.data["invoice_id"]]
    )


async def test_another_member_cannot_list_the_documents(inbox: Inbox) -> None:
    path = f"/v1/members/{inbox.member_id}/documents"
    stranger = inbox.tokens.member(str(uuid.uuid4()))
    assert (await inbox.client.get(path, headers=stranger)).status_code in (403, 404)
    assert (await inbox.client.get(path)).status_code == 401


async def test_an_issued_policy_files_its_conditions_in_the_members_language_pc_1_in_1(
    inbox: Inbox,
) -> None:
    """A redelivered ``policy.issued`` files nothing more; the document links to the PDF
    policy-svc serves."""
    event, fence = policy_issued(inbox.member_id), policy_issued(inbox.member_id)
    await inbox.publish("policy.issued", event)
    await inbox.publish("policy.issued", event.model_copy(update={"id": str(uuid.uuid4())}))
    await inbox.publish("policy.issued", fence)  # same member, same partition: after the rest
    documents = await eventually(inbox.documents, until=lambda d: len(d) >= 2)
    assert sorted(d["source_id"] for d in documents) == sorted(
        [event.data["policy_id"], fence.data["policy_id"]]
    )
    [conditions] = [d for d in documents if d["source_id"] == event.data["policy_id"]]
    assert conditions["kind"] == "policy_conditions"
    assert conditions["title"] == (
        "Conditions particulières de votre police accidents vie privée — début le 1 mars 2026"
    )
    assert conditions["download"] == f"/v1/policies/{event.data['policy_id']}/conditions"


def policy_issued(member_id: str) -> CloudEvent:
    payload = PolicyIssuedV1(
        policy_id=str(uuid.uuid4()),
        member_id=member_id,
        formula="single",
        covers=["accident", "assistance"],
        threshold_pct=10,
        start_date=date(2026, 3, 1),
        signed_on=date(2026, 2, 10),
        premium=PremiumV1(
            net=Decimal("80.00"),
            taxes=Decimal("7.40"),
            contributions=Decimal("1.20"),
            total=Decimal("88.60"),
        ),
    )
    return new_event(POLICY_ISSUED, payload, source="/tests", subject=member_id)


async def test_an_accepted_amendment_files_new_conditions_once_pc_7_in_1(inbox: Inbox) -> None:
    """PC-7/PC-8: ``policy.amended`` (redelivered, re-published) files one new special
    conditions document per amendment, linking to the policy's current conditions."""
    policy_id, amendment_id = str(uuid.uuid4()), str(uuid.uuid4())
    payload = PolicyAmendedV1(
        policy_id=policy_id,
        member_id=inbox.member_id,
        amendment_id=amendment_id,
        kind="aggravation",
        formula="family",
        effective_on=date(2026, 4, 10),
        premium=PremiumV1(
            net=Decimal("132.00"),
            taxes=Decimal("12.21"),
            contributions=Decimal("0.00"),
            total=Decimal("144.21"),
        ),
    )
    event = new_event(POLICY_AMENDED, payload, source="/tests", subject=inbox.member_id)
    await inbox.publish("policy.amended", event)
    await inbox.publish("policy.amended", event)
    await inbox.publish("policy.amended", event.model_copy(update={"id": str(uuid.uuid4())}))
    fence = invoice_issued(inbox.member_id)
    await inbox.publish("invoice.issued", fence)  # another topic: wait for both below
    documents = await eventually(inbox.documents, until=lambda d: len(d) >= 2)
    [conditions] = [d for d in documents if d["kind"] == "policy_conditions"]
    assert conditions["source_id"] == f"{policy_id}:{amendment_id}"
    assert conditions["title"] == (
        "Nouvelles conditions particulières de votre police accidents vie privée"
        " — à partir du 10 avril 2026"
    )
    assert conditions["download"] == f"/v1/policies/{policy_id}/conditions"
