"""The invoice PDF (EI-1, MT-1; issue 18 item 4): read back with pypdf (member, total,
structured reference, due date, in nl and fr; de reads fr), the same bytes for the same
invoice, and its EPC069-12 QR code decoded from the *rendered page* (poppler's
``pdftoppm`` to PNG, then zxing-cpp) and checked element by element."""

import io
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from billing.adapters.invoice_pdf import render
from billing.domain.invoice_document import InvalidInvoiceDocument, InvoiceDocument, PrintedLine
from billing.domain.mutualities import mutuality
from billing.domain.structured_reference import structured_reference
from PIL import Image
from pypdf import PdfReader
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs

REFERENCE = structured_reference(4_200_123)  # +++000/4200/12323+++


def document(language: str = "nl", name: str = "LM Plus", lines: int = 3) -> InvoiceDocument:
    return InvoiceDocument(
        mutuality=mutuality(name),
        member_name="Jan Peeters",
        member_address=("Kerkstraat 1", "1730 Asse"),
        member_number="ML-000123",
        language=language,
        invoice_number="2026-000123",
        issue_date=date(2026, 12, 1),
        due_date=date(2026, 12, 31),
        lines=tuple(
            PrintedLine(
                service_date=date(2026, 11, 2 + i % 25),
                beneficiary="Jan Peeters" if i % 2 == 0 else "Lotte Peeters",
                care_code=f"1010{i:02d}",
                description="Raadpleging huisarts" if i % 2 == 0 else "Kinesitherapie",
                amount=Decimal("12.50") + i,
            )
            for i in range(lines)
        ),
        structured_reference=REFERENCE,
    )


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # CLDR's (narrow) no-break spaces are printed as spaces; compare on plain spaces
    return text.replace("\xa0", " ")


def qr_payloads(pdf: bytes, tmp_path: Path, page: int) -> list[tuple[str, str]]:
    """The QR codes a real decoder finds on ``page`` rendered at 150 dpi."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm missing: Debian's poppler-utils (make setup installs it)")
    source = tmp_path / "invoice.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-f", str(page), "-l", str(page), source, tmp_path / "p"],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("p-*.png")
    with Image.open(png) as image:
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [(b.text, b.ec_level) for b in found]


@pytest.mark.parametrize(
    ("language", "labels", "total"),
    [
        ("nl", ("Factuur", "Vervaldag", "Gestructureerde mededeling", "Rechthebbende"), "€ 40,50"),
        ("fr", ("Facture", "Échéance", "Communication structurée", "Bénéficiaire"), "40,50 €"),
        # German-speaking members read the French text (texts in nl and fr only)
        ("de", ("Facture", "Échéance", "Communication structurée", "Bénéficiaire"), "40,50 €"),
    ],
)
def test_ei1_the_pdf_reads_back_with_member_total_reference_and_due_date(
    language: str, labels: tuple[str, ...], total: str
) -> None:
    """EI-1 / MT-1: the downloaded invoice shows the mutuality (name, address, IBAN), the
    member (name, number), each line, the total, the due date and the structured
    reference, in the member's language."""
    text = text_of(render(document(language)))
    for expected in (
        "LM Plus",
        "Kalkoven 22",
        "1730 Asse",
        "BE10 0689 9999 0104",
        "Jan Peeters",
        "Lotte Peeters",
        "ML-000123",
        "2026-000123",
        "31/12/2026",
        "01/12/2026",
        "101001",
        "Kinesitherapie",
        REFERENCE,
        total,
        *labels,
    ):
        assert expected in text, expected


def test_ei1_the_same_invoice_gives_the_same_bytes() -> None:
    """EI-1 (issue 18 item 2): render once, store; every download is the same bytes —
    the creation date is the issue date and no random id is written, also in another
    process (another hash seed)."""
    first = render(document())
    assert render(document()) == first
    code = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_invoice_pdf import document\n"
        "from billing.adapters.invoice_pdf import render\n"
        "sys.stdout.buffer.write(render(document()))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert other == first
    assert render(replace(document(), due_date=date(2027, 1, 15))) != first
    info = PdfReader(io.BytesIO(first)).metadata
    assert info is not None
    assert info.creation_date == datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "name"), [("nl", "LM Oost-Vlaanderen"), ("fr", "ML Liège-Luxembourg")]
)
def test_ei1_the_qr_code_decoded_from_the_rendered_page_is_an_epc069_12_payment(
    language: str, name: str, tmp_path: Path
) -> None:
    """EI-1 / MT-1 / EPC069-12: decoded by zxing-cpp from the page as poppler renders it:
    service tag, version 002, UTF-8, SCT, the mutuality's BIC, name and IBAN, the total
    in euro, no purpose, and the structured communication's 12 digits in the structured
    remittance element — nothing after it; error correction level M."""
    doc = document(language, name)
    found = qr_payloads(render(doc), tmp_path, page=1)
    assert len(found) == 1
    payload, ec_level = found[0]
    assert ec_level == "M"
    elements = payload.split("\n")
    assert len(elements) == 10
    service, version, charset, identification, bic, beneficiary, iban, amount = elements[:8]
    purpose, structured = elements[8:]
    assert service == "BCD"
    assert version == "002"
    assert charset == "1"
    assert identification == "SCT"
    assert bic == mutuality(name).bic
    assert beneficiary == name  # "ML Liège-Luxembourg": UTF-8 survives
    assert iban == mutuality(name).iban
    assert stdnum_iban.is_valid(iban)
    assert amount == "EUR40.50"
    assert Decimal(amount.removeprefix("EUR")) == doc.total
    assert purpose == ""
    assert structured == "000420012323"
    assert ogm_vcs.is_valid(structured)
    assert ogm_vcs.format(structured) == REFERENCE.strip("+")


def test_ei1_a_long_invoice_continues_and_the_qr_code_follows_the_last_line(
    tmp_path: Path,
) -> None:
    """EI-1: forty lines run over two pages (headings repeated); the payment block and
    its QR code come after the last line, with the total of all lines."""
    doc = document("fr", "ML Hainaut-Namur", lines=40)
    pdf = render(doc)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "Bénéficiaire" in reader.pages[1].extract_text()
    assert qr_payloads(pdf, tmp_path, page=1) == []
    second = tmp_path / "second"
    second.mkdir()
    (found,) = qr_payloads(pdf, second, page=2)
    assert found[0].split("\n")[7] == f"EUR{doc.total}"
    assert doc.total == Decimal("1280.00")


def test_ei1_a_partly_paid_invoice_asks_for_what_remains(tmp_path: Path) -> None:
    """EI-1: the QR code asks for the amount still due; the page shows both amounts."""
    doc = replace(document(), amount_due=Decimal("10.00"))
    pdf = render(doc)
    assert "Nog te betalen" in text_of(pdf)
    (found,) = qr_payloads(pdf, tmp_path, page=1)
    assert found[0].split("\n")[7] == "EUR10.00"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lines": ()}, "at least one line"),
        ({"due_date": date(2026, 11, 30)}, "due date"),
        ({"structured_reference": "+++000/4200/12324+++"}, "structured communication"),
        ({"amount_due": Decimal("41.00")}, "at most the total"),
    ],
)
def test_an_unprintable_invoice_is_refused(changes: dict[str, object], message: str) -> None:
    """EI-1: no PDF with a wrong reference, no lines or a due date before the issue."""
    with pytest.raises(InvalidInvoiceDocument, match=message):
        replace(document(), **changes)
