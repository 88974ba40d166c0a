"""Text for PDFs drawn with the 14 standard fonts (Windows-1252), no font file shipped.

Windows-1252 covers every character of the nl/fr/de texts (é, ë, ü, ß, «», „“, €). A
character outside it (a name in another script) loses its accent or stroke (ř → r,
Ł → L), white space variants become what they decompose to (CLDR's narrow no-break space
in French amounts → a space), else "?" — never refused. billing-svc's invoice PDF and
policy-svc's conditions PDF use it.
"""

import unicodedata

ENCODING = "cp1252"
# Letters with a stroke have no decomposition to strip (Polish, Croatian names …).
_STROKES = str.maketrans("ŁłĐđĦħŦŧı", "LlDdHhTti")


def cp1252_printable(text: str) -> str:
    def one(char: str) -> str:
        try:
            char.encode(ENCODING)
            return char
        except UnicodeEncodeError:
            stripped = (
                unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
            )
            return stripped or "?"

    return "".join(one(c) for c in text.translate(_STROKES))
