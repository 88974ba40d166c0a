"""A claim's letters in the claimant's inbox (CL-1, IN-1): one per milestone, titled and
written in the member's language with the claim number, amounts as on invoices and
dates dd/mm/yyyy; never twice for the same fact (PA-8, LA-6 deadlines in the letters)."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from inbox.domain import claims
from inbox.domain.documents import DocumentQuery
from mylm_shared.events import (
    CLAIM_ACCEPTED,
    CLAIM_CLOSED,
    CLAIM_DECLARED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    CLAIM_REJECTED,
    MEMBER_REGISTERED,
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeadlineV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimRejectedV1,
    CloudEvent,
    LocalizedTextV1,
    new_event,
)
from mylm_shared.events.envelope import EventSpec
from mylm_shared.texts import localized
from pydantic import BaseModel

from testkit.apps import member_registered
from testkit.fakes.inbox import InboxFakes

NUMBER = "CL-2026-000123"
REASON = LocalizedTextV1(nl="Het ongeval is gedekt.", fr="L'accident est couvert.")


def declared(member_id: str = "m-1", claim_id: str = "c-1") -> ClaimDeclaredV1:
    return ClaimDeclaredV1(
        claim_id=claim_id,
        claim_number=NUMBER,
        member_id=member_id,
        policy_id="p-1",
        cover="accident",
        event_date=date(2026, 11, 2),
        declared_on=date(2026, 11, 5),
        late_declaration=False,
        next_deadline=ClaimDeadlineV1(
            kind="advance", by="insurer", due_on=date(2027, 3, 5), rule="PA-8"
        ),
    )


def accepted(member_id: str = "m-1", claim_id: str = "c-1") -> ClaimAcceptedV1:
    return ClaimAcceptedV1(
        claim_id=claim_id,
        claim_number=NUMBER,
        member_id=member_id,
        outcome="covered_in_part",
        rules=["PA-1", "PA-5"],
        reason=REASON,
        ceiling=Decimal("5000.00"),
        deductible=Decimal("50.00"),
    )


def offer_made(member_id: str = "m-1", claim_id: str = "c-1") -> ClaimOfferMadeV1:
    return ClaimOfferMadeV1(
        claim_id=claim_id,
        claim_number=NUMBER,
        member_id=member_id,
        offer_id="o-1",
        kind="final",
        amount=Decimal("1234.50"),
        respond_by=date(2027, 1, 31),
    )


def offer_accepted(member_id: str = "m-1") -> ClaimOfferAcceptedV1:
    return ClaimOfferAcceptedV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id=member_id,
        offer_id="o-1",
        amount=Decimal("1234.50"),
        accepted_on=date(2027, 1, 10),
        pay_by=date(2027, 2, 9),
    )


def paid(member_id: str = "m-1", claim_id: str = "c-1") -> ClaimPaidV1:
    return ClaimPaidV1(
        claim_id=claim_id,
        claim_number=NUMBER,
        member_id=member_id,
        payout_id="po-1",
        offer_id="o-1",
        amount=Decimal("1234.50"),
        iban_last4="4321",
        paid_on=date(2027, 1, 20),
    )


def test_the_acknowledgement_names_the_claim_number_and_the_next_deadline_cl_1_pa_8() -> None:
    letter = claims.acknowledgement(declared(), "nl")
    assert letter.kind == "claim_acknowledgement"
    assert letter.title == f"Schadegeval {NUMBER}: aangifte ontvangen, volgende termijn 05/03/2027"
    assert letter.body == (
        "Wij ontvingen op 05/11/2026 uw aangifte van een ongeval van 02/11/2026.\n"
        f"Uw dossiernummer: {NUMBER}.\n"
        "Volgende termijn: voorschot (door ons) — 05/03/2027"
    )
    french = claims.acknowledgement(declared(), "fr")
    assert french.title == (
        f"Sinistre {NUMBER} : déclaration reçue, prochaine échéance le 05/03/2027"
    )
    german = claims.acknowledgement(declared(), "de")
    assert german.title == f"Schadensfall {NUMBER}: Meldung erhalten, nächste Frist am 05/03/2027"


def test_a_late_declaration_is_said_in_the_acknowledgement_cl_2() -> None:
    late = declared().model_copy(update={"late_declaration": True, "next_deadline": None})
    letter = claims.acknowledgement(late, "fr")
    assert letter.title == f"Sinistre {NUMBER} : déclaration reçue"
    assert "Votre déclaration est tardive" in letter.body


def test_the_decision_gives_the_reason_the_rules_and_the_amounts_per_language() -> None:
    nl = claims.decision(accepted(), "nl")
    assert nl.title == f"Schadegeval {NUMBER}: gedeeltelijk gedekt"
    assert nl.body == (
        "Beslissing: gedeeltelijk gedekt\n"
        "Reden: Het ongeval is gedekt.\n"
        "Toegepaste regels: PA-1, PA-5\n"
        "Plafond: €\u00a05.000,00\n"
        "Vrijstelling: €\u00a050,00"
    )
    fr = claims.decision(accepted(), "fr")
    assert "Motif : L'accident est couvert." in fr.body
    assert "Plafond : 5\u202f000,00\u00a0€" in fr.body


def test_a_german_member_reads_the_french_reason_and_a_german_title() -> None:
    """The engine's reasons exist in nl and fr only (LocalizedTextV1)."""
    rejected = ClaimRejectedV1(
        claim_id="c-1", claim_number=NUMBER, member_id="m-1", rules=["PC-4"], reason=REASON
    )
    letter = claims.decision(rejected, "de")
    assert letter.title == f"Schadensfall {NUMBER}: abgelehnt"
    assert "Grund: L'accident est couvert." in letter.body
    assert localized(REASON, "nl") == "Het ongeval is gedekt."


def test_offer_acceptance_and_payment_letters_show_amounts_and_dates_pa_8_la_6() -> None:
    offer = claims.offer(offer_made(), "nl")
    assert offer.title == (
        f"Schadegeval {NUMBER}: definitief voorstel van €\u00a01.234,50,"
        " te aanvaarden vóór 31/01/2027"
    )
    acceptance = claims.offer_accepted(offer_accepted(), "fr")
    assert acceptance.title == (
        f"Sinistre {NUMBER} : offre de 1\u202f234,50\u00a0€ acceptée,"
        " paiement au plus tard le 09/02/2027"
    )
    payment = claims.payment(paid(), "de")
    assert payment.title == f"Schadensfall {NUMBER}: 1.234,50\u00a0€ gezahlt am 20/01/2027"
    assert payment.body == (
        "Wir haben am 20/01/2027 1.234,50\u00a0€ auf Ihr Konto **** **** **** 4321 überwiesen."
    )
    assert "4321" in payment.body and "BE" not in payment.body  # masked: last 4 only


def test_documents_requested_and_closure_letters() -> None:
    request = ClaimDocumentsRequestedV1(
        claim_id="c-1",
        claim_number=NUMBER,
        member_id="m-1",
        documents=["medisch attest"],
        respond_by=date(2026, 12, 5),
    )
    letter = claims.documents_requested(request, "nl")
    assert letter.title == f"Schadegeval {NUMBER}: documenten gevraagd, uiterlijk op 05/12/2026"
    assert "- medisch attest" in letter.body
    closed = ClaimClosedV1(
        claim_id="c-1", claim_number=NUMBER, member_id="m-1", closed_on=date(2027, 1, 21),
        reason="paid",
    )  # fmt: skip
    assert claims.closure(closed, "fr").body == (
        f"Nous avons clôturé votre dossier {NUMBER} le 21/01/2027 : l'indemnité a été payée."
    )


@pytest.mark.parametrize(
    ("letter", "source_id"),
    [
        (claims.acknowledgement(declared(), "nl"), "c-1"),
        (claims.decision(accepted(), "nl"), "c-1:covered_in_part"),
        (claims.decision(accepted().model_copy(update={"overridden": True}), "nl"),
         "c-1:covered_in_part:override"),
        (claims.offer(offer_made(), "nl"), "c-1:o-1"),
        (claims.offer_accepted(offer_accepted(), "nl"), "c-1:o-1"),
        (claims.payment(paid(), "nl"), "c-1:po-1"),
    ],
)  # fmt: skip
def test_each_letter_is_identified_by_its_business_fact(
    letter: claims.ClaimLetter, source_id: str
) -> None:
    assert letter.source_id == source_id


def _event(spec: EventSpec[BaseModel], payload: BaseModel) -> CloudEvent:
    return new_event(spec, payload, source="/tests", subject=getattr(payload, "member_id", ""))


async def test_the_inbox_files_one_letter_per_fact_even_under_a_new_event_id_in_1() -> None:
    """A redelivered event and the same fact re-published under a new event id file
    nothing more; letters come newest first, in the member's language."""
    inbox = InboxFakes().use_cases().inbox
    member = member_registered(language="fr")
    await inbox.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    member_id = member.subject or ""
    steps: list[tuple[EventSpec[BaseModel], BaseModel]] = [
        (CLAIM_DECLARED, declared(member_id)),  # type: ignore[list-item]
        (CLAIM_ACCEPTED, accepted(member_id)),  # type: ignore[list-item]
        (CLAIM_OFFER_MADE, offer_made(member_id)),  # type: ignore[list-item]
        (CLAIM_PAID, paid(member_id)),  # type: ignore[list-item]
    ]
    handlers = {
        CLAIM_DECLARED.topic: inbox.on_claim_declared,
        CLAIM_ACCEPTED.topic: inbox.on_claim_accepted,
        CLAIM_OFFER_MADE.topic: inbox.on_claim_offer_made,
        CLAIM_PAID.topic: inbox.on_claim_paid,
    }
    for spec, payload in steps:
        event = _event(spec, payload)
        again = event.model_copy(update={"id": str(uuid.uuid4())})
        for delivered in (event, event, again):
            await handlers[spec.topic](delivered, spec.parse(delivered))
    documents = (await inbox.documents_of(member_id, DocumentQuery(limit=10))).items
    assert [d.kind for d in documents] == [
        "claim_payment",
        "claim_offer",
        "claim_decision",
        "claim_acknowledgement",
    ]
    assert documents[0].title.startswith(f"Sinistre {NUMBER} : 1\u202f234,50\u00a0€ payés")
    assert documents[0].body and "**** 4321" in documents[0].body


async def test_a_rejection_and_a_closure_are_filed_for_the_claimant() -> None:
    inbox = InboxFakes().use_cases().inbox
    rejected = ClaimRejectedV1(
        claim_id=str(uuid.uuid4()), claim_number=NUMBER, member_id="m-2", rules=["PC-4"],
        reason=REASON,
    )  # fmt: skip
    closed = ClaimClosedV1(
        claim_id=rejected.claim_id, claim_number=NUMBER, member_id="m-2",
        closed_on=date(2027, 1, 21), reason="rejected",
    )  # fmt: skip
    event = _event(CLAIM_REJECTED, rejected)  # type: ignore[arg-type]
    await inbox.on_claim_rejected(event, CLAIM_REJECTED.parse(event))
    event = _event(CLAIM_CLOSED, closed)  # type: ignore[arg-type]
    await inbox.on_claim_closed(event, CLAIM_CLOSED.parse(event))
    documents = (await inbox.documents_of("m-2", DocumentQuery(limit=10))).items
    # unknown language: Dutch, like invoices
    assert {d.title for d in documents} == {
        f"Schadegeval {NUMBER}: niet gedekt",
        f"Schadegeval {NUMBER}: afgesloten op 21/01/2027",
    }
