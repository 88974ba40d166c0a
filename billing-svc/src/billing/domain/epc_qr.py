"""The EPC069-12 payment QR code ("SEPA QR", "EPC QR", "GiroCode") printed on invoices
(EI-1, MT-1; issue 18 item 3).

EPC069-12 v3.0 ("Quick Response Code: Guidelines to Enable the Data Capture for the
Initiation of an SCT", European Payments Council), section 2.2: the payload is these
elements, one per line, separated by LF (``\\n``; CR LF is allowed too, never mixed),
the last populated element followed by nothing:

====  ===========================================  =======  ========================
 no.  element                                       length   here
====  ===========================================  =======  ========================
  1   Service Tag                                   3        ``BCD``
  2   Version                                       3        ``002`` (BIC optional)
  3   Character set                                 1        ``1`` = UTF-8
  4   Identification                                3        ``SCT``
  5   BIC of the beneficiary bank                   8/11     optional in 002
  6   Name of the beneficiary                       ≤ 70     the mutuality
  7   IBAN of the beneficiary                       ≤ 34     the mutuality's account
  8   Amount: ``EUR`` + amount, 0.01–999999999.99   ≤ 12+3   ``EUR123.45``
  9   Purpose (ISO 20022 purpose code)              4        empty
 10   Remittance information, structured            ≤ 35     the structured reference
 11   Remittance information, unstructured          ≤ 140    empty when 10 is set
 12   Beneficiary to originator information         ≤ 70     optional
====  ===========================================  =======  ========================

Fields 10 and 11 exclude each other; the whole payload is at most 331 bytes; the QR code
uses error correction level M, symbol version 13 at most.

**Which field Belgian banking apps read a Belgian structured communication from.** The
OGM/VCS (``+++123/4567/89002+++``) goes in field 10, *structured* remittance information,
as its 12 digits without the ``+++`` and ``/`` decoration (``123456789002``); field 11
stays empty. EPC069-12 says of field 10 that an ISO 11649 RF creditor reference "may be
used" — not that it must — and the Belgian SEPA credit transfer carries the OGM as a
structured creditor reference (issuer ``BBA``, code ``SCOR``, Febelfin's "XML-bericht voor
overschrijvingsopdracht"). Practice of Belgian invoicing software that is scanned by
Belgian banking apps:

* Odoo (Belgian publisher), ``addons/account_qr_code_sepa/models/res_bank.py``
  ``_get_qr_vals``: a valid structured reference goes in "Remittance Information
  (Structured)" and the unstructured line is left empty; its
  ``addons/account/tools/structured_reference.py`` sanitises ``+++020/3430/57642+++`` to
  ``020343057642`` and validates the Belgian mod-97 form;
* letspeppol (Belgian Peppol access point), issue #274 "Belgian structured payment
  communication is not encoded correctly in SEPA QR": in the unstructured field the
  user's banking app treated the OGM as a free message, not a structured communication;
  fixed by PR #286 ("Belgian OGM logic for SEPA QR"), which normalises it to its 12
  digits and passes it as the creditor reference (field 10);
* Dolibarr PR #38880 "use structured communication in SEPA QR code": same change, for the
  same reason ("banking apps scanning the QR code did not receive the structured
  reference").

Pure: segno only computes the symbol's modules; drawing it is the PDF adapter's job.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import segno
from mylm_shared.kernel.money import CENT, is_whole_cents
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum import iso11649
from stdnum.be import ogm_vcs

SERVICE_TAG = "BCD"
VERSION = "002"
CHARACTER_SET_UTF8 = "1"
IDENTIFICATION = "SCT"
SEPARATOR = "\n"
MAX_NAME = 70
MAX_IBAN = 34
MAX_STRUCTURED = 35
MAX_UNSTRUCTURED = 140
MAX_INFORMATION = 70
MAX_PAYLOAD_BYTES = 331
MAX_QR_VERSION = 13
ERROR_CORRECTION = "M"
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
_PURPOSE = re.compile(r"[A-Z]{4}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_OGM_PRINTED = re.compile(r"(\+{3}|\*{3})\d{3}/\d{4}/\d{5}(\+{3}|\*{3})")


class InvalidEpcPayment(ValueError):
    """The payment cannot be encoded per EPC069-12; the message says which element."""


def belgian_structured_reference_field(reference: str) -> str:
    """Field 10 for a Belgian structured communication: its 12 digits, no ``+++``/``/``.
    ``+++123/4567/89002+++`` -> ``123456789002``. Refuses anything that is not a valid
    OGM/VCS (mod 97, python-stdnum ``stdnum.be.ogm_vcs``)."""
    text = re.sub(r"\s", "", reference)
    digits = re.sub(r"[+*/]", "", text) if _OGM_PRINTED.fullmatch(text) else text
    if not (len(digits) == 12 and digits.isdigit() and ogm_vcs.is_valid(digits)):
        raise InvalidEpcPayment(f"{reference!r} is not a Belgian structured communication")
    return digits


def _text(element: str, value: str, limit: int, *, required: bool = False) -> str:
    if _CONTROL.search(value):
        raise InvalidEpcPayment(f"{element} contains a line break or control character")
    if value != value.strip():
        raise InvalidEpcPayment(f"{element} starts or ends with white space")
    if required and not value:
        raise InvalidEpcPayment(f"{element} is required")
    if len(value) > limit:
        raise InvalidEpcPayment(f"{element} is {len(value)} characters; at most {limit}")
    return value


def _amount(amount: Decimal) -> str:
    if not amount.is_finite():
        raise InvalidEpcPayment("the amount must be a number")
    if not is_whole_cents(amount):
        raise InvalidEpcPayment("the amount has at most two decimals (cents)")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise InvalidEpcPayment("the amount must be between EUR 0.01 and EUR 999999999.99")
    return f"EUR{amount.quantize(CENT):f}"


@dataclass(frozen=True)
class EpcPayment:
    """One SEPA credit transfer to pre-fill in the payer's banking app."""

    beneficiary_name: str
    iban: str
    amount: Decimal
    structured_reference: str = ""  # field 10: the Belgian OGM digits or an RF reference
    remittance_text: str = ""  # field 11: free text, only without a structured reference
    bic: str = ""
    purpose: str = ""
    information: str = ""  # field 12: shown to the payer, not sent with the payment

    def __post_init__(self) -> None:
        self.payload  # noqa: B018 — validated on construction: no invalid payment exists

    def elements(self) -> tuple[str, ...]:
        """The twelve elements of EPC069-12 section 2.2, in order (empty where absent)."""
        name = _text("the beneficiary name", self.beneficiary_name, MAX_NAME, required=True)
        iban = _text("the IBAN", self.iban, MAX_IBAN, required=True)
        if iban != stdnum_iban.compact(iban) or not stdnum_iban.is_valid(iban):
            raise InvalidEpcPayment(f"{iban!r} is not an IBAN in electronic form (no spaces)")
        bic = _text("the BIC", self.bic, 11)
        if bic and (bic != stdnum_bic.compact(bic) or not stdnum_bic.is_valid(bic)):
            raise InvalidEpcPayment(f"{bic!r} is not a BIC (8 or 11 characters)")
        purpose = _text("the purpose", self.purpose, 4)
        if purpose and not _PURPOSE.fullmatch(purpose):
            raise InvalidEpcPayment("the purpose is a four-letter ISO 20022 purpose code")
        structured = _text("the structured reference", self.structured_reference, MAX_STRUCTURED)
        if structured and not (
            (len(structured) == 12 and structured.isdigit() and ogm_vcs.is_valid(structured))
            or (structured.startswith("RF") and iso11649.is_valid(structured))
        ):
            raise InvalidEpcPayment(
                "the structured reference is a Belgian structured communication (12 digits) "
                "or an ISO 11649 RF reference"
            )
        text = _text("the remittance text", self.remittance_text, MAX_UNSTRUCTURED)
        if structured and text:
            raise InvalidEpcPayment(
                "structured and unstructured remittance information exclude each other"
            )
        information = _text("the information", self.information, MAX_INFORMATION)
        return (
            SERVICE_TAG,
            VERSION,
            CHARACTER_SET_UTF8,
            IDENTIFICATION,
            bic,
            name,
            iban,
            _amount(self.amount),
            purpose,
            structured,
            text,
            information,
        )

    @property
    def payload(self) -> str:
        """The QR code's content: the elements joined by LF, trailing empty ones dropped."""
        elements = list(self.elements())
        while not elements[-1]:
            elements.pop()
        payload = SEPARATOR.join(elements)
        size = len(payload.encode("utf-8"))
        if size > MAX_PAYLOAD_BYTES:
            raise InvalidEpcPayment(f"the payload is {size} bytes; at most {MAX_PAYLOAD_BYTES}")
        return payload


def invoice_payment(
    *, beneficiary_name: str, iban: str, bic: str, amount: Decimal, structured_reference: str
) -> EpcPayment:
    """The payment of an invoice: the amount to a mutuality's account with the invoice's
    Belgian structured communication in field 10 (see the module docstring)."""
    return EpcPayment(
        beneficiary_name=beneficiary_name[:MAX_NAME],
        iban=iban,
        bic=bic,
        amount=amount,
        structured_reference=belgian_structured_reference_field(structured_reference),
    )


def qr_symbol(payment: EpcPayment) -> segno.QRCode:
    """The QR code of ``payment``: byte mode, UTF-8 (character set 1), error correction
    level M exactly (``boost_error=False``: segno would otherwise raise it when the
    version has room), symbol version 13 at most."""
    symbol = segno.make_qr(
        payment.payload, error=ERROR_CORRECTION, boost_error=False, encoding="utf-8"
    )
    # unreachable within 331 bytes at level M; segno gives Micro QR versions as "M1"…
    if not isinstance(symbol.version, int) or symbol.version > MAX_QR_VERSION:
        raise InvalidEpcPayment(f"QR version {symbol.version} exceeds {MAX_QR_VERSION}")
    return symbol
