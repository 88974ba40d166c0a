"""A letter of the inbox as a PDF (issue 19 item 1): the claim letters and the EI-6/EI-7
notices carry their text (``body``); rendered once when filed and stored with the
document, so the member downloads it (``GET /v1/documents/{id}/content``) and the print
shop prints the same bytes when the inbox is off (IN-3).

fpdf2 with the standard Helvetica font (Windows-1252, ``mylm_shared.kernel.printable``),
as billing-svc's invoice and policy-svc's conditions PDFs. Deterministic: the creation
date is the document's, fpdf2 derives the file /ID from the content.
"""

from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from mylm_shared.kernel.formatting import day
from mylm_shared.kernel.periods import BRUSSELS
from mylm_shared.kernel.printable import ENCODING, cp1252_printable

FONT = "Helvetica"
LINE = 5.5  # mm
MARGIN = 20.0  # mm


def render_letter(title: str, body: str, language: str, created_at: datetime) -> bytes:
    """The PDF of one letter: the mutuality's heading, the date, the title, the text."""
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_creation_date(created_at.astimezone(UTC))
    pdf.set_title(cp1252_printable(title))
    pdf.set_author("My LM")
    pdf.set_lang(language)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()

    def paragraph(text: str, size: float = 10.5, style: str = "") -> None:
        pdf.set_font(FONT, style=style, size=size)
        pdf.multi_cell(0, LINE, cp1252_printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    paragraph("My LM", 9, "B")
    paragraph(day(created_at.astimezone(BRUSSELS).date()), 9)
    pdf.ln(6)
    paragraph(title, 14, "B")
    pdf.ln(3)
    for block in body.split("\n\n"):
        paragraph(block.strip())
        pdf.ln(2)
    return bytes(pdf.output())
