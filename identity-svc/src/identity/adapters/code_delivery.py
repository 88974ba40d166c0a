"""Delivering one-time codes (RG-2) to the contact on file: e-mail and SMS.

identity-svc sends codes itself, directly over SMTP: a code must never travel through
Kafka (it would sit in a topic, readable and replayable, for the retention time).

- ``CodeDelivery``: what the use cases call (``service/ports.py``), over one
  ``CodeSender`` per channel.
- E-mail: ``EmailCodeSender`` over ``SmtpMailer`` (aiosmtplib, SMTP_URL). Worded from the
  one text catalogue (``mylm_shared.texts``, kinds ``registration_code`` and
  ``password_reset_code``, issue 19 item 5): multipart/alternative, text and the same
  words as HTML, greeting by first name; the subject names the kind of code only (never
  the code, nothing personal), the code is in the body.
- SMS: ``SmsCodeSender`` over an ``SmsProvider`` port. Locally ``MailpitSmsSink`` hands
  each SMS to the SMTP sink as an e-mail to ``<msisdn>@<SMS_SINK_DOMAIN>`` with subject
  "SMS to +32…", so tests and people read it in Mailpit (http://127.0.0.1:8025). In
  production a provider's HTTP API implements the same ``SmsProvider``.

``CodeDelivery.dispatch`` sends in the background: the HTTP answer must not wait for
(or reveal, by its timing) a delivery. A failed delivery is logged without the code
and without the address; the user simply asks for a new code.
"""

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, Protocol

import aiosmtplib
from mylm_shared import texts
from mylm_shared.smtp import SmtpEndpoint, email_message

from identity.domain.codes import CODE_LIFETIME, Channel, CodeMessage, Purpose, e164
from identity.domain.members import Language

__all__ = [
    "CodeDelivery",
    "CodeMessage",
    "CodeSender",
    "EmailCodeSender",
    "MailpitSmsSink",
    "SmsCodeSender",
    "SmsProvider",
    "SmtpMailer",
    "code_mail",
    "local_code_delivery",
]

log = logging.getLogger(__name__)

_MINUTES = int(CODE_LIFETIME.total_seconds() // 60)


class CodeSender(Protocol):
    async def send(self, message: CodeMessage) -> None: ...


class SmsProvider(Protocol):
    async def send_sms(self, msisdn: str, text: str) -> None:
        """``msisdn`` in E.164 (``+32470000001``)."""
        ...


class SmtpMailer:
    """Plain SMTP (local sink), STARTTLS or implicit TLS, from SMTP_URL. One connection
    per message: codes are few, and nothing is left open between them."""

    def __init__(self, url: str, sender: str, timeout: float) -> None:
        self._endpoint = SmtpEndpoint.from_url(url)
        self._sender = sender
        self._timeout = timeout

    async def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        """An e-mail: ``text``, and ``html`` as its alternative (issue 19 item 5); text
        alone only for an SMS handed to the local sink."""
        message = email_message(sender=self._sender, to=to, subject=subject, text=text, html=html)
        await aiosmtplib.send(message, **self._endpoint.client_options(), timeout=self._timeout)


_KINDS: dict[Purpose, texts.AccountCodeKind] = {
    "registration": "registration_code",
    "password-reset": "password_reset_code",
}


def code_mail(message: CodeMessage) -> texts.Mail:
    """The code e-mail in the member's language, from the text catalogue (RG-2, issue 19
    item 5): subject, text and HTML; the code in the body only."""
    return texts.mail(
        _KINDS[message.purpose],
        message.language,
        first_name=message.first_name,
        code=message.code,
        minutes=_MINUTES,
    )


# SMS stay plain text (160 characters, no HTML), in the member's language.
_SMS_TEXTS: dict[Language, str] = {
    "nl": "My LM: uw code is {code}. {minutes} min geldig. Deel hem met niemand.",
    "fr": "My LM : votre code est {code}. Valable {minutes} min. Ne le partagez pas.",
    "de": "My LM: Ihr Code ist {code}. {minutes} Min. gültig. Nicht weitergeben.",
}


class EmailCodeSender:
    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer

    async def send(self, message: CodeMessage) -> None:
        mail = code_mail(message)
        await self._mailer.send(message.to, mail.subject, mail.body, mail.html)


class SmsCodeSender:
    def __init__(self, provider: SmsProvider) -> None:
        self._provider = provider

    async def send(self, message: CodeMessage) -> None:
        text = _SMS_TEXTS[message.language].format(code=message.code, minutes=_MINUTES)
        await self._provider.send_sms(e164(message.to), text)


class MailpitSmsSink:
    """The local SMS provider: each SMS becomes an e-mail to ``<msisdn>@<domain>``."""

    def __init__(self, mailer: SmtpMailer, domain: str) -> None:
        self._mailer = mailer
        self._domain = domain

    def address_of(self, msisdn: str) -> str:
        return f"{msisdn}@{self._domain}"

    async def send_sms(self, msisdn: str, text: str) -> None:
        await self._mailer.send(self.address_of(msisdn), f"SMS to {msisdn}", text)


class CodeDelivery:
    """Sends codes in the background, one sender per channel; holds its tasks so none is
    collected before it ends."""

    def __init__(self, senders: dict[Channel, CodeSender]) -> None:
        self._senders = senders
        self._pending: set[asyncio.Task[None]] = set()

    def dispatch(self, channel: Channel, message: CodeMessage, code_id: str) -> None:
        self.in_background(self._deliver(channel, message, code_id))

    def in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` after the answer is computed (delivery, and its audit entry)."""
        task = asyncio.create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: "asyncio.Task[None]") -> None:
        self._pending.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("background work failed", extra={"error": type(error).__name__})

    async def _deliver(self, channel: Channel, message: CodeMessage, code_id: str) -> None:
        try:
            await self._senders[channel].send(message)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            # Never the code, never the address: the request id and what failed.
            log.warning(
                "code not delivered",
                extra={"code_id": code_id, "channel": channel, "error": type(error).__name__},
            )
        except Exception as error:  # a bug must not vanish with its task; no traceback:
            # its locals or message could carry the code
            log.error(
                "code delivery failed",
                extra={"code_id": code_id, "channel": channel, "error": type(error).__name__},
            )

    async def drain(self) -> None:
        """Wait for the deliveries under way (shutdown, tests)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)


def local_code_delivery(
    smtp_url: str, mail_from: str, timeout: float, sms_domain: str
) -> CodeDelivery:
    """E-mail over SMTP and SMS through the Mailpit sink (every profile today; a
    production SMS provider replaces ``MailpitSmsSink`` here)."""
    mailer = SmtpMailer(smtp_url, mail_from, timeout)
    return CodeDelivery(
        {
            "email": EmailCodeSender(mailer),
            "sms": SmsCodeSender(MailpitSmsSink(mailer, sms_domain)),
        }
    )
