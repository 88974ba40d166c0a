"""Documents in a member's secure inbox (IN-1): one per source object, never twice.

Kinds: ``invoice`` (care or premium, from billing), ``invoice_reminder`` (EI-5: reminder
1 or 2 of an overdue invoice, source id ``{invoice_id}:{level}``) and
``terms_changed`` (EI-6: new e-invoicing conditions, source id the version, the summary
in ``body``), ``maintenance_announced`` (EI-7: a maintenance window, source id the window
id, the reason in ``body``),
``policy_conditions`` (the special conditions of an issued policy, PC-1, and the new
ones of each accepted amendment, PC-7 —
source id ``{policy_id}:{amendment_id}``; the PDF of the current terms is served by
policy-svc), and the letters of a claim (``claim_*``, ``inbox.domain.claims``, CL-1), whose
text is in ``body``. Titles are the catalogue's (``mylm_shared.texts``).
"""

import base64
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from mylm_shared import texts
from mylm_shared.events import MaintenanceAnnouncedV1, PostalAddressV1, TermsChangedV1
from mylm_shared.kernel.periods import BRUSSELS

from inbox.domain.claims import ClaimKind

DocumentKind = (
    Literal[
        "invoice", "invoice_reminder", "policy_conditions", "terms_changed", "maintenance_announced"
    ]
    | ClaimKind
)


# Issue 19 item 2 (IN-3): how a document reached the member, exactly one of the two.
Channel = Literal["inbox", "paper"]
# Who posts a paper document: the inbox (``document.print_requested``), or billing-svc
# for an invoice it issued on paper (``invoice.print_requested``; EI-2: never twice).
Printer = Literal["inbox", "billing"]
# The service whose download serves a document's content (issue 19 item 1).
ContentService = Literal["inbox", "billing", "policy"]


@dataclass(frozen=True)
class Delivery:
    """The one channel a document was delivered on (IN-3), recorded with it."""

    channel: Channel
    printed_by: Printer | None = None  # paper only

    @property
    def requests_print(self) -> bool:
        """The inbox asks the print shop itself (``document.print_requested``)."""
        return self.channel == "paper" and self.printed_by == "inbox"


IN_THE_INBOX = Delivery("inbox")


def delivery_for(*, inbox_enabled: bool, posted_by_billing: bool = False) -> Delivery:
    """IN-3 and EI-2, the one channel of a new document.

    * An invoice billing-svc issued on paper (``channel: "paper"`` on ``invoice.issued``,
      EI-3: e-invoicing off) is posted by billing (``invoice.print_requested``): recorded
      as paper printed by billing, no second print request (EI-2: "LM zal geen
      duplicaten op papier leveren") and not in the inbox (one channel per document).
    * Otherwise the member's inbox decides (IN-3: "Je kan de Inbox op elk ogenblik
      activeren of deactiveren"): on, the inbox; off, paper, requested by the inbox.
    """
    if posted_by_billing:
        return Delivery("paper", "billing")
    return IN_THE_INBOX if inbox_enabled else Delivery("paper", "inbox")


@dataclass(frozen=True)
class ContentLink:
    """A document's content served by the service that owns it (a path on that service,
    the same path behind the gateway)."""

    service: ContentService
    path: str


@dataclass(frozen=True)
class InboxDocument:
    document_id: str
    member_id: str
    kind: DocumentKind
    title: str
    source_id: str
    created_at: datetime
    read: bool = False
    body: str | None = None  # a letter's plain text (claims); other kinds have only a title
    archived: bool = False
    delivery: Delivery = IN_THE_INBOX
    # A letter's PDF is rendered at filing and stored with it (issue 19 item 1).
    has_pdf: bool = False

    @property
    def download(self) -> str | None:
        """Where the member fetches the PDF: policy-svc renders the special conditions,
        billing-svc an invoice (issue 18 item 2, EI-1: rendered once, the same bytes)."""
        link = self.link
        return link.path if link is not None else None

    @property
    def link(self) -> ContentLink | None:
        """The owning service's download (invoices, reminders, policy conditions)."""
        if self.kind == "invoice":
            return ContentLink("billing", f"/v1/invoices/{self.source_id}.pdf")
        if self.kind == "invoice_reminder":  # EI-5: source ``{invoice_id}:{level}``
            invoice_id = self.source_id.rsplit(":", 1)[0]
            return ContentLink("billing", f"/v1/invoices/{invoice_id}.pdf")
        if self.kind == "policy_conditions":
            policy_id = self.source_id.split(":", 1)[0]  # an amendment's: policy:amendment
            return ContentLink("policy", f"/v1/policies/{policy_id}/conditions")
        return None

    @property
    def content(self) -> ContentLink | None:
        """What ``GET /v1/documents/{id}/content`` serves: the owning service's download,
        or the PDF stored here (inbox's own path); None: a document with a title only."""
        if self.link is not None:
            return self.link
        if self.has_pdf:
            return ContentLink("inbox", f"/v1/documents/{self.document_id}/content")
        return None

    @property
    def source(self) -> str:
        """The service whose event filed it (billing, policy or claims)."""
        if self.kind.startswith("claim_"):
            return "claims"
        return "policy" if self.kind == "policy_conditions" else "billing"

    @property
    def in_inbox(self) -> bool:
        """Delivered to the inbox (IN-1); a paper document is not in it (IN-3)."""
        return self.delivery.channel == "inbox"

    def for_delivery(self, delivery: Delivery) -> "InboxDocument":
        return replace(self, delivery=delivery)


class InvalidCursor(ValueError):
    """A ``cursor`` the listing did not hand out."""


@dataclass(frozen=True)
class Position:
    """Where a page ends in the listing's order: newest first, then by id."""

    created_at: datetime
    document_id: str

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), self.document_id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> "Position":
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            at, document_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
            created_at = datetime.fromisoformat(at)
        except (ValueError, TypeError) as error:
            raise InvalidCursor(cursor) from error
        if created_at.tzinfo is None or not isinstance(document_id, str):
            raise InvalidCursor(cursor)
        return cls(created_at, document_id)

    @classmethod
    def of(cls, document: InboxDocument) -> "Position":
        return cls(document.created_at, document.document_id)

    def precedes(self, document: InboxDocument) -> bool:
        """``document`` comes after this position in the listing's order."""
        if document.created_at != self.created_at:
            return document.created_at < self.created_at
        return document.document_id > self.document_id


@dataclass(frozen=True)
class DocumentQuery:
    """Issue 19 item 1: a page of a member's inbox, filtered. ``since`` inclusive,
    ``until`` exclusive (created time); ``after``: the previous page's last position."""

    kind: str | None = None
    read: bool | None = None
    archived: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    after: Position | None = None
    limit: int = 50

    def matches(self, document: InboxDocument) -> bool:
        """The same selection the store makes (the fake's and the tests' reference)."""
        return (
            document.in_inbox
            and (self.kind is None or document.kind == self.kind)
            and (self.read is None or document.read == self.read)
            and (self.archived is None or document.archived == self.archived)
            and (self.since is None or document.created_at >= self.since)
            and (self.until is None or document.created_at < self.until)
            and (self.after is None or self.after.precedes(document))
        )


@dataclass(frozen=True)
class DocumentPage:
    """``unread``: the member's unread documents in the inbox, not archived (the badge),
    whatever the filters; ``next_cursor``: None on the last page."""

    items: list[InboxDocument]
    unread: int
    next_cursor: str | None


def page_of(found: list[InboxDocument], limit: int, unread: int) -> DocumentPage:
    """``found``: up to ``limit + 1`` documents in order; one more means a next page."""
    items = found[:limit]
    more = len(found) > limit and bool(items)
    return DocumentPage(items, unread, Position.of(items[-1]).encode() if more else None)


def listing_order(document: InboxDocument) -> tuple[float, str]:
    """Newest first, then by id (the cursor's order)."""
    return (-document.created_at.timestamp(), document.document_id)


def document_id_for(kind: DocumentKind, source_id: str) -> str:
    """Deterministic: the same invoice always files the same document (idempotent effect)."""
    return str(uuid5(NAMESPACE_URL, f"mylm:inbox:{kind}:{source_id}"))


def invoice_title(
    language: str, reference: str, total: Decimal, due_date: date, *, premium: bool = False
) -> str:
    """IN-1; PC-8: a premium invoice is titled as a premium, not a care invoice."""
    return texts.title(
        "invoice",
        language,
        structured_reference=reference,
        amount=total,
        due_date=due_date,
        premium=premium,
    )


def reminder_source(invoice_id: str, level: int) -> str:
    """EI-5: one reminder document per invoice and level, however often it is requested."""
    return f"{invoice_id}:{level}"


def reminder_title(
    language: str, reference: str, outstanding: Decimal, due_date: date, level: int
) -> str:
    """EI-5: reminder 1 or 2 of an overdue invoice (the catalogue's ``invoice_reminder``)."""
    return texts.title(
        "invoice_reminder",
        language,
        structured_reference=reference,
        amount=outstanding,
        due_date=due_date,
        level=level,
    )


def conditions_title(language: str, start_date: date) -> str:
    """The start date written out ("1 januari 2026"), as on the conditions themselves."""
    return texts.title("policy_conditions", language, start=start_date, amended=False)


def amended_conditions_source(policy_id: str, amendment_id: str) -> str:
    """One document per accepted amendment (PC-7), its policy first (the download)."""
    return f"{policy_id}:{amendment_id}"


def new_conditions_title(language: str, effective_on: date) -> str:
    """PC-7/PC-8: an accepted amendment issues new special conditions from its effective
    date, written out as on the conditions."""
    return texts.title("policy_conditions", language, start=effective_on, amended=True)


def notice_document_id(kind: DocumentKind, source_id: str, member_id: str) -> str:
    """EI-6, EI-7: one document per notice and member (billing sends one event each)."""
    return document_id_for(kind, f"{source_id}:{member_id}")


def terms_letter(language: str, change: TermsChangedV1) -> tuple[str, str]:
    """EI-6: the title and the letter (what changes, in the member's language)."""
    facts = {
        "effective_on": change.effective_on,
        "version": change.version,
        "summary": change.summary,
    }
    return (
        texts.title("terms_changed", language, **facts),
        texts.render("terms_changed", "letter", language, **facts),
    )


def maintenance_letter(language: str, window: MaintenanceAnnouncedV1) -> tuple[str, str]:
    """EI-7: the title and the letter: when (Belgian time) and why."""
    starts = window.starts_at.astimezone(BRUSSELS)
    ends = window.ends_at.astimezone(BRUSSELS)
    facts = {
        "starts_on": starts.date(),
        "starts": starts.strftime("%H:%M"),
        "ends_on": ends.date(),
        "ends": ends.strftime("%H:%M"),
        "reason": window.reason,
    }
    return (
        texts.title("maintenance_announced", language, **facts),
        texts.render("maintenance_announced", "letter", language, **facts),
    )


@dataclass(frozen=True)
class MemberContact:
    """What the inbox knows of a member from the directory (``member.registered`` /
    ``member.updated``): the language of its titles and what the print shop needs."""

    language: str
    name: str = ""
    mutuality: str = ""
    address: PostalAddressV1 | None = None


@dataclass(frozen=True)
class PrintRequest:
    """IN-3: what the print shop needs to post a document (``document.print_requested``):
    the member's name and address as the directory last said (none known: the print
    shop takes it from the member file, ``address_missing``), the language, the document
    and where its PDF is."""

    document_id: str
    member_id: str
    kind: str
    title: str
    language: str
    member_name: str
    mutuality: str
    address: PostalAddressV1 | None
    content: ContentLink
    created_at: datetime

    @property
    def address_missing(self) -> bool:
        return self.address is None


def print_request(document: InboxDocument, contact: MemberContact | None) -> PrintRequest:
    """The print request of a document the inbox posts (``Delivery.requests_print``); its
    content is the owning service's PDF or the letter stored here."""
    content = document.content
    if content is None:
        raise ValueError(f"{document.kind} {document.document_id} has nothing to print")
    known = contact or MemberContact(language="nl")
    return PrintRequest(
        document_id=document.document_id,
        member_id=document.member_id,
        kind=document.kind,
        title=document.title,
        language=known.language,
        member_name=known.name,
        mutuality=known.mutuality,
        address=known.address,
        content=content,
        created_at=document.created_at,
    )
