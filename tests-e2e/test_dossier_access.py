"""Dossier access end to end (issue 7 item 5, AC-1..AC-5), services as real processes:
staff issue an invoice to demo.child; the titular exchanges their token at identity-svc
for the child's dossier and reads the child's invoice (billing-svc) and document
(inbox-svc), verified against identity's JWKS over HTTP; their own token does not open
the child's dossier, the exchanged one opens nothing else, and demo.adult's is refused:
listed closed with the reason AC-4 (issue 20 item 2), never opened."""

from typing import Any

import pytest
from identity.demo import TITULAR, demo_id

from testkit.polling import eventually
from testkit.slice import Slice, User

pytestmark = pytest.mark.e2e

CHILD = demo_id("member/child")
ADULT = demo_id("member/adult")
OTHER = demo_id("member/other")


async def issued(staff: User, member_id: str) -> dict[str, Any]:
    """Billing learns the demo household from member.registered; until then 422. The
    child has no My LM account, so paper (EI-2), and a paper invoice is posted by billing,
    not filed in the inbox (issue 19 item 2, one channel): staff switch e-invoicing on
    so that the invoice reaches the child's inbox."""

    async def einvoicing_on() -> Any:
        path = f"/v1/members/{member_id}/einvoicing"
        return await staff.call("PUT", "billing", path, json={"enabled": True})

    await eventually(einvoicing_on, until=lambda r: r.status_code == 200, what="EI-2 on")

    async def issue() -> Any:
        return await staff.issue_invoice(member_id, key=f"dossier-{member_id}", amount="6.50")

    response = await eventually(issue, until=lambda r: r.status_code == 201, what="issued")
    invoice: dict[str, Any] = response.json()
    return invoice


async def test_the_titular_opens_the_childs_invoices_and_documents_by_token_exchange(
    services: Slice, staff: User
) -> None:
    child_invoice = await issued(staff, CHILD)
    await issued(staff, TITULAR)
    titular = await User.log_in(services, "demo.titular")
    try:
        dossiers = await titular.call("GET", "identity", "/v1/me/dossiers")
        items = dossiers.json()["items"]
        listed = [(d["member_id"], d["basis"], d["reason"]) for d in items]
        assert listed[0] == (TITULAR, "AC-1", None)
        assert (CHILD, "AC-2", None) in listed
        # AC-4, issue 20 item 2: Emma (20, no grant) listed as not open, why, nothing more.
        assert (ADULT, None, "AC-4") in listed
        emma = next(d for d in items if d["member_id"] == ADULT)
        assert set(emma) == {"member_id", "name", "relation", "basis", "reason"}
        assert (emma["name"], emma["relation"]) == ("Emma Peeters", "dependant")
        assert OTHER not in {member_id for member_id, _, _ in listed}  # not a stranger's

        own_view = await titular.call("GET", "billing", f"/v1/members/{CHILD}/invoices")
        assert own_view.status_code == 403
        own_docs = await titular.call("GET", "inbox", f"/v1/members/{CHILD}/documents")
        assert own_docs.status_code == 403

        exchanged = await titular.call("POST", "identity", f"/v1/me/dossiers/{CHILD}/token")
        assert exchanged.status_code == 200, exchanged.text
        acting = User(services, exchanged.json()["access_token"])
        try:
            invoices = await acting.call("GET", "billing", f"/v1/members/{CHILD}/invoices")
            assert invoices.status_code == 200, invoices.text
            assert [i["invoice_id"] for i in invoices.json()["items"]] == [
                child_invoice["invoice_id"]
            ]
            documents = await eventually(
                lambda: acting.documents(CHILD), what="the child's document, read acting"
            )
            assert child_invoice["structured_reference"] in documents[0]["title"]

            for elsewhere in (TITULAR, ADULT, OTHER):
                for module, path in (("billing", "invoices"), ("inbox", "documents")):
                    refused = await acting.call("GET", module, f"/v1/members/{elsewhere}/{path}")
                    assert refused.status_code == 403, (module, elsewhere)
            # An exchanged token cannot be exchanged again.
            again = await acting.call("POST", "identity", f"/v1/me/dossiers/{CHILD}/token")
            assert again.status_code == 403
        finally:
            await acting.aclose()

        adult = await titular.call("POST", "identity", f"/v1/me/dossiers/{ADULT}/token")
        assert adult.status_code == 403  # AC-4: no grant; listed closed, never opened
    finally:
        await titular.aclose()
