"""notify-svc against the real FerretDB, Kafka and Mailpit: a claim's milestones on the
real ``claim.*`` topics e-mail the claimant once each, in their language, with the claim
number in the subject (CL-1, PA-8, LA-6); a redelivered event and the same fact under a
new event id send nothing more, even with invoice e-mails switched off."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from mylm_shared.events import (
    CLAIM_PAYOUT_ACCOUNT_CHANGED,
    ClaimDeadlineV1,
    ClaimPayoutAccountChangedV1,
    CloudEvent,
    LocalizedTextV1,
    new_event,
)
from mylm_shared.service import use_cases_of
from notify.adapters.repository import RECIPIENTS
from notify.bootstrap import create_app
from notify.service.use_cases import NotifyUseCases
from notify.settings import NotifySettings

from testkit.apps import member_registered, serving
from testkit.claim_events import claim_milestones
from testkit.kafka import publish_event
from testkit.mailpit import Mailpit
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually

pytestmark = pytest.mark.integration


@dataclass
class Notify:
    domain: str
    mailpit: Mailpit
    publish: Any
    member_id: str

    async def emails(self) -> list[dict[str, Any]]:
        return await self.mailpit.messages_to(self.domain)


@pytest.fixture
async def notify(platform: Endpoints, run_id: str) -> AsyncIterator[Notify]:
    """A French-speaking claimant who switched invoice e-mails off (EI-4's switch)."""
    settings = NotifySettings(**isolated(platform, run_id, "notify"))  # type: ignore[arg-type]
    app = create_app(settings)
    mailpit = Mailpit(platform.mailpit_api)
    async with serving(app) as _client:

        async def send(topic: str, event: CloudEvent) -> None:
            await publish_event(platform.kafka_bootstrap_servers, f"{run_id}.{topic}", event)

        recipients = app.state.runtime.db[RECIPIENTS]
        member = member_registered(email=f"{uuid.uuid4().hex[:8]}@{run_id}.test", language="fr")
        await send("member.registered", member)

        async def known() -> int:
            return await recipients.count_documents({"_id": member.subject})

        await eventually(known, what="notify learns the recipient")
        # EI-4's switch for invoice e-mails (issue 19 item 4): not the one for claims
        await use_cases_of(app, NotifyUseCases).members.change_preferences(
            member.subject or "", {"invoices": False}
        )
        yield Notify(f"{run_id}.test", mailpit, send, member.subject or "")
    await mailpit.aclose()


async def test_a_claims_milestones_send_four_emails_in_french_once_cl_1_la_6_pa_8(
    notify: Notify,
) -> None:
    number = "CL-2026-000042"
    # LA-6: identity theft, LAR reimburses if unresolved within 5 months
    events = claim_milestones(
        notify.member_id,
        str(uuid.uuid4()),
        number,
        cover="identity_theft",
        deadline=ClaimDeadlineV1(
            kind="lar_reimbursement", by="insurer", due_on=date(2027, 4, 5), rule="LA-6"
        ),
        rules=("LA-6",),
        reason=LocalizedTextV1(nl="De fraude is gedekt.", fr="La fraude est couverte."),
        ceiling=Decimal("5000.00"),
    )
    for topic, event in events:
        await notify.publish(topic, event)
    paid = events[-1][1]
    await notify.publish("claim.paid", paid)  # redelivered: the same event
    await notify.publish("claim.paid", paid.model_copy(update={"id": str(uuid.uuid4())}))
    # another claim's payment, same member and topic (so same partition): after the rest
    fence = claim_milestones(notify.member_id, str(uuid.uuid4()), "CL-2026-000043")[-1][1]
    await notify.publish("claim.paid", fence)

    emails = await eventually(
        notify.emails, until=lambda e: len(e) >= 5, what="four claim e-mails and the fence"
    )
    assert len(emails) == 5
    # issue 19 item 5: the claim's number and facts are in the body, the subject names
    # the kind of milestone only
    read = [await notify.mailpit.message(e["ID"]) for e in emails]
    ours = {m["Subject"]: m["Text"] for m in read if number in m["Text"]}
    assert sorted(ours) == sorted(
        [
            "Sinistre : déclaration reçue",
            "Sinistre : décision",
            "Sinistre : offre définitive",
            "Sinistre : paiement effectué",
        ]
    )
    assert "05/04/2027" in ours["Sinistre : déclaration reçue"]
    offer = ours["Sinistre : offre définitive"]
    assert "1\u202f234,50\u00a0€" in offer and "31/01/2027" in offer
    assert "le 20/01/2027 1\u202f234,50\u00a0€" in ours["Sinistre : paiement effectué"]
    assert not [m for m in read if number in m["Subject"]]
    message = next(m for m in read if m["Subject"] == "Sinistre : décision" and number in m["Text"])
    assert "Motif : La fraude est couverte." in message["Text"]
    assert "Plafond : 5\u202f000,00\u00a0€" in message["Text"]
    assert message["MessageID"].endswith("@notify.mylm")


async def test_a_payout_account_set_then_changed_emails_the_claimant_masked_once_each(
    notify: Notify,
) -> None:
    """Issue 15 item 7 on the real ``claim.payout_account_changed`` topic and Mailpit: the
    account set at acceptance (by the titular acting for the claimant) and then changed
    each send one e-mail in the claimant's language (French), masked; a redelivery sends
    nothing more."""
    number, claim_id = "CL-2026-000044", str(uuid.uuid4())

    def changed(last4: str, previous: str | None, at: datetime) -> CloudEvent:
        payload = ClaimPayoutAccountChangedV1(
            claim_id=claim_id,
            claim_number=number,
            member_id=notify.member_id,
            payout_id=str(uuid.uuid4()),
            iban_last4=last4,
            previous_iban_last4=previous,
            changed_at=at,
            acted_by="m-titular" if previous is None else None,
        )
        return new_event(
            CLAIM_PAYOUT_ACCOUNT_CHANGED, payload, source="/claims-svc", subject=notify.member_id
        )

    set_first = changed("6769", None, datetime(2027, 1, 10, 9, tzinfo=UTC))
    then = changed("4300", "6769", datetime(2027, 1, 11, 9, tzinfo=UTC))
    for event in (set_first, set_first, then):
        await notify.publish("claim.payout_account_changed", event)

    emails = await eventually(notify.emails, until=lambda e: len(e) >= 2, what="two e-mails")
    # issue 19 item 5: the accounts (masked) in the body only
    assert [e["Subject"] for e in emails] == ["Sinistre : compte pour le paiement"] * 2
    bodies = [(await notify.mailpit.message(e["ID"]))["Text"] for e in emails]
    latest = next(text for text in bodies if "en **** **** **** 4300" in text)
    assert "modifié de **** **** **** 6769 en **** **** **** 4300" in latest
    first = next(text for text in bodies if text is not latest)
    assert "le compte **** **** **** 6769" in first
    assert "par votre titulaire pour vous" in first
    # A fence on the same partition (same member key), after the redelivered event.
    fence = changed("1111", "4300", datetime(2027, 1, 12, 9, tzinfo=UTC))
    await notify.publish("claim.payout_account_changed", fence)
    final = await eventually(notify.emails, until=lambda e: len(e) >= 3, what="the fence")
    assert len(final) == 3
