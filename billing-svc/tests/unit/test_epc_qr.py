"""The EPC069-12 payment QR code of an invoice (EI-1, MT-1; issue 18 item 3): the payload
element by element (EPC069-12 v3.0 section 2.2), the Belgian structured communication in
the structured remittance field (element 10) as its 12 digits, validation of every
element, and the symbol at error correction level M."""

from decimal import Decimal

import pytest
import zxingcpp
from billing.domain.epc_qr import (
    EpcPayment,
    InvalidEpcPayment,
    belgian_structured_reference_field,
    invoice_payment,
    qr_symbol,
)
from billing.domain.structured_reference import structured_reference
from PIL import Image

IBAN = "BE63068999990508"
REFERENCE = "+++123/4567/89002+++"


def lm_payment(**changes: object) -> EpcPayment:
    fields: dict[str, object] = {
        "beneficiary_name": "ML Liège-Luxembourg",
        "iban": IBAN,
        "bic": "GKCCBEBB",
        "amount": Decimal("123.45"),
        "structured_reference": "123456789002",
    }
    fields.update(changes)
    return EpcPayment(**fields)  # type: ignore[arg-type]


def test_ei1_payload_element_by_element_per_epc069_12() -> None:
    """EI-1 / EPC069-12 §2.2: BCD, version 002, character set 1 (UTF-8), SCT, BIC, name,
    IBAN, EUR amount, empty purpose, structured reference; the empty trailing elements
    (unstructured text, information) are dropped, the last element ends the payload."""
    payment = invoice_payment(
        beneficiary_name="ML Liège-Luxembourg",
        iban=IBAN,
        bic="GKCCBEBB",
        amount=Decimal("123.45"),
        structured_reference=REFERENCE,
    )
    payload = payment.payload
    assert not payload.endswith("\n")
    assert "\r" not in payload
    lines = payload.split("\n")
    assert lines == [
        "BCD",  # 1 service tag
        "002",  # 2 version
        "1",  # 3 character set: UTF-8
        "SCT",  # 4 identification
        "GKCCBEBB",  # 5 BIC
        "ML Liège-Luxembourg",  # 6 beneficiary name
        IBAN,  # 7 beneficiary IBAN
        "EUR123.45",  # 8 amount
        "",  # 9 purpose
        "123456789002",  # 10 structured remittance: the OGM's 12 digits
    ]
    assert len(payload.encode("utf-8")) <= 331


def test_ei1_the_structured_communication_goes_in_element_10_never_in_11() -> None:
    """EI-1: Belgian banking apps read the OGM/VCS from the structured field (10); the
    unstructured field (11) stays empty, so the payment carries a structured
    communication, not a free message."""
    elements = lm_payment(information="Factuur 2026-000123").elements()
    assert elements[9] == "123456789002"
    assert elements[10] == ""
    assert elements[11] == "Factuur 2026-000123"
    assert lm_payment(information="Factuur 2026-000123").payload.split("\n")[10] == ""


@pytest.mark.parametrize(
    ("printed", "digits"),
    [
        ("+++123/4567/89002+++", "123456789002"),
        ("***123/4567/89002***", "123456789002"),
        (" +++123/4567/89002+++ ", "123456789002"),
        ("123456789002", "123456789002"),
    ],
)
def test_belgian_structured_communication_becomes_its_12_digits(printed: str, digits: str) -> None:
    """EI-1: +++xxx/xxxx/xxxxx+++ (or ***…***) is written in element 10 without
    decoration; the mod-97 check (python-stdnum) still holds."""
    assert belgian_structured_reference_field(printed) == digits


def test_billings_own_references_fit_the_field() -> None:
    """EI-1: every reference billing issues (``structured_reference``) is accepted."""
    for sequence in (1, 97, 123, 9_999_999_999):
        field = belgian_structured_reference_field(structured_reference(sequence))
        assert len(field) == 12
        assert field.isdigit()


@pytest.mark.parametrize(
    "bad", ["+++123/4567/89003+++", "12345678900", "+++123/4567/8900+++", "RF18539007547034", ""]
)
def test_a_wrong_structured_communication_is_refused(bad: str) -> None:
    """EI-1: a reference with a wrong check or shape never reaches a QR code."""
    with pytest.raises(InvalidEpcPayment, match="Belgian structured communication"):
        belgian_structured_reference_field(bad)


def test_an_rf_creditor_reference_is_accepted_in_element_10() -> None:
    """EPC069-12: element 10 may carry an ISO 11649 RF creditor reference."""
    assert lm_payment(structured_reference="RF18539007547034").elements()[9] == ("RF18539007547034")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("0.01"), "EUR0.01"),
        (Decimal("1"), "EUR1.00"),
        (Decimal("1234.5"), "EUR1234.50"),
        (Decimal("999999999.99"), "EUR999999999.99"),
    ],
)
def test_amounts_are_eur_with_a_decimal_point(amount: Decimal, text: str) -> None:
    """EPC069-12 element 8: "EUR" then the amount, point as decimal separator, within
    0.01–999999999.99."""
    assert lm_payment(amount=amount).elements()[7] == text


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0"), "between"),
        (Decimal("-5.00"), "between"),
        (Decimal("1000000000.00"), "between"),
        (Decimal("1.005"), "two decimals"),
        (Decimal("NaN"), "number"),
    ],
)
def test_amounts_out_of_range_are_refused(amount: Decimal, message: str) -> None:
    """EPC069-12 element 8: 0.01 to 999999999.99, cents at most."""
    with pytest.raises(InvalidEpcPayment, match=message):
        lm_payment(amount=amount)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"beneficiary_name": "x" * 71}, "at most 70"),
        ({"beneficiary_name": ""}, "required"),
        ({"beneficiary_name": "LM\nPlus"}, "line break"),
        ({"beneficiary_name": " LM Plus"}, "white space"),
        ({"iban": "BE63 0689 9999 0508"}, "electronic form"),
        ({"iban": "BE63068999990509"}, "electronic form"),
        ({"iban": ""}, "required"),
        ({"bic": "GKCCBE"}, "BIC"),
        ({"purpose": "medical"}, "at most 4"),
        ({"purpose": "md01"}, "purpose code"),
        ({"structured_reference": "123456789003"}, "structured reference"),
        ({"structured_reference": "x" * 36}, "at most 35"),
        ({"remittance_text": "Factuur 1"}, "exclude each other"),
        ({"information": "i" * 71}, "at most 70"),
    ],
)
def test_every_element_is_validated(changes: dict[str, object], message: str) -> None:
    """EPC069-12 §2.2 lengths and formats: a clear error names the element."""
    with pytest.raises(InvalidEpcPayment, match=message):
        lm_payment(**changes)


def test_unstructured_text_alone_is_allowed_and_payload_size_is_capped() -> None:
    """EPC069-12: element 11 (≤ 140) without element 10; the payload is ≤ 331 bytes."""
    payment = lm_payment(structured_reference="", remittance_text="Factuur 2026-000123")
    assert payment.payload.split("\n")[9:] == ["", "Factuur 2026-000123"]
    too_big = {
        "beneficiary_name": "é" * 70,
        "structured_reference": "",
        "remittance_text": "é" * 140,
        "information": "é" * 70,
    }
    with pytest.raises(InvalidEpcPayment, match="at most 331"):
        lm_payment(**too_big)


def test_bic_is_optional_in_version_002() -> None:
    """EPC069-12 version 002: the BIC may be left empty within the EEA."""
    assert lm_payment(bic="").payload.split("\n")[4] == ""


def test_the_symbol_uses_error_correction_m_and_decodes_to_the_payload() -> None:
    """EI-1 / EPC069-12: error correction level M, version ≤ 13, UTF-8 bytes that a real
    decoder (zxing-cpp) reads back unchanged, accented beneficiary name included."""
    payment = lm_payment()
    symbol = qr_symbol(payment)
    assert symbol.error == "M"
    assert symbol.version <= 13
    rows = [list(row) for row in symbol.matrix_iter(scale=8, border=4)]
    image = Image.new("L", (len(rows[0]), len(rows)), 255)
    image.putdata([0 if dark else 255 for row in rows for dark in row])
    found = zxingcpp.read_barcodes(image)
    assert [b.text for b in found] == [payment.payload]
    assert found[0].ec_level == "M"
