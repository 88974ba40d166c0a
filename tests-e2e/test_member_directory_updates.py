"""The member directory end to end (issue 7 item 1), services as real processes: staff
push a member through `PUT /v1/members:batch`, then a new e-mail address and language;
`member.updated` reaches billing, inbox and notify, and the next invoice's inbox
document and e-mail (EI-4, IN-1) use the new language and the new address."""

from typing import Any

import pytest

from testkit.kafka import read_all
from testkit.mailpit import Mailpit
from testkit.people import national_number
from testkit.polling import eventually
from testkit.slice import Slice, User, consumer_lag

pytestmark = pytest.mark.e2e


def directory_row(services: Slice, local_part: str, language: str, insz: str) -> dict[str, Any]:
    return {
        "member_number": f"E2E-{insz}",
        "national_register_number": insz,
        "first_name": "Lies",
        "last_name": "Janssens",
        "birth_date": f"19{insz[0:2]}-{insz[2:4]}-{insz[4:6]}",
        "email": f"{local_part}@{services.email_domain}",
        "mobile": None,
        "language": language,
        "mutuality": "LM Plus",
        "titular_member_number": None,
    }


async def test_a_directory_update_changes_the_address_and_language_used_afterwards(
    services: Slice, staff: User, mailpit: Mailpit
) -> None:
    insz = national_number()
    first = directory_row(services, "before", "nl", insz)
    pushed = await staff.call("PUT", "identity", "/v1/members:batch", json={"members": [first]})
    assert pushed.status_code == 200, pushed.text
    member_id = pushed.json()["applied"][0]["member_id"]
    # A directory member has no My LM account, so paper (EI-2, issue 18 item 3); the
    # e-mail below needs e-invoicing on: staff switch it on.
    switched = await staff.call(
        "PUT", "billing", f"/v1/members/{member_id}/einvoicing", json={"enabled": True}
    )
    assert switched.status_code == 200, switched.text

    moved = directory_row(services, "after", "fr", insz)
    updated = await staff.call("PUT", "identity", "/v1/members:batch", json={"members": [moved]})
    assert updated.json()["applied"] == [{"index": 0, "member_id": member_id}]

    async def update_published() -> int:
        records = await read_all(
            services.endpoints.kafka_bootstrap_servers, services.topic("member.updated")
        )
        return sum(1 for r in records if r.key == member_id.encode())

    assert await eventually(update_published, what="member.updated published") == 1
    for group in ("inbox.inbox-member-updates", "notify.notify-member-updates"):

        async def lag(group: str = group) -> int:
            return await consumer_lag(
                services.endpoints.kafka_bootstrap_servers,
                f"{services.run_id}.{group}",
                services.topic("member.updated"),
            )

        await eventually(lag, until=lambda n: n == 0, within=120, what=f"{group} caught up")

    async def issued() -> int:  # billing may not know the member yet (its own consumer)
        response = await staff.issue_invoice(member_id, key=f"after-{member_id}", amount="8.40")
        return response.status_code

    await eventually(issued, until=lambda status: status == 201, what="the invoice issued")

    emails = await eventually(
        lambda: mailpit.messages_to(f"after@{services.email_domain}"), what="the e-mail"
    )
    assert len(emails) == 1
    message = await mailpit.message(emails[0]["ID"])
    assert "8,40\u00a0€" in message["Text"]  # French
    assert await mailpit.messages_to(f"before@{services.email_domain}") == []
    documents = await eventually(lambda: staff.documents(member_id), what="the inbox document")
    assert documents[0]["title"].startswith("Facture")
