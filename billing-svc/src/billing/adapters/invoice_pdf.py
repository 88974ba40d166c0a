"""An invoice as a PDF with its EPC069-12 payment QR code (EI-1, MT-1; issue 18 item 4).

``render(document) -> bytes``: A4, in the member's language (nl or fr; de reads fr, see
``billing.domain.invoice_document``): the mutuality's name, address and contact (MT-1),
the member's name, address and number, invoice number, issue and due date, the lines
(service date, beneficiary, care code, description, amount), the total, a payment block
with the mutuality's IBAN/BIC, the structured communication and the QR code that Belgian
banking apps scan (``billing.domain.epc_qr``), and the EI-5 notice.

fpdf2 with the standard Helvetica font (Windows-1252, ``mylm_shared.kernel.printable``),
as policy-svc's conditions PDF. The QR code is drawn as vector rectangles (no image, no
resampling): sharp at any zoom and print resolution.

Deterministic: the same document gives the same bytes. The creation date is the issue
date (midnight UTC), not the clock; fpdf2 derives the file /ID from the content; nothing
random is written.
"""

from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from mylm_shared.kernel.formatting import day, euro
from mylm_shared.kernel.printable import ENCODING, cp1252_printable

from billing.domain.epc_qr import qr_symbol
from billing.domain.invoice_document import InvoiceDocument

FONT = "Helvetica"
MARGIN = 18.0  # mm
QR_SIDE = 36.0  # mm, quiet zone (4 modules) included: ~0.8 mm per module at version 5
ADDRESS_X = 112.0  # the window of a DL envelope
ADDRESS_Y = 50.0
PAYMENT_BLOCK = 62.0  # mm needed below the table for the payment block and the notice
GREY = 235

Text = Literal[
    "title",
    "invoice_number",
    "issue_date",
    "due_date",
    "member_number",
    "lines",
    "date",
    "beneficiary",
    "code",
    "description",
    "amount",
    "total",
    "to_pay",
    "payment",
    "pay_before",
    "payee",
    "iban",
    "bic",
    "reference",
    "scan",
    "ei5",
    "demo",
    "page",
]

TEXTS: dict[str, dict[Text, str]] = {
    "nl": {
        "title": "Factuur",
        "invoice_number": "Factuurnummer",
        "issue_date": "Factuurdatum",
        "due_date": "Vervaldag",
        "member_number": "Lidnummer",
        "lines": "Aangerekende prestaties",
        "date": "Datum",
        "beneficiary": "Rechthebbende",
        "code": "Code",
        "description": "Omschrijving",
        "amount": "Bedrag",
        "total": "Totaal",
        "to_pay": "Nog te betalen",
        "payment": "Betaling",
        "pay_before": "Te betalen vóór {due}",
        "payee": "Ten gunste van",
        "iban": "Rekening (IBAN)",
        "bic": "BIC",
        "reference": "Gestructureerde mededeling",
        "scan": "Scan met uw bank-app om te betalen",
        "ei5": (
            "Betaal deze factuur vóór de vervaldag, ook als u de melding ervan niet ontvangen, "
            "geopend of gelezen hebt. Vermeld altijd de gestructureerde mededeling."
        ),
        "demo": "Demorekening: niet voor echte betalingen",
        "page": "Pagina",
    },
    "fr": {
        "title": "Facture",
        "invoice_number": "Numéro de facture",
        "issue_date": "Date de facture",
        "due_date": "Échéance",
        "member_number": "Numéro de membre",
        "lines": "Prestations facturées",
        "date": "Date",
        "beneficiary": "Bénéficiaire",
        "code": "Code",
        "description": "Description",
        "amount": "Montant",
        "total": "Total",
        "to_pay": "Reste à payer",
        "payment": "Paiement",
        "pay_before": "À payer avant le {due}",
        "payee": "Au nom de",
        "iban": "Compte (IBAN)",
        "bic": "BIC",
        "reference": "Communication structurée",
        "scan": "Scannez avec votre app bancaire pour payer",
        "ei5": (
            "Veuillez payer cette facture avant l'échéance, même si vous n'avez pas reçu, "
            "ouvert ou lu la notification. Mentionnez toujours la communication structurée."
        ),
        "demo": "Compte de démonstration : pas de vrais paiements",
        "page": "Page",
    },
}


def _p(text: str) -> str:
    return cp1252_printable(text)


class _Invoice(FPDF):
    def __init__(self, document: InvoiceDocument) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.texts = TEXTS[document.text_language]
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, 15, MARGIN)
        self.set_auto_page_break(auto=True, margin=20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=7.5)
        self.set_text_color(90)
        note = (
            f"{self.document.mutuality.name} · {self.texts['title']} "
            f"{self.document.invoice_number} · {self.texts['page']} {self.page_no()}/{{nb}}"
        )
        self.cell(0, 6, _p(note), align="C")
        self.set_text_color(0)


def _header(pdf: _Invoice) -> None:
    doc, t = pdf.document, pdf.texts
    mutuality = doc.mutuality
    office = mutuality.address
    top = pdf.get_y()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(88, 6.5, _p(mutuality.name), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9)
    contact = [*office.lines, office.phone and f"T {office.phone}", office.email]
    for line in filter(None, contact):
        pdf.cell(88, 4.4, _p(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()

    pdf.set_xy(ADDRESS_X, top)
    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 8, _p(t["title"]), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.ln(1.5)
    facts = (
        (t["invoice_number"], doc.invoice_number),
        (t["issue_date"], day(doc.issue_date)),
        (t["due_date"], day(doc.due_date)),
        (t["member_number"], doc.member_number),
    )
    for label, value in facts:
        pdf.set_x(ADDRESS_X)
        pdf.set_font(FONT, size=9)
        pdf.cell(36, 4.8, _p(label))
        pdf.set_font(FONT, "B", 9)
        # an invoice id as long as a UUID wraps inside the column instead of running off
        pdf.multi_cell(0, 4.8, _p(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # the member, where a window envelope shows the address
    pdf.set_xy(ADDRESS_X, max(ADDRESS_Y, pdf.get_y() + 6))
    pdf.set_font(FONT, "B", 10.5)
    pdf.multi_cell(80, 5.2, _p(doc.member_name), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=10)
    for line in doc.member_address:
        pdf.set_x(ADDRESS_X)
        pdf.multi_cell(80, 5.2, _p(line), align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), left_bottom) + 12)


def _lines(pdf: _Invoice) -> None:
    doc, t = pdf.document, pdf.texts
    lang = doc.text_language
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, _p(t["lines"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, size=9)
    with pdf.table(
        col_widths=(20, 38, 22, 68, 26),
        text_align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
        line_height=4.6,
        padding=(1.2, 1.5),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=GREY),
        width=pdf.epw,
    ) as table:
        heading = table.row()
        for key in ("date", "beneficiary", "code", "description", "amount"):
            heading.cell(_p(t[key]))
        for line in doc.lines:
            row = table.row()
            row.cell(day(line.service_date))
            row.cell(_p(line.beneficiary))
            row.cell(_p(line.care_code))
            row.cell(_p(line.description))
            row.cell(_p(euro(line.amount, lang)))
    pdf.ln(2)
    _amount_row(pdf, t["total"], doc.total, bold=True)
    if doc.to_pay != doc.total:
        _amount_row(pdf, t["to_pay"], doc.to_pay, bold=True)


def _amount_row(pdf: _Invoice, label: str, amount: Decimal, *, bold: bool) -> None:
    pdf.set_font(FONT, "B" if bold else "", 10.5)
    pdf.cell(pdf.epw - 30, 6, _p(label), align="R")
    pdf.cell(30, 6, _p(euro(amount, pdf.document.text_language)), align="R")
    pdf.ln(6)


def _qr(pdf: _Invoice, x: float, y: float) -> None:
    """The EPC QR code as filled rectangles, one per horizontal run of dark modules."""
    symbol = qr_symbol(pdf.document.payment)
    rows = [list(row) for row in symbol.matrix_iter(scale=1, border=4)]
    module = QR_SIDE / len(rows)
    pdf.set_fill_color(255)
    pdf.rect(x, y, QR_SIDE, QR_SIDE, style="F")
    pdf.set_fill_color(0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # a hair taller than a module: no light seam between rows when rasterised
            pdf.rect(x + start * module, y + r * module, (c - start) * module, module + 0.02, "F")


def _payment(pdf: _Invoice) -> None:
    doc, t = pdf.document, pdf.texts
    mutuality = doc.mutuality
    lang = doc.text_language
    if pdf.get_y() + PAYMENT_BLOCK > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    height = QR_SIDE + 11
    pdf.set_draw_color(150)
    pdf.rect(pdf.l_margin, top, pdf.epw, height)
    pdf.set_draw_color(0)
    qr_x = pdf.l_margin + pdf.epw - QR_SIDE - 4
    _qr(pdf, qr_x, top + 2)

    pdf.set_xy(pdf.l_margin + 4, top + 3)
    pdf.set_font(FONT, "B", 11)
    heading = f"{t['payment']} · {t['pay_before'].format(due=day(doc.due_date))}"
    pdf.cell(0, 6, _p(heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    facts = (
        (t["to_pay"] if doc.to_pay != doc.total else t["total"], euro(doc.to_pay, lang)),
        (t["payee"], mutuality.name),
        (t["iban"], mutuality.iban_printed),
        (t["bic"], mutuality.bic),
        (t["reference"], doc.structured_reference),
    )
    for label, value in facts:
        if not value:
            continue
        pdf.set_x(pdf.l_margin + 4)
        pdf.set_font(FONT, size=9.5)
        pdf.cell(48, 5.4, _p(label))
        pdf.set_font(FONT, "B", 10 if label == t["reference"] else 9.5)
        pdf.cell(qr_x - pdf.get_x() - 2, 5.4, _p(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if mutuality.demo_payment_account:
        pdf.set_x(pdf.l_margin + 4)
        pdf.set_font(FONT, "I", 8)
        pdf.cell(0, 4.5, _p(f"({t['demo']})"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # the caption under the code
    pdf.set_font(FONT, size=7)
    pdf.set_xy(qr_x - 2, top + 2 + QR_SIDE)
    pdf.multi_cell(QR_SIDE + 4, 3.2, _p(t["scan"]), align="C")
    pdf.set_y(top + height + 3)
    pdf.set_font(FONT, "I", 8.5)
    pdf.multi_cell(0, 4.2, _p(t["ei5"]), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render(document: InvoiceDocument) -> bytes:
    """The PDF of ``document``; the same document gives the same bytes."""
    pdf = _Invoice(document)
    pdf.set_creation_date(datetime.combine(document.issue_date, time(), UTC))
    pdf.set_title(_p(f"{pdf.texts['title']} {document.invoice_number}"))
    pdf.set_author(_p(document.mutuality.name))
    pdf.set_creator("My LM billing-svc")
    pdf.set_subject(_p(f"{document.member_name} {document.member_number}"))
    pdf.set_lang(document.text_language)
    pdf.add_page()
    _header(pdf)
    _lines(pdf)
    _payment(pdf)
    return bytes(pdf.output())
