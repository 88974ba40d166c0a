"""The special conditions as a PDF (fpdf2).

The 14 standard PDF fonts with the Windows-1252 encoding cover every character of the
nl/fr/de texts (é, ë, ü, ß, «», „“, €) with no font file to ship or install; a character
outside it (a name in another script) loses its accent or stroke (ř → r, Ł → L), else
becomes "?", never refused. Same conditions, same bytes: the creation date is the signing
(or proposal) date, not the clock.
"""

from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from mylm_shared.kernel.printable import ENCODING, cp1252_printable

from policy.domain.conditions import SpecialConditions

FONT = "Helvetica"
LABEL_WIDTH = 55.0  # mm
LINE = 5.5  # mm


class _Document(FPDF):
    def __init__(self, conditions: SpecialConditions) -> None:
        super().__init__(format="A4")
        self.conditions = conditions
        self.core_fonts_encoding = ENCODING

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=8)
        note = f"{self.conditions.title} · {self.conditions.policy_id} · {self.page_no()}/{{nb}}"
        self.cell(0, 10, cp1252_printable(note), align="C")


def _keep_row_on_one_page(pdf: FPDF, label: str, value: str) -> None:
    def lines(width: float, text: str, style: str) -> int:
        pdf.set_font(FONT, style=style, size=10)
        found = pdf.multi_cell(width, LINE, cp1252_printable(text), dry_run=True, output="LINES")
        assert isinstance(found, list)
        return len(found)

    value_width = pdf.epw - (LABEL_WIDTH if label else 0)
    height = LINE * max(
        lines(LABEL_WIDTH, label, "B") if label else 0, lines(value_width, value, "")
    )
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def render(conditions: SpecialConditions, issued_on: date) -> bytes:
    """The PDF of ``conditions``, dated ``issued_on`` (deterministic output)."""
    pdf = _Document(conditions)
    pdf.set_creation_date(datetime.combine(issued_on, time(), UTC))
    pdf.set_title(cp1252_printable(f"{conditions.title} {conditions.policy_id}"))
    pdf.set_author("My LM")
    pdf.set_lang(conditions.language)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    def paragraph(text: str, size: float = 10, style: str = "") -> None:
        pdf.set_font(FONT, style=style, size=size)
        pdf.multi_cell(0, LINE, cp1252_printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    paragraph(conditions.title, 18, "B")
    paragraph(conditions.product, 13, "B")
    paragraph(conditions.insurer, 9)
    for section in conditions.sections:
        pdf.ln(3)
        if section.heading:
            paragraph(section.heading, 12, "B")
        for label, value in section.lines:
            _keep_row_on_one_page(pdf, label, value)
            top, label_bottom = pdf.get_y(), pdf.get_y()
            if label:
                pdf.set_font(FONT, style="B", size=10)
                pdf.multi_cell(LABEL_WIDTH, LINE, cp1252_printable(label), new_x=XPos.RIGHT)
                label_bottom = pdf.get_y()
                pdf.set_xy(pdf.l_margin + LABEL_WIDTH, top)
            paragraph(value)
            # a label wrapping over more lines than its value (a long name) must not overlap
            pdf.set_y(max(pdf.get_y(), label_bottom))
        for text in section.paragraphs:
            paragraph(text, 9)
    pdf.ln(4)
    paragraph(conditions.footer, 8, "I")
    return bytes(pdf.output())
