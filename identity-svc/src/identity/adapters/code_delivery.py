"""Delivering one-time codes (RG-2) to the contact on file: e-mail and SMS.

identity-svc sends codes itself, directly over SMTP: a code must never travel through
Kafka (it would sit in a topic, readable and replayable, for the retention time).

- ``CodeDelivery``: what the use cases call (``service/ports.py``), over one
  ``CodeSender`` per channel.
- E-mail: ``EmailCodeSender`` over ``SmtpMailer`` (aiosmtplib, SMTP_URL).
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
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

import aiosmtplib
from mylm_shared.smtp import SmtpEndpoint

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

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="mylm.lm.be")
        message.set_content(body)
        await aiosmtplib.send(message, **self._endpoint.client_options(), timeout=self._timeout)


_SUBJECTS: dict[Purpose, dict[Language, str]] = {
    "registration": {
        "nl": "Uw registratiecode voor My LM",
        "fr": "Votre code d'inscription à My LM",
        "de": "Ihr Registrierungscode für My LM",
    },
    "password-reset": {
        "nl": "Uw code om uw wachtwoord voor My LM te herstellen",
        "fr": "Votre code pour réinitialiser votre mot de passe My LM",
        "de": "Ihr Code zum Zurücksetzen Ihres My LM-Passworts",
    },
}
_EMAIL_BODIES: dict[Language, str] = {
    "nl": (
        "Beste,\n\nUw code is: {code}\n\nDe code is {minutes} minuten geldig. Deel hem met "
        "niemand: uw ziekenfonds vraagt hem nooit.\nHebt u niets gevraagd? Dan mag u dit "
        "bericht negeren.\n\nMy LM — Liberale Mutualiteit\n"
    ),
    "fr": (
        "Bonjour,\n\nVotre code est : {code}\n\nIl est valable {minutes} minutes. Ne le "
        "communiquez à personne : votre mutualité ne vous le demandera jamais.\nVous n'avez "
        "rien demandé ? Ignorez ce message.\n\nMy LM — Mutualité Libérale\n"
    ),
    "de": (
        "Guten Tag,\n\nIhr Code lautet: {code}\n\nEr ist {minutes} Minuten gültig. Geben Sie "
        "ihn niemandem weiter: Ihre Krankenkasse fragt nie danach.\nHaben Sie nichts "
        "angefordert? Dann ignorieren Sie diese Nachricht.\n\nMy LM — Liberale "
        "Krankenkasse\n"
    ),
}
_SMS_TEXTS: dict[Language, str] = {
    "nl": "My LM: uw code is {code}. {minutes} min geldig. Deel hem met niemand.",
    "fr": "My LM : votre code est {code}. Valable {minutes} min. Ne le partagez pas.",
    "de": "My LM: Ihr Code ist {code}. {minutes} Min. gültig. Nicht weitergeben.",
}


class EmailCodeSender:
    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer

    async def send(self, message: CodeMessage) -> None:
        body = _EMAIL_BODIES[message.language].format(code=message.code, minutes=_MINUTES)
        await self._mailer.send(message.to, _SUBJECTS[message.purpose][message.language], body)


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
