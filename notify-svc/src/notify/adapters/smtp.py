"""Sends e-mails over SMTP with aiosmtplib (plain, STARTTLS or implicit TLS from SMTP_URL)."""

from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

import aiosmtplib
from mylm_shared.failures import Unavailable

from notify.domain.messages import Email


class SmtpSender:
    def __init__(self, url: str, sender: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
            raise ValueError("SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or {"smtp": 25, "smtps": 465, "smtp+starttls": 587}[parts.scheme]
        self._username = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._tls = parts.scheme == "smtps"
        self._starttls = parts.scheme == "smtp+starttls"
        self._sender = sender
        self._timeout = timeout

    async def send(self, email: Email) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = email.message_id
        message.set_content(email.body)
        try:
            await self._send(message)
        except aiosmtplib.SMTPResponseException as error:
            if 400 <= error.code < 500:  # 4xx: the server asks us to try again later
                raise Unavailable(f"SMTP {error.code}") from error
            raise
        except (ConnectionError, TimeoutError) as error:  # refused, dropped, timed out
            raise Unavailable(f"SMTP server unreachable: {error!r}") from error

    async def _send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self._host,
            port=self._port,
            username=self._username,
            password=self._password,
            use_tls=self._tls,
            start_tls=self._starttls if self._starttls else False,
            timeout=self._timeout,
        )
