"""Sends e-mails over SMTP with aiosmtplib (plain, STARTTLS or implicit TLS from SMTP_URL).

Connections are kept open and reused (a small pool, one per concurrent sender): a new
connection per e-mail (connect, EHLO, STARTTLS, AUTH … QUIT) costs more than the e-mail.
A connection the server closed meanwhile is replaced and the e-mail sent on the new one.
"""

import asyncio
from email.message import EmailMessage

import aiosmtplib
from mylm_shared.failures import Unavailable
from mylm_shared.smtp import SmtpEndpoint, email_message

from notify.domain.delivery import SendRejected
from notify.domain.messages import Email


class SmtpSender:
    def __init__(self, url: str, sender: str, timeout: float) -> None:
        self._endpoint = SmtpEndpoint.from_url(url)
        self._sender = sender
        self._timeout = timeout
        self._idle: asyncio.Queue[aiosmtplib.SMTP] = asyncio.Queue()

    async def send(self, email: Email) -> None:
        # issue 19 item 5: multipart/alternative, the text part first, then the HTML
        message = email_message(
            sender=self._sender,
            to=email.to,
            subject=email.subject,
            text=email.body,
            html=email.html,
            message_id=email.message_id,
        )
        try:
            await self._send(message)
        except aiosmtplib.SMTPRecipientsRefused as error:  # issue 19 item 6: per recipient
            raise _classified(error.recipients[0]) from error
        except aiosmtplib.SMTPResponseException as error:
            raise _classified(error) from error
        except (ConnectionError, TimeoutError) as error:  # refused, dropped, timed out
            raise Unavailable(f"SMTP server unreachable: {error!r}") from error

    async def _send(self, message: EmailMessage) -> None:
        client = await self._connection()
        try:
            try:
                await client.send_message(message)
            except aiosmtplib.SMTPServerDisconnected:
                # An idle connection the server dropped: once more on a fresh one.
                client.close()
                client = await self._connect()
                await client.send_message(message)
        except BaseException:
            client.close()
            raise
        self._idle.put_nowait(client)

    async def _connection(self) -> aiosmtplib.SMTP:
        while not self._idle.empty():
            client = self._idle.get_nowait()
            if client.is_connected:
                return client
        return await self._connect()

    async def _connect(self) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(**self._endpoint.client_options(), timeout=self._timeout)
        await client.connect()
        return client

    async def close(self) -> None:
        while not self._idle.empty():
            client = self._idle.get_nowait()
            if client.is_connected:
                try:
                    await client.quit()
                except aiosmtplib.SMTPException:
                    client.close()


def _classified(error: aiosmtplib.SMTPResponseException) -> Exception:
    """4xx: the server asks us to try again later (``Unavailable``); 5xx: it refuses the
    e-mail for good (``SendRejected``, recorded as failed, issue 19 item 6)."""
    if 400 <= error.code < 500:
        return Unavailable(f"SMTP {error.code}: {error.message}"[:500])
    return SendRejected(error.code, error.message[:500])
