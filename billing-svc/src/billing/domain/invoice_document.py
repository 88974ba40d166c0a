"""What an invoice PDF prints (EI-1, MT-1; issue 18 item 2): a plain, printable value,
built by the use case from the invoice, the member and the mutuality's reference data,
and handed to ``billing.adapters.invoice_pdf.render``.

Everything the page shows is here and nothing else is read while rendering, so the same
document gives the same bytes (render once, store; every download is identical).

Language: the member's (``nl``/``fr``/``de``). The invoice texts exist in Dutch and
French; a German-speaking member reads the French one, as for every text written in nl
and fr only (``mylm_shared.texts.languages.BILINGUAL``); an unknown language reads Dutch
(``language_of``).

Pure: no I/O.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from mylm_shared.kernel.money import ZERO, is_whole_cents
from mylm_shared.texts.languages import BILINGUAL, language_of

from billing.domain.epc_qr import EpcPayment, InvalidEpcPayment, invoice_payment
from billing.domain.mutualities import Mutuality


class InvalidInvoiceDocument(ValueError):
    """The document cannot be printed as given; the message says why."""


@dataclass(frozen=True)
class PostalAddress:
    """The member's postal address as the directory said (issue 18 item 3): on the PDF
    where a window envelope shows it, and in ``invoice.print_requested``."""

    street: str
    number: str
    postal_code: str
    municipality: str
    box: str | None = None
    country: str = "BE"

    def envelope_lines(self, language: str = "nl") -> tuple[str, ...]:
        """As bpost asks: "Kerkstraat 12 bus 3" / "Rue X 12 bte 3", then "1730 Asse";
        a country line only abroad (the ISO code, as the directory has it)."""
        box = ""
        if self.box:
            box = f" {'bus' if BILINGUAL[language_of(language)] == 'nl' else 'bte'} {self.box}"
        lines = (f"{self.street} {self.number}{box}", f"{self.postal_code} {self.municipality}")
        return lines if self.country == "BE" else (*lines, self.country)


@dataclass(frozen=True)
class PrintedLine:
    """One line (prestatie): when, for whom (a titular's invoice may carry lines of
    dependants), which care (the nomenclature code and its description), how much."""

    service_date: date
    beneficiary: str
    care_code: str
    description: str
    amount: Decimal

    def __post_init__(self) -> None:
        if not self.amount.is_finite() or not is_whole_cents(self.amount):
            raise InvalidInvoiceDocument("a line amount is a number with at most two decimals")
        if not self.description.strip():
            raise InvalidInvoiceDocument("a line needs a description")
        if not self.beneficiary.strip():
            raise InvalidInvoiceDocument("a line names its beneficiary")


@dataclass(frozen=True)
class InvoiceDocument:
    mutuality: Mutuality
    member_name: str
    member_address: tuple[str, ...]  # street, postal code + city, … (as on an envelope)
    member_number: str
    language: str  # the member's; see the module docstring for the fallback
    invoice_number: str
    issue_date: date
    due_date: date
    lines: tuple[PrintedLine, ...]
    structured_reference: str  # +++123/4567/89002+++
    # What remains to be paid when it differs from the total (a partial payment already
    # received); the QR code asks for this amount. None: the total.
    amount_due: Decimal | None = None

    def __post_init__(self) -> None:
        if not self.lines:
            raise InvalidInvoiceDocument("an invoice has at least one line")
        if self.due_date < self.issue_date:
            raise InvalidInvoiceDocument("the due date cannot be before the issue date")
        if not self.member_name.strip() or not self.invoice_number.strip():
            raise InvalidInvoiceDocument("the member's name and the invoice number are printed")
        if self.amount_due is not None and not (0 < self.amount_due <= self.total):
            raise InvalidInvoiceDocument("the amount due is positive and at most the total")
        try:
            self.payment  # noqa: B018 — validates IBAN, amount and reference (EPC069-12)
        except InvalidEpcPayment as exc:
            raise InvalidInvoiceDocument(str(exc)) from exc

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def to_pay(self) -> Decimal:
        return self.total if self.amount_due is None else self.amount_due

    @property
    def text_language(self) -> Literal["nl", "fr"]:
        """The language the invoice is printed in: nl or fr (de reads fr)."""
        return BILINGUAL[language_of(self.language)]

    @property
    def payment(self) -> EpcPayment:
        """The EPC069-12 payment its QR code carries: what is to pay, to the mutuality's
        account, with the structured communication in the structured field."""
        return invoice_payment(
            beneficiary_name=self.mutuality.name,
            iban=self.mutuality.iban,
            bic=self.mutuality.bic,
            amount=self.to_pay,
            structured_reference=self.structured_reference,
        )
