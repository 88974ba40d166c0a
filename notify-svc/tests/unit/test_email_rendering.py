"""Issue 19 item 5: every e-mail notify-svc sends, per kind and language (nl, fr, de), has
a text and an HTML part with the same words, the HTML autoescaped, accessible (``lang``,
one heading, paragraphs and lists, no images, no tables, light and dark colour schemes)
and a subject without personal data (EI-4, PC-7, CL-1, issue 15 item 7, issue 19 item 4).
Built by notify's own builders, as the handlers do."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from markupsafe import escape
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
    LocalizedTextV1,
    TermsChangedV1,
)
from mylm_shared.events.catalog import Language
from notify.domain.address import changed_email, code_email
from notify.domain.claims import ClaimEvent, claim_notice
from notify.domain.messages import (
    Email,
    amendment_reminder_email,
    claim_email,
    invoice_issued_email,
    invoice_reminder_email,
    terms_changed_email,
)

HOSTILE = '<script>alert("x")</script>'
TO = "jan.peeters@example.test"
NUMBER = "CL-2026-000777"
REFERENCE = "+++090/9337/55493+++"
CLAIM = {"claim_id": "c-7", "claim_number": NUMBER, "member_id": "m-7"}
# What a subject must never carry (issue 19 item 5): the member's surname and address,
# amounts, the structured reference, the claim number, accounts, a code, dates of the
# member's own (the amounts 1.234,50 / 1 234,50 in every locale: their digits).
PERSONAL = ("Peeters", "example.test", "234", REFERENCE, NUMBER, "4321", "6769", "042917")
MEMBER_DATES = ("23/12/2026", "28/02/2026", "05/04/2027", "31/01/2027", "20/01/2027")

CLAIMS: dict[str, ClaimEvent] = {
    "claim_acknowledgement": ClaimDeclaredV1(
        **CLAIM,
        policy_id="p-7",
        cover="accident",
        event_date=date(2026, 11, 2),
        declared_on=date(2026, 11, 5),
        late_declaration=True,
        next_deadline=ClaimDeadlineV1(
            kind="advance", by="insurer", due_on=date(2027, 4, 5), rule="PA-8"
        ),
    ),
    "claim_documents_requested": ClaimDocumentsRequestedV1(
        **CLAIM,
        documents=["medisch attest", "<b>bestek</b> & factuur"],
        respond_by=date(2026, 12, 5),
    ),
    "claim_decision": ClaimAcceptedV1(
        **CLAIM,
        outcome="covered_in_part",
        rules=["PA-1"],
        reason=LocalizedTextV1(nl="Gedekt <deels>.", fr="Couvert <en partie>."),
        ceiling=Decimal("5000"),
    ),
    "claim_offer": ClaimOfferMadeV1(
        **CLAIM,
        offer_id="o-7",
        kind="final",
        amount=Decimal("1234.5"),
        respond_by=date(2027, 1, 31),
    ),
    "claim_offer_accepted": ClaimOfferAcceptedV1(
        **CLAIM,
        offer_id="o-7",
        amount=Decimal("1234.5"),
        accepted_on=date(2027, 1, 10),
        pay_by=date(2027, 2, 9),
    ),
    "claim_payment": ClaimPaidV1(
        **CLAIM,
        payout_id="po-7",
        offer_id="o-7",
        amount=Decimal("1234.5"),
        iban_last4="4321",
        paid_on=date(2027, 1, 20),
    ),
    "claim_payout_account": ClaimPayoutAccountChangedV1(
        **CLAIM,
        payout_id="po-7",
        iban_last4="4321",
        previous_iban_last4="6769",
        changed_at=datetime(2027, 1, 10, 9, tzinfo=UTC),
    ),
    "claim_closed": ClaimClosedV1(**CLAIM, closed_on=date(2027, 1, 21), reason="paid"),
}

Build = Callable[[str, str], Email]


def _claim(kind: str) -> Build:
    def build(language: str, first_name: str) -> Email:
        notice = claim_notice(CLAIMS[kind])
        assert notice.kind == kind
        return claim_email(to=TO, language=language, first_name=first_name, notice=notice)

    return build


# Every kind of e-mail notify sends, built as its handler builds it.
BUILDERS: dict[str, Build] = {
    "invoice_issued": lambda language, first_name: invoice_issued_email(
        to=TO,
        language=language,
        first_name=first_name,
        total=Decimal("1234.50"),
        due_date=date(2026, 12, 23),
        structured_reference=REFERENCE,
        event_id="ev-7",
    ),
    "invoice_reminder": lambda language, first_name: invoice_reminder_email(
        to=TO,
        language=language,
        first_name=first_name,
        level=2,
        outstanding=Decimal("1234.50"),
        due_date=date(2026, 12, 23),
        structured_reference=REFERENCE,
        email_id="r-7",
    ),
    "terms_changed": lambda language, first_name: terms_changed_email(
        to=TO,
        language=language,
        first_name=first_name,
        change=TermsChangedV1(
            member_id="m-7",
            version="2027.1",
            effective_on=date(2027, 2, 1),
            published_on=date(2027, 1, 4),
            summary=LocalizedTextV1(nl="De code <staat> op de factuur.", fr="Le code figure."),
        ),
        email_id="t-7",
    ),
    "amendment_reminded": lambda language, first_name: amendment_reminder_email(
        to=TO,
        language=language,
        first_name=first_name,
        step="accept_proposal",
        deadline=date(2026, 2, 28),
        email_id="a-7",
    ),
    "notification_address_code": lambda language, first_name: code_email(
        to=TO, language=language, first_name=first_name, code="042917", change_id="ch-7"
    ),
    "notification_address_changed": lambda language, first_name: changed_email(
        to=TO,
        language=language,
        first_name=first_name,
        new_address="marie.peeters@example.test",
        changed_on=date(2027, 1, 11),
        change_id="ch-7",
    ),
    **{kind: _claim(kind) for kind in CLAIMS},
}
GREETING = {"nl": "Beste", "fr": "Bonjour", "de": "Guten Tag"}


class _Page(HTMLParser):
    """The HTML part as a reader's tools see it: its tags, attributes and shown text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: dict[str, dict[str, str | None]] = {}
        self.metas: dict[str, str | None] = {}
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.setdefault(tag, dict(attrs))
        if tag == "meta" and dict(attrs).get("name"):
            self.metas[str(dict(attrs)["name"])] = dict(attrs).get("content")
        self._hidden += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def test_every_kind_notify_sends_has_a_sample() -> None:
    """The samples cover every e-mail of the catalogue (a kind with an ``email`` part) but
    the codes identity-svc sends itself (RG-2, its own rendering test)."""
    e_mails = {kind for kind, parts in texts.PARTS.items() if "email" in parts}
    assert set(BUILDERS) == e_mails - set(texts.ACCOUNT_CODE_KINDS)


@pytest.mark.parametrize("language", texts.LANGUAGES)
@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_every_e_mail_has_both_parts_escaped_accessible_and_an_impersonal_subject(
    kind: str, language: Language
) -> None:
    """Issue 19 item 5, per kind and language: text and HTML; the hostile first name is
    shown as text, never markup; ``lang`` is the member's; one heading (the subject), no
    images or tables; both colour schemes; no template syntax left; the subject carries no
    personal data, not even the first name."""
    email = BUILDERS[kind](language, HOSTILE)
    assert email.body.startswith(f"{GREETING[language]} {HOSTILE},\n\n")
    assert email.html.startswith("<!DOCTYPE html>")
    # autoescaped: the name (and every fact) is text in the HTML, never a tag
    assert "<script" not in email.html and "<b>" not in email.html
    assert f"{escape(HOSTILE)}," in email.html
    page = _Page()
    page.feed(email.html)
    page.close()
    assert f"{GREETING[language]} {HOSTILE}," in page.text
    assert page.attributes["html"]["lang"] == language
    assert page.attributes["div"]["lang"] == language  # webmail keeps the body only
    assert page.tags.count("h1") == 1 and page.text[page.text.index("My LM") + 1] == email.subject
    assert not {"img", "table", "script", "iframe", "svg"} & set(page.tags)
    assert page.metas["color-scheme"] == "light dark"
    assert "@media (prefers-color-scheme: dark)" in email.html
    # the same words: every line of the text part is a paragraph line or list item
    shown = "\n".join(page.text)
    for line in email.body.splitlines():
        assert line.removeprefix("- ").strip() in shown, line
    for part in (email.subject, email.body, email.html):
        assert not {"{{", "{%", "{#", "%}", "}}", "#}"} & {
            part[i : i + 2] for i in range(len(part))
        }
    assert "\n" not in email.subject
    assert not [word for word in (*PERSONAL, *MEMBER_DATES, "script") if word in email.subject]


@pytest.mark.parametrize("language", texts.LANGUAGES)
def test_an_amount_reads_as_belgians_read_it_in_both_parts_ei_4(language: Language) -> None:
    """EI-4: the invoice e-mail's amount and due date as on the invoice, per language, in
    the text and in the HTML (shown text), and not in the subject."""
    email = BUILDERS["invoice_issued"](language, "Jan")
    amount = {"nl": "€\u00a01.234,50", "fr": "1\u202f234,50\u00a0€", "de": "1.234,50\u00a0€"}
    page = _Page()
    page.feed(email.html)
    for shown in (email.body, "\n".join(page.text)):
        assert amount[language] in shown and "23/12/2026" in shown and REFERENCE in shown
    assert amount[language] not in email.subject


def test_a_list_is_a_list_and_lines_stay_lines() -> None:
    """CL-1: the documents asked for are list items in the HTML; the signature's two
    lines stay two lines of one paragraph."""
    email = BUILDERS["claim_documents_requested"]("nl", "Jan")
    assert "<li>medisch attest</li>" in email.html
    assert "<li>&lt;b&gt;bestek&lt;/b&gt; &amp; factuur</li>" in email.html
    assert "<p>Met vriendelijke groeten,<br>\nUw Liberale Mutualiteit</p>" in email.html
