"""Claim e-mails on fakes of notify's ports (CL-1): one per milestone in the claimant's
language with the claim number in the body (issue 19 item 5: the subject names the kind
of milestone only, no number, amount, date or account), amounts as on invoices, dates
dd/mm/yyyy;
one per business fact (a re-publish under a new event id sends nothing more); sent even
when invoice e-mails are off; skipped without an address; an unknown claimant waits."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from mylm_shared.events import (
    MEMBER_REGISTERED,
    ClaimAcceptedV1,
    ClaimDeadlineV1,
    ClaimDeclaredV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimPayoutAccountChangedV1,
    ClaimRejectedV1,
    CloudEvent,
    LocalizedTextV1,
)
from mylm_shared.events.catalog import Language
from mylm_shared.failures import MissingDependency
from notify.domain.claims import ClaimEvent, claim_notice
from notify.domain.messages import Email, claim_email
from notify.service.handlers import NotifyService

from testkit.apps import member_registered
from testkit.fakes.notify import NotifyFakes

NUMBER = "CL-2026-000123"
REASON = LocalizedTextV1(nl="Het ongeval is gedekt.", fr="L'accident est couvert.")


def declared(member_id: str = "m-1") -> ClaimDeclaredV1:
    return ClaimDeclaredV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id=member_id,
        policy_id="p-1",
        cover="identity_theft",
        event_date=date(2026, 11, 2),
        declared_on=date(2026, 11, 5),
        late_declaration=False,
        next_deadline=ClaimDeadlineV1(
            kind="lar_reimbursement", by="insurer", due_on=date(2027, 4, 5), rule="LA-6"
        ),
    )


def accepted(member_id: str = "m-1") -> ClaimAcceptedV1:
    return ClaimAcceptedV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id=member_id,
        outcome="covered",
        rules=["LA-6"],
        reason=REASON,
        ceiling=Decimal("5000.00"),
    )


def offer_made(member_id: str = "m-1") -> ClaimOfferMadeV1:
    return ClaimOfferMadeV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id=member_id,
        offer_id="o-1",
        kind="advance",
        amount=Decimal("1234.50"),
        respond_by=date(2027, 1, 31),
    )


def paid(member_id: str = "m-1") -> ClaimPaidV1:
    return ClaimPaidV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id=member_id,
        payout_id="po-1",
        offer_id="o-1",
        amount=Decimal("1234.50"),
        iban_last4="4321",
        paid_on=date(2027, 1, 20),
    )


def render(claim: ClaimEvent, language: str) -> Email:
    notice = claim_notice(claim)
    return claim_email(to="jan@example.test", language=language, first_name="Jan", notice=notice)


def test_the_acknowledgement_e_mail_names_the_claim_and_the_next_deadline_cl_1_la_6() -> None:
    email = render(declared(), "nl")
    assert email.subject == "Schadegeval: aangifte ontvangen"
    assert email.body.startswith(
        "Beste Jan,\n\n"
        "Wij ontvingen op 05/11/2026 uw aangifte van identiteitsdiefstal van 02/11/2026.\n"
        f"Uw dossiernummer: {NUMBER}.\n"
        "Volgende termijn: terugbetaling door LAR (door ons) — 05/04/2027\n\n"
        "U vindt deze brief ook in uw inbox in My LM."
    )
    french = render(declared(), "fr")
    assert french.subject == "Sinistre : déclaration reçue"
    assert NUMBER in french.body and "05/04/2027" in french.body
    german = render(declared(), "de")
    assert german.subject == "Schadensfall: Meldung erhalten"
    assert NUMBER in german.body and "05/04/2027" in german.body


@pytest.mark.parametrize(
    ("language", "subject", "outcome", "line"),
    [
        ("nl", "Schadegeval: beslissing", "Beslissing: gedekt", "Plafond: €\u00a05.000,00"),
        ("fr", "Sinistre : décision", "Décision : couvert", "Plafond : 5\u202f000,00\u00a0€"),
        (
            "de",
            "Schadensfall: Entscheidung",
            "Entscheidung: gedeckt",
            "Höchstbetrag: 5.000,00\u00a0€",
        ),
    ],
)
def test_the_decision_e_mail_per_language(
    language: str, subject: str, outcome: str, line: str
) -> None:
    email = render(accepted(), language)
    assert email.subject == subject
    assert outcome in email.body.splitlines() and NUMBER in email.body
    assert line in email.body.splitlines()
    assert "LA-6" in email.body


def test_reasons_exist_in_nl_and_fr_a_german_member_reads_the_french_one() -> None:
    rejected = ClaimRejectedV1(
        claim_id="c-1", claim_number=NUMBER, member_id="m-1", rules=["PC-4"], reason=REASON
    )
    assert "Reden: Het ongeval is gedekt." in render(rejected, "nl").body
    assert "Motif : L'accident est couvert." in render(rejected, "fr").body
    german = render(rejected, "de")
    assert german.subject == "Schadensfall: Entscheidung"
    assert "Entscheidung: abgelehnt" in german.body.splitlines()
    assert "Grund: L'accident est couvert." in german.body


def test_offer_acceptance_and_payment_e_mails_pa_8_la_6() -> None:
    offer = render(offer_made(), "de")
    assert offer.subject == "Schadensfall: Vorschuss"
    assert "bieten wir Ihnen einen Vorschuss über 1.234,50\u00a0€ an." in offer.body
    assert "31/01/2027" in offer.body and NUMBER in offer.body
    acceptance = ClaimOfferAcceptedV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id="m-1",
        offer_id="o-1",
        amount=Decimal("1234.50"),
        accepted_on=date(2027, 1, 10),
        pay_by=date(2027, 2, 9),  # LA-6: 30 days
    )
    accepted_nl = render(acceptance, "nl")
    assert accepted_nl.subject == "Schadegeval: voorstel aanvaard"
    assert f"ons voorstel van €\u00a01.234,50 voor uw dossier {NUMBER}." in accepted_nl.body
    assert "Wij betalen het uiterlijk op 09/02/2027." in accepted_nl.body
    payment = render(paid(), "fr")
    assert payment.subject == "Sinistre : paiement effectué"
    assert "Nous avons versé le 20/01/2027 1\u202f234,50\u00a0€" in payment.body
    assert "sur votre compte **** **** **** 4321" in payment.body


def test_the_message_id_derives_from_the_business_fact_not_the_event() -> None:
    assert render(paid(), "nl").message_id == render(paid(), "fr").message_id
    assert render(offer_made(), "nl").message_id != render(paid(), "nl").message_id
    overridden = accepted().model_copy(update={"overridden": True})
    assert render(overridden, "nl").message_id != render(accepted(), "nl").message_id


async def registered(
    service: NotifyService, language: Language = "fr", email: str = "marie@example.org"
) -> str:
    event = member_registered(email=email, language=language)
    await service.on_member_registered(event, MEMBER_REGISTERED.parse(event))
    return event.subject or ""


def event_for(claim: ClaimEvent) -> CloudEvent:
    return CloudEvent(
        id=str(uuid.uuid4()),
        source="/tests",
        type="be.mylm.claim.test.v1",
        time=datetime(2026, 11, 24, tzinfo=UTC),
        subject=claim.member_id,
        data=claim.model_dump(mode="json"),
    )


async def test_one_e_mail_per_fact_even_under_a_new_event_id_and_with_invoice_emails_off() -> None:
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service)
    # EI-4's invoice switch: not for claims
    await fakes.use_cases().members.change_preferences(member, {"invoices": False})
    for claim in (declared(member), accepted(member), offer_made(member), paid(member)):
        event = event_for(claim)
        again = event.model_copy(update={"id": str(uuid.uuid4())})
        for delivered in (event, event, again):
            await service.on_claim_event(delivered, claim)
    assert [e.subject.split(" : ")[1] for e in sender.outbox] == [
        "déclaration reçue",
        "décision",
        "avance",
        "paiement effectué",
    ]
    facts = [("05/04/2027",), ("couvert",), ("1\u202f234,50\u00a0€", "31/01/2027")]
    facts.append(("1\u202f234,50\u00a0€", "20/01/2027"))
    for email, said in zip(sender.outbox, facts, strict=True):
        assert NUMBER in email.body and all(fact in email.body for fact in said)
    assert {e.to for e in sender.outbox} == {"marie@example.org"}


async def test_no_e_mail_without_an_address_and_an_unknown_claimant_waits() -> None:
    fakes = NotifyFakes()
    sender, service = fakes.sender, fakes.use_cases().notify
    member = await registered(service, email="")
    await service.on_claim_event(event_for(paid(member)), paid(member))
    assert sender.outbox == []
    with pytest.raises(MissingDependency):
        await service.on_claim_event(event_for(paid("not-known-yet")), paid("not-known-yet"))


def account_changed(
    previous: str | None, acted_by: str | None = None
) -> ClaimPayoutAccountChangedV1:
    return ClaimPayoutAccountChangedV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id="m-1",
        payout_id="p-1",
        iban_last4="4300",
        previous_iban_last4=previous,
        changed_at=datetime(2027, 1, 10, 23, 30, tzinfo=UTC),  # 11 January in Brussels
        acted_by=acted_by,
    )


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        (
            "nl",
            "Schadegeval: rekening voor de betaling",
            "Op 11/01/2027 werd de rekening voor de betaling van uw dossier "
            f"{NUMBER} gewijzigd van **** **** **** 6769 naar **** **** **** 4300.",
        ),
        (
            "fr",
            "Sinistre : compte pour le paiement",
            f"Le 11/01/2027, le compte pour le paiement de votre dossier {NUMBER} a été "
            "modifié de **** **** **** 6769 en **** **** **** 4300.",
        ),
        (
            "de",
            "Schadensfall: Konto für die Zahlung",
            f"Am 11/01/2027 wurde das Konto für die Zahlung Ihrer Akte {NUMBER} von "
            "**** **** **** 6769 auf **** **** **** 4300 geändert.",
        ),
    ],
)
def test_a_changed_payout_account_is_told_masked_in_the_members_language(
    language: str, subject: str, line: str
) -> None:
    """Issue 15 item 7: the claimant learns of a changed payout account (masked only)."""
    email = render(account_changed("6769"), language)
    assert email.subject == subject
    assert line in email.body


def test_a_payout_account_set_by_the_titular_says_so_and_each_change_is_its_own_e_mail() -> None:
    """Issue 15 item 7: the first account, set by a titular acting for the claimant."""
    email = render(account_changed(None, acted_by="m-titular"), "nl")
    assert (
        f"de rekening **** **** **** 4300 opgegeven voor de betaling van uw dossier {NUMBER}, "
        "door uw titularis voor u." in email.body
    )
    later = account_changed("6769").model_copy(
        update={"changed_at": datetime(2027, 1, 12, tzinfo=UTC)}
    )
    assert render(later, "nl").message_id != email.message_id
