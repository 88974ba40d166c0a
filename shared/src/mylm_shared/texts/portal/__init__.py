"""The member portal's words in Dutch and French (issue 20 item 2), one module per area
of the portal; keys are unique across the areas (``portal_words`` refuses a key twice).

    portal_text("welcome", "fr", name="Marie")   # "Bienvenue, Marie"
    label("total", "fr")                          # "Total\u00a0:" (French typography)

Pure: no framework.
"""

from types import ModuleType

from mylm_shared.texts.portal import (
    account,
    claims,
    common,
    dossiers,
    inbox,
    invoices,
    policies,
    preferences,
    register,
)
from mylm_shared.texts.portal.words import PortalLanguage, Words

AREAS: tuple[ModuleType, ...] = (
    common,
    account,
    register,
    dossiers,
    invoices,
    inbox,
    preferences,
    policies,
    claims,
)
# French puts a no-break space before ":" ";" "?" "!"; Dutch none.
_COLON: dict[PortalLanguage, str] = {"nl": ":", "fr": "\u00a0:"}


def portal_words(areas: tuple[ModuleType, ...] = AREAS) -> Words:
    merged: Words = {}
    for area in areas:
        words: Words = area.WORDS
        for key, value in words.items():
            if key in merged:
                raise ValueError(f"portal word {key!r} is defined twice ({area.__name__})")
            merged[key] = value
    return merged


WORDS = portal_words()


def portal_text(key: str, language: PortalLanguage, **values: object) -> str:
    words = WORDS[key][language]
    return words.format(**values) if values else words


def label(key: str, language: PortalLanguage) -> str:
    """A label followed by a colon, with French's no-break space before it."""
    return portal_text(key, language) + _COLON[language]


__all__ = ["AREAS", "WORDS", "PortalLanguage", "Words", "label", "portal_text", "portal_words"]
