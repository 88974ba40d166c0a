"""RG-2, issue 19 item 5: the code e-mails identity-svc sends itself, per kind (registration,
password reset) and language (nl, fr, de), are worded from the one text catalogue and
multipart: a text and an HTML part with the same words, the HTML autoescaped and
accessible (``lang``, one heading, no images), the subject without personal data and
without the code; the SMS stays plain text. Built and sent as ``EmailCodeSender`` does."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any, get_args

import pytest
from identity.adapters import code_delivery
from identity.adapters.code_delivery import (
    EmailCodeSender,
    MailpitSmsSink,
    SmsCodeSender,
    SmtpMailer,
    code_mail,
)
from identity.domain.codes import CodeMessage, Purpose
from markupsafe import escape
from mylm_shared import texts
from mylm_shared.events.catalog import Language

HOSTILE = '<script>alert("x")</script>'
TO = "jan.peeters@example.test"
CODE = "042917"
GREETING = {"nl": "Beste", "fr": "Bonjour", "de": "Guten Tag"}
SUBJECTS = {  # the wording identity sent before the catalogue, kept (issue 19 item 5)
    ("registration", "nl"): "Uw registratiecode voor My LM",
    ("registration", "fr"): "Votre code d'inscription à My LM",
    ("registration", "de"): "Ihr Registrierungscode für My LM",
    ("password-reset", "nl"): "Uw code om uw wachtwoord voor My LM te herstellen",
    ("password-reset", "fr"): "Votre code pour réinitialiser votre mot de passe My LM",
    ("password-reset", "de"): "Ihr Code zum Zurücksetzen Ihres My LM-Passworts",
}
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)


class _Page(HTMLParser):
    """The HTML part as a reader's tools see it: its tags, attributes and shown text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: dict[str, dict[str, str | None]] = {}
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.setdefault(tag, dict(attrs))
        self._hidden += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def _message(purpose: Purpose, language: Language, first_name: str = "Jan") -> CodeMessage:
    return CodeMessage(TO, CODE, purpose, language, first_name)


def test_every_purpose_is_a_kind_of_the_catalogue() -> None:
    """Issue 19 item 5: each code identity sends is one catalogue kind, and every such kind
    is sent by identity (none left unused, none worded elsewhere)."""
    kinds = {code_delivery._KINDS[purpose] for purpose in PURPOSES}
    assert kinds == set(texts.ACCOUNT_CODE_KINDS)
    assert all(texts.PARTS[kind] == {"subject", "email"} for kind in kinds)


@pytest.mark.parametrize("language", texts.LANGUAGES)
@pytest.mark.parametrize("purpose", PURPOSES)
def test_every_code_e_mail_has_both_parts_escaped_accessible_and_an_impersonal_subject(
    purpose: Purpose, language: Language
) -> None:
    """RG-2, issue 19 item 5, per kind and language: the hostile first name is text in
    both parts, never markup; ``lang`` is the member's; one heading (the subject), no
    images; the code and the validity in both parts, neither the code nor the name in the
    subject, which is the wording identity sent before."""
    mail = code_mail(_message(purpose, language, HOSTILE))
    assert mail.subject == SUBJECTS[purpose, language]
    assert mail.body.startswith(f"{GREETING[language]} {HOSTILE},\n\n")
    assert mail.html.startswith("<!DOCTYPE html>")
    assert "<script" not in mail.html and f"{escape(HOSTILE)}," in mail.html
    page = _Page()
    page.feed(mail.html)
    page.close()
    assert f"{GREETING[language]} {HOSTILE}," in page.text
    assert page.attributes["html"]["lang"] == language
    assert page.attributes["div"]["lang"] == language
    assert page.tags.count("h1") == 1 and page.text[page.text.index("My LM") + 1] == mail.subject
    assert not {"img", "table", "script", "iframe", "svg"} & set(page.tags)
    shown = "\n".join(page.text)
    for line in mail.body.splitlines():  # the same words in both parts
        assert line.strip() in shown, line
    for part in (mail.body, shown):
        assert CODE in part and "15" in part  # CODE_LIFETIME: 15 minutes
    for part in (mail.subject, mail.body, mail.html):
        assert not {"{{", "{%", "{#", "%}", "}}", "#}"} & {
            part[i : i + 2] for i in range(len(part))
        }
    assert "\n" not in mail.subject
    assert not [word for word in (CODE, "<", "alert", "Peeters", "example") if word in mail.subject]


class _Recorder(SmtpMailer):
    """``SmtpMailer`` with the SMTP hand-over replaced: keeps the message it would send."""

    def __init__(self) -> None:
        super().__init__("smtp://127.0.0.1:1025", "My LM <no-reply@mylm.lm.be>", 5)
        self.sent: list[EmailMessage] = []


async def _recorded(mailer: _Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    async def send(message: EmailMessage, **_: Any) -> None:
        # as it travels: the bytes, parsed back
        parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        mailer.sent.append(parsed)

    monkeypatch.setattr(code_delivery.aiosmtplib, "send", send)


@pytest.mark.parametrize("language", texts.LANGUAGES)
async def test_the_code_e_mail_is_sent_multipart_alternative_text_first(
    language: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 item 5: ``EmailCodeSender`` sends multipart/alternative, the text part
    first and the HTML after it, both with the code, each in UTF-8."""
    mailer = _Recorder()
    await _recorded(mailer, monkeypatch)
    await EmailCodeSender(mailer).send(_message("password-reset", language))
    [sent] = mailer.sent
    assert sent.get_content_type() == "multipart/alternative"
    assert sent["Subject"] == SUBJECTS["password-reset", language]
    assert sent["To"] == TO and sent["Message-ID"] and sent["Date"]
    text, html = list(sent.iter_parts())
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert CODE in text.get_content() and CODE in html.get_content()
    assert f'lang="{language}"' in html.get_content()


async def test_an_sms_stays_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """RG-2: an SMS is text alone (the local sink hands it over as a one-part e-mail)."""
    mailer = _Recorder()
    await _recorded(mailer, monkeypatch)
    sms = SmsCodeSender(MailpitSmsSink(mailer, "sms.example.test"))
    await sms.send(CodeMessage("+32470000001", CODE, "registration", "nl", "Jan"))
    [sent] = mailer.sent
    assert sent.get_content_type() == "text/plain"
    assert sent["Subject"] == "SMS to +32470000001"
    assert sent.get_content().startswith(f"My LM: uw code is {CODE}.")
