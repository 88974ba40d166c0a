"""inbox-svc against the real FerretDB and Kafka: a claim's milestones on the real
``claim.*`` topics file one letter each in the claimant's inbox, in their language, with
the letter's text readable in the API (CL-1, IN-1, PA-8, LA-6); a redelivered event and
the same fact under a new event id file nothing more."""

import uuid
from datetime import timedelta

import pytest

from testkit.claim_events import claim_milestones
from testkit.inbox_app import Inbox
from testkit.polling import eventually

pytestmark = pytest.mark.integration


async def test_a_claims_milestones_file_four_letters_in_order_once_cl_1_pa_8_in_1(
    inbox: Inbox,
) -> None:
    claim_id, number = str(uuid.uuid4()), "CL-2026-000042"
    events = claim_milestones(inbox.member_id, claim_id, number)
    for topic, event in events:
        await inbox.publish(topic, event)
    paid = events[-1][1]
    await inbox.publish("claim.paid", paid)  # redelivered: the same event
    await inbox.publish("claim.paid", paid.model_copy(update={"id": str(uuid.uuid4())}))
    # another claim's payment, same member and topic (so same partition): after the rest
    fence = claim_milestones(inbox.member_id, str(uuid.uuid4()), "CL-2026-000043")[-1][1]
    fence = fence.model_copy(update={"time": paid.time + timedelta(seconds=1)})
    await inbox.publish("claim.paid", fence)

    documents = await eventually(
        inbox.documents, until=lambda d: len(d) >= 5, what="four letters and the fence"
    )
    assert len(documents) == 5
    mine = [d for d in documents if d["source_id"].startswith(claim_id)]
    assert [d["kind"] for d in mine] == [  # newest first
        "claim_payment",
        "claim_offer",
        "claim_decision",
        "claim_acknowledgement",
    ]
    assert [d["title"] for d in mine] == [
        f"Schadegeval {number}: €\u00a01.234,50 betaald op 20/01/2027",
        f"Schadegeval {number}: definitief voorstel van €\u00a01.234,50,"
        " te aanvaarden vóór 31/01/2027",
        f"Schadegeval {number}: gedekt",
        f"Schadegeval {number}: aangifte ontvangen, volgende termijn 05/03/2027",
    ]
    assert mine[0]["body"] == (
        "Wij betaalden op 20/01/2027 €\u00a01.234,50 op uw rekening **** **** **** 4321."
    )
    assert "Reden: Het ongeval is gedekt." in mine[2]["body"]
    assert f"Uw dossiernummer: {number}." in mine[3]["body"]
    assert all(d["download"] is None for d in mine)
