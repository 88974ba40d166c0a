"""The My LM terms of use (RG-4) as published: one text file per version and language,
``<version>.<language>.txt`` (the Dutch original of the handbook's seed). The version a
registration or CSAM sign-up must accept is the setting ``TERMS_VERSION``."""

from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLE = {"nl": "Algemene voorwaarden van My LM"}


@cache
def terms_text(version: str, language: str = "nl") -> str | None:
    """The text of the terms ``version`` in ``language``; None when none is kept."""
    if not version.replace("-", "").isalnum() or not language.isalpha():
        return None
    path = HERE / f"{version}.{language}.txt"
    return path.read_text("utf-8").strip() if path.is_file() else None
