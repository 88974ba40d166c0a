"""Where to send e-mail: the SMTP_URL every sender parses the same way.

``smtp://host:1025`` (plain, the local sink), ``smtp+starttls://user:pass@host:587``,
``smtps://user:pass@host:465`` (implicit TLS).

``email_message`` builds what every sender sends (issue 19 item 5): an e-mail is
multipart/alternative, its plain text first and the same words as HTML
(``mylm_shared.texts.Mail``); only an SMS handed to the local sink is text alone.
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

_DEFAULT_PORTS = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}


@dataclass(frozen=True)
class SmtpEndpoint:
    host: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool

    @classmethod
    def from_url(cls, url: str) -> "SmtpEndpoint":
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS:
            raise ValueError("SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or _DEFAULT_PORTS[parts.scheme],
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=parts.scheme == "smtps",
            start_tls=parts.scheme == "smtp+starttls",
        )

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments of ``aiosmtplib.SMTP`` / ``aiosmtplib.send``."""
        return {
            "hostname": self.host,
            "port": self.port,
            "username": self.username,
            "password": self.password,
            "use_tls": self.use_tls,
            "start_tls": self.start_tls,
        }


def email_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None,
    message_id: str | None = None,
) -> EmailMessage:
    """One e-mail: headers, the text part and (``html`` given) the HTML alternative after
    it, as clients prefer the last part they can show (RFC 2046 5.1.4)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="mylm.lm.be")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message
