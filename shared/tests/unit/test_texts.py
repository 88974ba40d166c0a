"""Issue 17 item 4: one catalogue of what members read (``mylm_shared.texts``): every kind
of text in every language, the language fallbacks and the IBAN mask in one place, the
same texts for the inbox's letters (IN-1, CL-1) and the e-mails (EI-4, PC-7, CL-1)."""

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

import pytest
from mylm_shared import texts
from mylm_shared.events import (
    ClaimAcceptedV1,
    ClaimClosedV1,
    ClaimDeadlineV1,
    ClaimDeclaredV1,
    ClaimDocumentsRequestedV1,
    ClaimOfferAcceptedV1,
    ClaimOfferMadeV1,
    ClaimPaidV1,
    ClaimPayoutAccountChangedV1,
    ClaimRejectedV1,
    LocalizedTextV1,
)
from mylm_shared.kernel.masking import masked_iban
from mylm_shared.texts import catalogue
from mylm_shared.texts.catalogue import TEMPLATES, TextKind

TEMPLATE_DIR = Path(texts.__file__).parent / "templates"
NUMBER = "CL-2026-000123"
FIGURES = re.compile(r"[*\d][\d*.,/\s]*[\d]")  # amounts, dates, accounts
REASON = LocalizedTextV1(nl="Het ongeval is gedekt.", fr="L'accident est couvert.")
CLAIM = {"claim_id": "c-1", "claim_number": NUMBER, "member_id": "m-1"}
CLAIM_EVENTS: list[texts.ClaimEvent] = [
    ClaimDeclaredV1(
        **CLAIM,
        policy_id="p-1",
        cover="accident",
        event_date=date(2026, 11, 2),
        declared_on=date(2026, 11, 5),
        late_declaration=True,
        next_deadline=ClaimDeadlineV1(
            kind="advance", by="insurer", due_on=date(2027, 3, 5), rule="PA-8"
        ),
    ),
    ClaimDocumentsRequestedV1(
        **CLAIM, documents=["medisch attest", "factuur"], respond_by=date(2026, 12, 5)
    ),
    ClaimRejectedV1(**CLAIM, rules=["PC-4"], reason=REASON),
    ClaimAcceptedV1(
        **CLAIM,
        outcome="covered_in_part",
        rules=["PA-1", "PA-5"],
        reason=REASON,
        ceiling=Decimal("5000"),
        deductible=Decimal("50"),
    ),
    ClaimOfferMadeV1(
        **CLAIM,
        offer_id="o-1",
        kind="final",
        amount=Decimal("1234.5"),
        respond_by=date(2027, 1, 31),
    ),
    ClaimOfferAcceptedV1(
        **CLAIM,
        offer_id="o-1",
        amount=Decimal("1234.5"),
        accepted_on=date(2027, 1, 10),
        pay_by=date(2027, 2, 9),
    ),
    ClaimPaidV1(
        **CLAIM,
        payout_id="po-1",
        offer_id="o-1",
        amount=Decimal("1234.5"),
        iban_last4="4321",
        paid_on=date(2027, 1, 20),
    ),
    ClaimPayoutAccountChangedV1(
        **CLAIM,
        payout_id="po-1",
        iban_last4="4300",
        previous_iban_last4="6769",
        changed_at=datetime(2027, 1, 10, 23, 30, tzinfo=UTC),
        acted_by="m-titular",
    ),
    ClaimClosedV1(**CLAIM, closed_on=date(2027, 1, 21), reason="paid"),
]
INVOICE = {
    "structured_reference": "+++000/0000/00101+++",
    "amount": Decimal("1234.5"),
    "due_date": date(2026, 12, 23),
    "premium": True,
}
# Facts for every kind of text: claims' as ``claim_text`` gives them (the acceptance's
# for a decision: it says more than a rejection).
FACTS: dict[TextKind, dict[str, Any]] = {
    "invoice": INVOICE,
    "invoice_issued": INVOICE,
    "policy_conditions": {"start": date(2026, 1, 1), "amended": True},
    "amendment_reminded": {"step": "agree_reduction", "deadline": date(2026, 2, 28)},
    "invoice_reminder": {**INVOICE, "level": 2},
    # EI-6, EI-7 (issue 18 items 5, 6)
    "terms_changed": {
        "effective_on": date(2027, 2, 1),
        "version": "2027.1",
        "summary": LocalizedTextV1(nl="De zorgcode staat op de factuur.", fr="Le code figure."),
    },
    "maintenance_announced": {
        "starts_on": date(2027, 3, 6),
        "starts": "22:00",
        "ends_on": date(2027, 3, 7),
        "ends": "00:00",
        "reason": LocalizedTextV1(nl="Nieuwe versie.", fr="Nouvelle version."),
    },
    **{(t := texts.claim_text(event)).kind: t.facts for event in CLAIM_EVENTS},
    # RG-2 (issue 19 item 5): the codes identity-svc e-mails
    **{kind: {"code": "012345", "minutes": 15} for kind in texts.ACCOUNT_CODE_KINDS},
    # EI-4 (issue 19 item 4): a new notification address, its code and the notice
    "notification_address_code": {"code": "042917", "minutes": 15},
    "notification_address_changed": {
        "new_address": "m***@example.org",
        "changed_on": date(2027, 1, 11),
    },
}


def test_every_kind_has_facts_to_render_it_and_claim_events_write_every_claim_text() -> None:
    """The samples below cover the whole catalogue; each claim event writes a claim text."""
    assert set(FACTS) == set(texts.PARTS)
    claim_kinds = {texts.claim_text(event).kind for event in CLAIM_EVENTS}
    assert claim_kinds == {*texts.CLAIM_LETTER_KINDS, "claim_payout_account"}
    assert set(get_args(texts.ClaimEvent)) == {type(event) for event in CLAIM_EVENTS}


def test_every_kind_is_written_in_every_language_but_the_listed_gaps() -> None:
    """Issue 17 item 4: one template per kind and language; a missing one is a listed gap
    and no template is left over. Issue 19 item 5: no gap left (the German invoice e-mail
    was the last)."""
    expected = {
        f"{kind}.{language}.txt"
        for kind in texts.PARTS
        for language in texts.LANGUAGES
        if (kind, language) not in texts.NOT_WRITTEN
    }
    written = {p.name for p in TEMPLATE_DIR.glob("*.txt") if not p.name.startswith("_")}
    assert written == expected
    assert frozenset() == texts.NOT_WRITTEN


@pytest.mark.parametrize("language", texts.LANGUAGES)
@pytest.mark.parametrize("kind", sorted(texts.PARTS))
def test_every_part_of_every_kind_renders_in_every_language(kind: TextKind, language: str) -> None:
    """Every fact a template uses is given (undefined ones fail), every part says
    something; a part a kind does not have is refused."""
    for part in ("title", "letter", "subject", "email"):
        if part in texts.PARTS[kind]:
            rendered = texts.render(kind, part, language, first_name="Jan", **FACTS[kind])
            assert rendered.strip() and "{" not in rendered
        else:
            with pytest.raises(ValueError, match=part):
                texts.render(kind, part, language, first_name="Jan", **FACTS[kind])


@pytest.mark.parametrize("language", texts.LANGUAGES)
@pytest.mark.parametrize("kind", texts.CLAIM_LETTER_KINDS)
def test_a_claims_letter_and_its_e_mail_say_the_same_cl_1(kind: TextKind, language: str) -> None:
    """The e-mail greets, gives every amount, date, number and account of the letter and
    of its title (and names the claim) and signs. Issue 19 item 5: the letter's title names
    the claim and its fact, the e-mail's subject only the kind of milestone, no figures."""
    letter = texts.letter(kind, language, **FACTS[kind])  # type: ignore[arg-type]
    mail = texts.mail(kind, language, first_name="Jan", **FACTS[kind])
    assert NUMBER in letter.title and NUMBER not in mail.subject
    assert letter.title.split(NUMBER)[0].strip() == mail.subject.split(":")[0].strip()
    assert FIGURES.findall(mail.subject) == []
    greeting = {"nl": "Beste Jan,\n\n", "fr": "Bonjour Jan,\n\n", "de": "Guten Tag Jan,\n\n"}
    assert mail.body.startswith(greeting[language]) and NUMBER in mail.body
    assert set(FIGURES.findall(letter.body)) <= set(FIGURES.findall(mail.body))
    assert all(figure in mail.body for figure in FIGURES.findall(letter.title))
    assert FIGURES.findall(letter.body)


@pytest.mark.parametrize("value", [None, "", "xx", "en", "NL"])
def test_an_unknown_language_reads_dutch(value: str | None) -> None:
    """A member not projected yet, or with a language we do not write, reads Dutch."""
    assert texts.language_of(value) == "nl"
    assert texts.title("invoice", value, **INVOICE) == texts.title("invoice", "nl", **INVOICE)


def test_the_members_languages_are_kept() -> None:
    assert [texts.language_of(language) for language in ("nl", "fr", "de")] == ["nl", "fr", "de"]
    titles = {texts.title("invoice", language, **INVOICE) for language in texts.LANGUAGES}
    assert len(titles) == 3


def test_a_text_not_written_in_german_is_read_in_dutch_amounts_included_ei_4(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A text missing in a language (a listed gap) is read in Dutch, amounts formatted as
    in Dutch, its HTML marked Dutch; the German inbox title exists. Issue 19 item 5: the
    German invoice e-mail exists now, so the gap is made here."""
    monkeypatch.setattr(catalogue, "NOT_WRITTEN", frozenset({("invoice_issued", "de")}))
    assert texts.written_language("invoice_issued", "de") == "nl"
    german = texts.mail("invoice_issued", "de", first_name="Jan", **INVOICE)
    assert german == texts.mail("invoice_issued", "nl", first_name="Jan", **INVOICE)
    assert "€\u00a01.234,50" in german.body and '<html lang="nl"' in german.html
    assert texts.title("invoice", "de", **INVOICE).startswith("Prämie")


def test_the_german_invoice_e_mail_is_german_ei_4_issue_19_item_5() -> None:
    """Issue 19 item 5: the invoice e-mail in German, amounts as German-speaking Belgians
    read them, and the promise of EI-4 (switch off, change the address in My Settings)."""
    assert texts.written_language("invoice_issued", "de") == "de"
    german = texts.mail("invoice_issued", "de", first_name="Jan", **INVOICE)
    assert german.subject == "Prämie Ihrer Police in My LM"
    assert german.body.startswith("Guten Tag Jan,\n\n")
    assert "Betrag: 1.234,50\u00a0€" in german.body.splitlines()
    assert "Zahlbar bis: 23/12/2026" in german.body.splitlines()
    assert "in Meine Einstellungen ausschalten" in german.body
    care = texts.mail("invoice_issued", "de", first_name="Jan", **(INVOICE | {"premium": False}))
    assert care.subject == "Neue Rechnung in My LM" and '<html lang="de"' in care.html


def test_german_members_read_the_engines_french_reason_cl_1() -> None:
    """Reasons exist in nl and fr only (LocalizedTextV1)."""
    assert texts.localized(REASON, "nl") == "Het ongeval is gedekt."
    assert texts.localized(REASON, "fr") == "L'accident est couvert."
    assert texts.localized(REASON, "de") == "L'accident est couvert."
    assert texts.localized(REASON, "xx") == "Het ongeval is gedekt."
    letter = texts.letter("claim_decision", "de", **FACTS["claim_decision"])
    assert "Grund: L'accident est couvert." in letter.body.splitlines()


def test_an_account_is_shown_masked_its_last_four_only() -> None:
    """Issue 15 item 7: letters and e-mails show an account as its last four characters
    behind a fixed mask (the length of the hidden part is not shown)."""
    assert masked_iban("4321") == "**** **** **** 4321"
    for language in texts.LANGUAGES:
        paid = texts.letter("claim_payment", language, **FACTS["claim_payment"])
        assert "**** **** **** 4321" in paid.body
        changed = texts.mail(
            "claim_payout_account", language, first_name="J", **FACTS["claim_payout_account"]
        )
        assert "**** **** **** 4300" in changed.body and "4300" not in changed.subject
        assert "**** **** **** 6769" in changed.body


INBOX_POINTER = {
    "nl": "U vindt deze brief ook in uw inbox in My LM.",
    "fr": "Vous retrouvez ce courrier dans votre boîte aux lettres My LM.",
    "de": "Sie finden dieses Schreiben auch in Ihrem Posteingang in My LM.",
}


@pytest.mark.parametrize("language", sorted(INBOX_POINTER))
def test_only_an_e_mail_whose_letter_is_filed_points_to_the_inbox(language: str) -> None:
    """CL-1 / IN-1: a claim e-mail says its letter is in the inbox only when the inbox
    files one; the payout-account notice (issue 15 item 7) is an e-mail only."""
    paid = texts.mail("claim_payment", language, first_name="J", **FACTS["claim_payment"])
    assert INBOX_POINTER[language] in paid.body
    changed = texts.mail(
        "claim_payout_account", language, first_name="J", **FACTS["claim_payout_account"]
    )
    assert INBOX_POINTER[language] not in changed.body
    assert "claim_payout_account" not in texts.CLAIM_LETTER_KINDS


def _vocabulary(kind: str, language: str) -> dict[str, dict[str, str]]:
    module = TEMPLATES.get_template(f"{kind}.{language}.txt").make_module({"part": ""})
    return {name: value for name, value in vars(module).items() if isinstance(value, dict)}


@pytest.mark.parametrize("kind", sorted(texts.PARTS))
def test_every_language_words_the_same_cases(kind: str) -> None:
    """A cover, deadline, offer, outcome or reason for closing worded in one language is
    worded in all (German adds articles)."""
    languages = [lang for lang in texts.LANGUAGES if (kind, lang) not in texts.NOT_WRITTEN]
    words = {language: _vocabulary(kind, language) for language in languages}
    for name, nl in words["nl"].items():
        assert all(words[lang][name].keys() == nl.keys() for lang in languages), name
    deadline_kinds = set(get_args(ClaimDeadlineV1.model_fields["kind"].annotation))
    offer_kinds = set(get_args(ClaimOfferMadeV1.model_fields["kind"].annotation))
    outcomes = set(get_args(ClaimAcceptedV1.model_fields["outcome"].annotation)) | {"rejected"}
    for language in languages:
        vocabulary = words[language]
        assert vocabulary.get("deadlines", {}).keys() in ({}.keys(), deadline_kinds)
        assert vocabulary.get("offers", {}).keys() in ({}.keys(), offer_kinds)
        assert vocabulary.get("articles", {}).keys() in ({}.keys(), offer_kinds)
        assert vocabulary.get("outcomes", {}).keys() in ({}.keys(), outcomes)


def test_the_catalogue_is_pure() -> None:
    """Issue 17 items 4 and 8: domain modules import the catalogue and the masks without
    FastAPI, Kafka or Mongo."""
    code = (
        "import sys, mylm_shared.texts, mylm_shared.kernel.masking;"
        "print(sorted({m.split('.')[0] for m in sys.modules}"
        " & {'fastapi', 'starlette', 'faststream', 'aiokafka', 'pymongo', 'motor'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
