"""Which language a member reads, in one place (issue 17 item 4).

- Members read nl, fr or de (``mylm_shared.events.catalog.Language``; DOMAIN.md: "nl, fr
  (de for completeness)"). A member whose language is unknown (not projected yet) or not
  one of these reads Dutch: ``language_of``.
- A text the catalogue does not have in the member's language is read in Dutch
  (``mylm_shared.texts.catalogue``; ``NOT_WRITTEN``, empty since issue 19 item 5).
- Texts that exist in Dutch and French only (the cover engine's reasons,
  ``LocalizedTextV1``): a German-speaking member reads the French one (the German-speaking
  Community lies in Wallonia, where French is the administrative second language):
  ``localized``.

Pure: no I/O, no framework.
"""

from typing import Literal

from mylm_shared.events.catalog import Language, LocalizedTextV1

LANGUAGES: tuple[Language, ...] = ("nl", "fr", "de")
DEFAULT_LANGUAGE: Language = "nl"
# For texts written in nl and fr only: the one each language's members read.
BILINGUAL: dict[Language, Literal["nl", "fr"]] = {"nl": "nl", "fr": "fr", "de": "fr"}


def language_of(value: str | None) -> Language:
    """The member's language when it is one of ``LANGUAGES``, Dutch otherwise."""
    for language in LANGUAGES:
        if value == language:
            return language
    return DEFAULT_LANGUAGE


def localized(text: LocalizedTextV1, language: str | None) -> str:
    """A text written in nl and fr, in the member's language; German members read French."""
    return text.nl if BILINGUAL[language_of(language)] == "nl" else text.fr
