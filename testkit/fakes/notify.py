"""Fakes of notify-svc's ports (``notify.service.handlers``): recipients and the sender."""

from dataclasses import dataclass, field

from mylm_shared.mongo import Document
from notify.bootstrap import bootstrap
from notify.domain.messages import Email
from notify.service.use_cases import NotifyUseCases
from notify.settings import NotifySettings

from testkit.fakes.shared import apply_in_memory


@dataclass
class FakeRecipients:
    """``Recipients``: the projection (invoice e-mails on for a new recipient, ``as_of``
    ordering states as ``mylm_shared.projections`` does) and the e-mails claimed/sent."""

    recipients: dict[str, Document] = field(default_factory=dict)
    claims: set[str] = field(default_factory=set)
    sent: set[str] = field(default_factory=set)

    async def remember_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = {"email": email, "language": language, "first_name": first_name}
        on_insert = {"invoice_emails": True}
        apply_in_memory(self.recipients, member_id, fields, as_of, first=True, on_insert=on_insert)

    async def update_recipient(
        self, member_id: str, email: str | None, language: str, first_name: str, as_of: str
    ) -> None:
        fields = {"email": email, "language": language, "first_name": first_name}
        on_insert = {"invoice_emails": True}
        apply_in_memory(self.recipients, member_id, fields, as_of, first=False, on_insert=on_insert)

    async def recipient(self, member_id: str) -> Document | None:
        return self.recipients.get(member_id)

    async def claim_email(self, email_id: str, member_id: str, kind: str) -> str:
        if email_id in self.sent:
            return "sent"
        self.claims.add(email_id)
        return "sending"

    async def mark_sent(self, email_id: str) -> None:
        self.sent.add(email_id)


@dataclass
class FakeSender:
    """``EmailSender``: what would have been sent, in order."""

    outbox: list[Email] = field(default_factory=list)

    async def send(self, email: Email) -> None:
        self.outbox.append(email)


class NotifyFakes:
    """notify's ports faked; ``use_cases()`` wires them with ``notify.bootstrap.bootstrap``."""

    def __init__(self, settings: NotifySettings | None = None) -> None:
        self.settings = settings or NotifySettings(profile="test")
        self.recipients = FakeRecipients()
        self.sender = FakeSender()

    def use_cases(self) -> NotifyUseCases:
        return bootstrap(self.settings, recipients=self.recipients, sender=self.sender)
