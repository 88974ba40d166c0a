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

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import NAMESPACE_URL, uuid5

from mylm_shared import texts
from mylm_shared.events import MaintenanceAnnouncedV1, TermsChangedV1
from mylm_shared.kernel.periods import BRUSSELS

from inbox.domain.claims import ClaimKind

DocumentKind = (
    Literal[
        "invoice", "invoice_reminder", "policy_conditions", "terms_changed", "maintenance_announced"
    ]
    | ClaimKind
)


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

    @property
    def download(self) -> str | None:
        """Where the member fetches the PDF: policy-svc renders the special conditions,
        billing-svc an invoice (issue 18 item 2, EI-1: rendered once, the same bytes)."""
        if self.kind == "invoice":
            return f"/v1/invoices/{self.source_id}.pdf"
        if self.kind == "invoice_reminder":  # EI-5: source ``{invoice_id}:{level}``
            return f"/v1/invoices/{self.source_id.rsplit(':', 1)[0]}.pdf"
        if self.kind == "policy_conditions":
            policy_id = self.source_id.split(":", 1)[0]  # an amendment's: policy:amendment
            return f"/v1/policies/{policy_id}/conditions"
        return None


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
