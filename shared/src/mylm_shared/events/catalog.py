"""Every event type on the bus, with its versioned payload model."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from mylm_shared.events.envelope import EventSpec

Language = Literal["nl", "fr", "de"]


class _Payload(BaseModel):
    # A consumer ignores fields it does not know (forward compatibility).
    model_config = ConfigDict(extra="ignore")


class PostalAddressV1(_Payload):
    """A member's postal address (issue 18 item 3: paper invoices). ``country``: ISO
    3166-1 alpha-2; a Belgian ``postal_code`` is 4 digits (identity-svc validates)."""

    street: str
    number: str
    box: str | None = None
    postal_code: str
    municipality: str
    country: str = "BE"


class MemberRegisteredV1(_Payload):
    member_id: str
    email: str | None
    language: Language
    mutuality: str
    first_name: str
    last_name: str
    # Added compatibly (issue 7): the household and the birth date (dossier access, policy).
    birth_date: date | None = None
    titular_member_id: str | None = None
    # Added compatibly (issue 18 item 3, still v1): the postal address; absent or null in
    # events of before and for a member whose address the directory does not have.
    address: PostalAddressV1 | None = None


class MemberUpdatedV1(MemberRegisteredV1):
    """The member's whole current directory entry after a change, and what changed
    (``email``, ``mobile``, ``language``, ``titular_member_id``, names …)."""

    changed: list[str]


class AccountCreatedV1(_Payload):
    account_id: str
    member_id: str
    method: Literal["password", "csam"]
    terms_version: str
    terms_accepted_at: datetime


AccountStatus = Literal["active", "suspended", "ended"]


class AccountStatusChangedV1(_Payload):
    """An account's status changed, or its sessions were revoked (LF-2..LF-4).

    Every service refuses the account's access tokens issued before
    ``tokens_invalid_before`` (None: the tokens of before stay refused as they were)."""

    account_id: str
    member_id: str | None
    status: AccountStatus
    reason: str | None
    tokens_invalid_before: datetime | None


class AccessChangedV1(_Payload):
    """A dependant's choice about their titular's access to their dossier (AC-3, AC-5).

    When ``titular_may_access`` is false, every service refuses exchanged tokens for the
    dependant's dossier acting for the titular issued before ``changed_at``."""

    dependant_member_id: str
    titular_member_id: str | None
    titular_may_access: bool
    changed_at: datetime


class InvoiceLineV1(_Payload):
    service_date: date
    description: str
    amount: Decimal
    # Added compatibly (issue 18 item 1): the member the care was for (the invoiced
    # member or a dependant) and its care code (none on premium lines).
    beneficiary_id: str | None = None
    care_code: str | None = None


class InvoiceIssuedV1(_Payload):
    invoice_id: str
    member_id: str
    issue_date: date
    due_date: date
    total: Decimal
    currency: Literal["EUR"] = "EUR"
    structured_reference: str
    lines: list[InvoiceLineV1]
    # Added compatibly (issue 8): a premium invoice names its policy and term (PC-8).
    kind: Literal["care", "premium"] = "care"
    policy_id: str | None = None
    term_number: int | None = None
    # Added compatibly (issue 18, EI-2/EI-3): decided at issue from the member's
    # e-invoicing state; "paper" invoices are printed, never e-mailed.
    channel: Literal["electronic", "paper"] = "electronic"


class InvoiceCancelledV1(_Payload):
    """Staff cancelled an invoice by a credit note (issue 18 item 1; never a deletion).
    ``refund_due``: what the member had already paid on it."""

    invoice_id: str
    member_id: str
    structured_reference: str
    credit_note_id: str
    amount: Decimal
    refund_due: Decimal
    currency: Literal["EUR"] = "EUR"
    reason: str
    cancelled_at: datetime
    kind: Literal["care", "premium"] = "care"
    policy_id: str | None = None
    term_number: int | None = None


class InvoicePaidV1(_Payload):
    """The payments received for an invoice reach its total (the one that did on
    ``paid_on``, its value date). ``kind``/``policy_id``: a premium invoice names its
    policy (PC-4: the first premium paid activates the contract)."""

    invoice_id: str
    member_id: str
    structured_reference: str
    paid_total: Decimal
    currency: Literal["EUR"] = "EUR"
    paid_on: date
    kind: Literal["care", "premium"] = "care"
    policy_id: str | None = None
    term_number: int | None = None
    # Added compatibly (issue 8, PC-7/PC-8): a premium adjustment invoice names the
    # amendment; it is not the term's premium (PC-4 activation ignores it).
    adjustment_of: str | None = None


class InvoicePrintRequestedV1(_Payload):
    """Issue 18 item 3 (EI-2, EI-3): an invoice issued on the paper channel, for the print
    shop. ``pdf`` is the invoice's PDF on billing-svc; the language it is printed in (de
    falls back to fr). ``member_name`` and ``address`` (added compatibly, still v1) are
    the member's as the directory last said; a paper invoice is never dropped: with no
    known address, ``address`` is null and ``address_missing`` true, and the print shop
    takes the address from the mutuality's member file by ``member_id``."""

    invoice_id: str
    member_id: str
    language: Language
    mutuality: str
    pdf: str
    structured_reference: str
    total: Decimal
    currency: Literal["EUR"] = "EUR"
    due_date: date
    member_name: str = ""
    address: PostalAddressV1 | None = None
    address_missing: bool = False


class InvoiceOverdueV1(_Payload):
    """EI-5: an unpaid care invoice is overdue from ``overdue_on`` (the day after its due
    date)."""

    invoice_id: str
    member_id: str
    structured_reference: str
    due_date: date
    overdue_on: date
    outstanding: Decimal
    currency: Literal["EUR"] = "EUR"


class InvoiceReminderDueV1(_Payload):
    """EI-5: reminder ``level`` (1, 2) of an overdue care invoice, once each, on the
    member's current channel (``paper``: the print shop; ``electronic``: inbox, e-mail)."""

    invoice_id: str
    member_id: str
    level: int
    due_on: date
    structured_reference: str
    due_date: date
    outstanding: Decimal
    currency: Literal["EUR"] = "EUR"
    channel: Literal["electronic", "paper"]


class EInvoicingChangedV1(_Payload):
    """EI-2, EI-3: a member's e-invoicing was switched on or off, by whom and when
    (``changed_by``: ``member``, ``titular:<id>``, ``staff:<id>`` or ``system``)."""

    member_id: str
    enabled: bool
    since: datetime
    changed_by: str


class TermsChangedV1(_Payload):
    """EI-6: a new version of the e-invoicing conditions takes effect on ``effective_on``
    (at least 15 Belgian working days after ``published_on``); one event per e-invoicing
    member (billing fans out in paced batches from its outbox), ``summary`` in nl and fr."""

    member_id: str
    version: str
    effective_on: date
    published_on: date
    summary: "LocalizedTextV1"


class MaintenanceAnnouncedV1(_Payload):
    """EI-7: e-invoicing is suspended from ``starts_at`` to ``ends_at`` (one event per
    e-invoicing member, announced ahead; ``short_notice``: planned less than 3 days
    ahead), ``reason`` in nl and fr."""

    member_id: str
    window_id: str
    starts_at: datetime
    ends_at: datetime
    reason: "LocalizedTextV1"
    short_notice: bool = False


class PremiumV1(_Payload):
    """PC-8: net + taxes + contributions = total, in EUR (no indexation, PC-12)."""

    net: Decimal
    taxes: Decimal
    contributions: Decimal
    total: Decimal
    currency: Literal["EUR"] = "EUR"


class PolicyIssuedV1(_Payload):
    """The policyholder accepted the proposal: the contract exists (PC-1); cover still
    waits for the first premium (PC-4)."""

    policy_id: str
    member_id: str  # the policyholder
    formula: Literal["single", "family"]
    covers: list[str]
    threshold_pct: int
    start_date: date
    signed_on: date
    premium: PremiumV1


class PremiumDueV1(_Payload):
    """A premium falls due for a policy (PC-8): billing issues the premium invoice."""

    policy_id: str
    member_id: str
    term_number: int
    due_date: date
    premium: PremiumV1
    # Added compatibly (issue 8, PC-7/PC-8): set on the premium difference an accepted
    # amendment requests for a term already invoiced (the amendment id); billing issues
    # a separate invoice per (policy, term, amendment).
    adjustment_of: str | None = None


class PolicyTerminatedV1(_Payload):
    """The contract ends from ``effective_on`` (0:00): a termination (PC-6, PC-9..11) or
    a renewal objection (PC-5, ``reason`` ``renewal_objection``)."""

    policy_id: str
    member_id: str
    reason: str
    by: Literal["policyholder", "insurer"]
    rule: str
    notified_on: date
    effective_on: date


class PolicyActivatedV1(_Payload):
    """The first premium is paid: cover runs from ``cover_from`` (the start date, PC-4)."""

    policy_id: str
    member_id: str
    cover_from: date
    paid_on: date


class PolicyRenewedV1(_Payload):
    """A yearly term began by tacit renewal (PC-5): ``term_number`` runs from
    ``term_start`` up to (excluding) ``term_end``."""

    policy_id: str
    member_id: str
    term_number: int
    term_start: date
    term_end: date


class PolicyAmendedV1(_Payload):
    """An amendment took effect (PC-7): the terms from ``effective_on`` (retroactive to an
    aggravation), with the premium they carry."""

    policy_id: str
    member_id: str
    amendment_id: str
    kind: Literal["aggravation", "reduction"]
    formula: Literal["single", "family"]
    effective_on: date
    premium: PremiumV1


class PolicySuspendedV1(_Payload):
    """Cover is suspended from ``suspended_from`` for an unpaid premium after a formal
    notice (PC-8); it resumes on payment, unless the contract is terminated first."""

    policy_id: str
    member_id: str
    reason: Literal["non_payment"]
    notice_posted_on: date
    suspended_from: date


class AmendmentRemindedV1(_Payload):
    """A PC-7 deadline of an open amendment is near: the policyholder is reminded
    (``step``: what is awaited from them, by ``deadline`` inclusive)."""

    amendment_id: str
    policy_id: str
    member_id: str
    step: Literal["accept_proposal", "agree_reduction"]
    deadline: date


class LocalizedTextV1(_Payload):
    """The same words for the member in Dutch and French (claims' reasons, CL-1)."""

    nl: str
    fr: str


class ClaimDeadlineV1(_Payload):
    """A promised step of a claim with its last day (inclusive, PA-8, LA-6, LA-8)."""

    kind: Literal[
        "advance",  # PA-8: within 4 months of the declaration
        "provisional_offer",  # PA-8
        "final_offer",  # PA-8: within 3 months of the consolidation report
        "payment",  # PA-8: 1 month / LA-6: 30 days after accepting the offer
        "lar_reimbursement",  # LA-6: unresolved 5 months after the declaration
        "lar_refund",  # LA-8: the merchant did not settle within 3 months
        "documents",  # the claimant's documents (CL-1)
    ]
    by: Literal["insurer", "member"]
    due_on: date
    rule: str


class ClaimDeclaredV1(_Payload):
    """A member (or a titular for a dependant) declared a claim (CL-1): the claimant's
    acknowledgement names the claim number and the next deadline."""

    claim_id: str
    claim_number: str
    member_id: str  # the claimant (an insured person)
    policy_id: str
    cover: str
    event_date: date
    declared_on: date
    late_declaration: bool  # CL-2: flagged, staff decide
    next_deadline: ClaimDeadlineV1 | None = None
    # Added compatibly (issue 15 item 7): the titular's member id when a titular declared
    # acting for the claimant (an exchanged token); None when the claimant or staff did.
    acted_by: str | None = None


class ClaimDocumentsRequestedV1(_Payload):
    claim_id: str
    claim_number: str
    member_id: str
    documents: list[str]
    respond_by: date | None = None


class ClaimAcceptedV1(_Payload):
    """The claim is covered (in part): the rules that applied and why."""

    claim_id: str
    claim_number: str
    member_id: str
    outcome: Literal["covered", "covered_in_part"]
    rules: list[str]
    reason: LocalizedTextV1
    ceiling: Decimal | None = None
    deductible: Decimal | None = None
    overridden: bool = False  # staff decided otherwise than the engine (with a reason)


class ClaimRejectedV1(_Payload):
    claim_id: str
    claim_number: str
    member_id: str
    rules: list[str]
    reason: LocalizedTextV1
    overridden: bool = False


class ClaimOfferMadeV1(_Payload):
    claim_id: str
    claim_number: str
    member_id: str
    offer_id: str
    kind: Literal["advance", "provisional", "final"]
    amount: Decimal
    currency: Literal["EUR"] = "EUR"
    respond_by: date | None = None


class ClaimOfferAcceptedV1(_Payload):
    claim_id: str
    claim_number: str
    member_id: str
    offer_id: str
    amount: Decimal
    currency: Literal["EUR"] = "EUR"
    accepted_on: date
    pay_by: date  # PA-8: 1 month; LA-6: 30 days
    acted_by: str | None = None  # issue 15 item 7: the titular acting for the claimant


class ClaimPayoutAccountChangedV1(_Payload):
    """The account a claim's payout goes to was set (an offer accepted) or changed
    (issue 15 item 7): the claimant is told by e-mail. The account is masked."""

    claim_id: str
    claim_number: str
    member_id: str  # the claimant
    payout_id: str
    iban_last4: str
    previous_iban_last4: str | None = None  # None: the claim's first payout account
    changed_at: datetime
    acted_by: str | None = None  # the titular acting for the claimant


class ClaimPaidV1(_Payload):
    claim_id: str
    claim_number: str
    member_id: str
    payout_id: str
    offer_id: str
    amount: Decimal
    currency: Literal["EUR"] = "EUR"
    iban_last4: str  # the member's account, masked
    paid_on: date


class ClaimClosedV1(_Payload):
    claim_id: str
    claim_number: str
    member_id: str
    closed_on: date
    reason: str


class AuditCheckpointV1(_Payload):
    """The head of one audit trail (LF-5, issue 15 item 6): its last ``seq`` and that
    entry's HMAC ``hash``, taken ``at``; ``mac`` is the HMAC of these under the audit key
    ``key_id``. Kept for ever (compacted by trail): a stored trail shorter than its
    checkpoint was truncated."""

    trail: str
    seq: int
    hash: str
    at: str
    key_id: str
    mac: str


class DocumentPrintRequestedV1(_Payload):
    """Issue 19 item 2 (IN-3): a document for a member whose inbox is off goes by post,
    for the print shop (as ``invoice.print_requested``). ``content``: the path of the
    PDF to print on ``content_service`` (billing-svc's invoice PDF, policy-svc's
    conditions, or the letter inbox-svc rendered and stores: ``/v1/documents/{id}/content``
    on inbox-svc). ``member_name`` and ``address`` are the member's as the directory last
    said; with no known address, ``address`` is null and ``address_missing`` true (never
    dropped: the print shop takes the address from the member file by ``member_id``)."""

    document_id: str
    member_id: str
    kind: str
    title: str
    language: Language
    mutuality: str = ""
    member_name: str = ""
    address: PostalAddressV1 | None = None
    address_missing: bool = False
    content: str
    content_service: Literal["inbox", "billing", "policy"]
    created_at: datetime


class MessageReceivedV1(_Payload):
    """ES-1..ES-3 (issue 19 item 3): a member sent the mutuality a message, for staff
    tooling. ``verification``: ``valid`` (eID signature verified), ``rejected`` (signed,
    but not acceptable: ``reason`` says why, e.g. a blocked card) or ``unsigned``;
    ``sent_by``: the account that sent it (a titular's when acting for a dependant). The
    message itself is read at ``GET /v1/messages/{message_id}`` on inbox-svc."""

    message_id: str
    member_id: str
    subject: str
    verification: Literal["valid", "rejected", "unsigned"]
    reason: str | None = None
    signer_subject: str | None = None
    content_sha256: str
    attachments: int = 0
    received_at: datetime
    sent_by: str
    acting_for: str | None = None


class InboxSettingsChangedV1(_Payload):
    """IN-3: a member's inbox was switched on or off, by whom (``changed_by``:
    ``member``, ``titular:<id>``, ``staff:<id>``) and from when; off, new documents go by
    post (``document.print_requested``)."""

    member_id: str
    enabled: bool
    since: datetime
    changed_by: str


MEMBER_REGISTERED: EventSpec[MemberRegisteredV1] = EventSpec(
    topic="member.registered",
    event_type="be.mylm.member.registered.v1",
    model=MemberRegisteredV1,
    description="A member is known to My LM (directory entry with contact data and language).",
)
INVOICE_ISSUED: EventSpec[InvoiceIssuedV1] = EventSpec(
    topic="invoice.issued",
    event_type="be.mylm.invoice.issued.v1",
    model=InvoiceIssuedV1,
    description="Staff issued an invoice to a member (EI-1, EI-4).",
)
INVOICE_PAID: EventSpec[InvoicePaidV1] = EventSpec(
    topic="invoice.paid",
    event_type="be.mylm.invoice.paid.v1",
    model=InvoicePaidV1,
    description="An invoice is paid in full by the payments matched to its structured reference.",
)
INVOICE_CANCELLED: EventSpec[InvoiceCancelledV1] = EventSpec(
    topic="invoice.cancelled",
    event_type="be.mylm.invoice.cancelled.v1",
    model=InvoiceCancelledV1,
    description="Staff cancelled an invoice by a credit note, with a reason (issue 18).",
)

INVOICE_PRINT_REQUESTED: EventSpec[InvoicePrintRequestedV1] = EventSpec(
    topic="invoice.print_requested",
    event_type="be.mylm.invoice.print_requested.v1",
    model=InvoicePrintRequestedV1,
    description="An invoice issued on paper: the print shop prints and posts it (EI-3).",
)
INVOICE_OVERDUE: EventSpec[InvoiceOverdueV1] = EventSpec(
    topic="invoice.overdue",
    event_type="be.mylm.invoice.overdue.v1",
    model=InvoiceOverdueV1,
    description="An unpaid care invoice is overdue, the day after its due date (EI-5).",
)
INVOICE_REMINDER_DUE: EventSpec[InvoiceReminderDueV1] = EventSpec(
    topic="invoice.reminder_due",
    event_type="be.mylm.invoice.reminder_due.v1",
    model=InvoiceReminderDueV1,
    description="A reminder (level 1 or 2) of an overdue care invoice is due (EI-5).",
)
EINVOICING_CHANGED: EventSpec[EInvoicingChangedV1] = EventSpec(
    topic="einvoicing.changed",
    event_type="be.mylm.einvoicing.changed.v1",
    model=EInvoicingChangedV1,
    description="A member's e-invoicing was switched on or off (EI-2, EI-3).",
)
TERMS_CHANGED: EventSpec[TermsChangedV1] = EventSpec(
    topic="terms.changed",
    event_type="be.mylm.terms.changed.v1",
    model=TermsChangedV1,
    description="New e-invoicing conditions announced to an e-invoicing member (EI-6).",
)
MAINTENANCE_ANNOUNCED: EventSpec[MaintenanceAnnouncedV1] = EventSpec(
    topic="maintenance.announced",
    event_type="be.mylm.maintenance.announced.v1",
    model=MaintenanceAnnouncedV1,
    description="A maintenance window of e-invoicing announced to a member (EI-7).",
)

MEMBER_UPDATED: EventSpec[MemberUpdatedV1] = EventSpec(
    topic="member.updated",
    event_type="be.mylm.member.updated.v1",
    model=MemberUpdatedV1,
    description="A member's directory entry changed (contact, language, household, names).",
)
ACCOUNT_CREATED: EventSpec[AccountCreatedV1] = EventSpec(
    topic="account.created",
    event_type="be.mylm.account.created.v1",
    model=AccountCreatedV1,
    description="A member registered in My LM and accepted the terms (RG-3, RG-4, RG-5).",
)
ACCOUNT_STATUS_CHANGED: EventSpec[AccountStatusChangedV1] = EventSpec(
    topic="account.status_changed",
    event_type="be.mylm.account.status_changed.v1",
    model=AccountStatusChangedV1,
    description="An account was suspended, reactivated, ended or reported compromised (LF-1..4).",
)
ACCESS_CHANGED: EventSpec[AccessChangedV1] = EventSpec(
    topic="access.changed",
    event_type="be.mylm.access.changed.v1",
    model=AccessChangedV1,
    description="A dependant revoked, restored, granted or withdrew their titular's access.",
)

POLICY_ISSUED: EventSpec[PolicyIssuedV1] = EventSpec(
    topic="policy.issued",
    event_type="be.mylm.policy.issued.v1",
    model=PolicyIssuedV1,
    description="A policyholder accepted a proposal: the contract is issued (PC-1, PC-4).",
)
PREMIUM_DUE: EventSpec[PremiumDueV1] = EventSpec(
    topic="premium.due",
    event_type="be.mylm.premium.due.v1",
    model=PremiumDueV1,
    description="A policy's premium falls due (PC-8): billing invoices the policyholder.",
)
POLICY_TERMINATED: EventSpec[PolicyTerminatedV1] = EventSpec(
    topic="policy.terminated",
    event_type="be.mylm.policy.terminated.v1",
    model=PolicyTerminatedV1,
    description="A contract ends on a date, with the reason and rule (PC-5, PC-6, PC-9..11).",
)

POLICY_ACTIVATED: EventSpec[PolicyActivatedV1] = EventSpec(
    topic="policy.activated",
    event_type="be.mylm.policy.activated.v1",
    model=PolicyActivatedV1,
    description="The first premium of a contract is paid: cover runs from its start (PC-4).",
)
POLICY_RENEWED: EventSpec[PolicyRenewedV1] = EventSpec(
    topic="policy.renewed",
    event_type="be.mylm.policy.renewed.v1",
    model=PolicyRenewedV1,
    description="A contract renewed tacitly for a year (PC-5).",
)
POLICY_AMENDED: EventSpec[PolicyAmendedV1] = EventSpec(
    topic="policy.amended",
    event_type="be.mylm.policy.amended.v1",
    model=PolicyAmendedV1,
    description="An amendment of a contract's terms took effect (PC-7).",
)
POLICY_SUSPENDED: EventSpec[PolicySuspendedV1] = EventSpec(
    topic="policy.suspended",
    event_type="be.mylm.policy.suspended.v1",
    model=PolicySuspendedV1,
    description="Cover is suspended for an unpaid premium after a formal notice (PC-8).",
)
AMENDMENT_REMINDED: EventSpec[AmendmentRemindedV1] = EventSpec(
    topic="amendment.reminded",
    event_type="be.mylm.amendment.reminded.v1",
    model=AmendmentRemindedV1,
    description="A policyholder is reminded of an amendment deadline (PC-7).",
)

CLAIM_DECLARED: EventSpec[ClaimDeclaredV1] = EventSpec(
    topic="claim.declared",
    event_type="be.mylm.claim.declared.v1",
    model=ClaimDeclaredV1,
    description="A claim was declared (CL-1); late declarations are flagged (CL-2).",
)
CLAIM_DOCUMENTS_REQUESTED: EventSpec[ClaimDocumentsRequestedV1] = EventSpec(
    topic="claim.documents_requested",
    event_type="be.mylm.claim.documents_requested.v1",
    model=ClaimDocumentsRequestedV1,
    description="The insurer asks the claimant for documents (CL-1).",
)
CLAIM_ACCEPTED: EventSpec[ClaimAcceptedV1] = EventSpec(
    topic="claim.accepted",
    event_type="be.mylm.claim.accepted.v1",
    model=ClaimAcceptedV1,
    description="A claim is covered, in full or in part, with the rules that applied.",
)
CLAIM_REJECTED: EventSpec[ClaimRejectedV1] = EventSpec(
    topic="claim.rejected",
    event_type="be.mylm.claim.rejected.v1",
    model=ClaimRejectedV1,
    description="A claim is rejected, with the rules that applied and the reason.",
)
CLAIM_OFFER_MADE: EventSpec[ClaimOfferMadeV1] = EventSpec(
    topic="claim.offer_made",
    event_type="be.mylm.claim.offer_made.v1",
    model=ClaimOfferMadeV1,
    description="The insurer offers an amount (advance, provisional or final offer, PA-8).",
)
CLAIM_OFFER_ACCEPTED: EventSpec[ClaimOfferAcceptedV1] = EventSpec(
    topic="claim.offer_accepted",
    event_type="be.mylm.claim.offer_accepted.v1",
    model=ClaimOfferAcceptedV1,
    description="The member accepted an offer; payment is due by pay_by (PA-8, LA-6).",
)
CLAIM_PAID: EventSpec[ClaimPaidV1] = EventSpec(
    topic="claim.paid",
    event_type="be.mylm.claim.paid.v1",
    model=ClaimPaidV1,
    description="A payout was made to the member's account.",
)
CLAIM_PAYOUT_ACCOUNT_CHANGED: EventSpec[ClaimPayoutAccountChangedV1] = EventSpec(
    topic="claim.payout_account_changed",
    event_type="be.mylm.claim.payout_account_changed.v1",
    model=ClaimPayoutAccountChangedV1,
    description="A claim's payout account was set or changed (masked), issue 15 item 7.",
)
CLAIM_CLOSED: EventSpec[ClaimClosedV1] = EventSpec(
    topic="claim.closed",
    event_type="be.mylm.claim.closed.v1",
    model=ClaimClosedV1,
    description="A claim was closed.",
)

DOCUMENT_PRINT_REQUESTED: EventSpec[DocumentPrintRequestedV1] = EventSpec(
    topic="document.print_requested",
    event_type="be.mylm.document.print_requested.v1",
    model=DocumentPrintRequestedV1,
    description="A document for a member whose inbox is off: the print shop posts it (IN-3).",
)
INBOX_SETTINGS_CHANGED: EventSpec[InboxSettingsChangedV1] = EventSpec(
    topic="inbox.settings_changed",
    event_type="be.mylm.inbox.settings_changed.v1",
    model=InboxSettingsChangedV1,
    description="A member's inbox was switched on or off (IN-3).",
)

MESSAGE_RECEIVED: EventSpec[MessageReceivedV1] = EventSpec(
    topic="message.received",
    event_type="be.mylm.message.received.v1",
    model=MessageReceivedV1,
    description="A member sent the mutuality a message, eID-signed or not (ES-1..ES-3).",
)

MESSAGE_CHECKPOINT: EventSpec[AuditCheckpointV1] = EventSpec(
    topic="message.checkpoint",
    event_type="be.mylm.message.checkpoint.v1",
    model=AuditCheckpointV1,
    description="The HMAC'd head of a member's chain of received messages (ES-2).",
)
AUDIT_CHECKPOINT: EventSpec[AuditCheckpointV1] = EventSpec(
    topic="audit.checkpoint",
    event_type="be.mylm.audit.checkpoint.v1",
    model=AuditCheckpointV1,
    description="The HMAC'd head of an audit trail, published periodically (LF-5).",
)

# Every EventSpec above, in the order declared: a new event is declared once, here (the
# services manifest test checks each is produced by exactly one service).
ALL_EVENTS: tuple[EventSpec[Any], ...] = tuple(
    value for value in tuple(globals().values()) if isinstance(value, EventSpec)
)
