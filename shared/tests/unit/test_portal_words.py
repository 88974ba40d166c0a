"""The portal's words (issue 20 item 2): every key in Dutch and French, no key in two
areas, French typography before a colon."""

from types import ModuleType

import pytest
from mylm_shared.texts.portal import AREAS, WORDS, label, portal_text, portal_words


def test_every_word_is_written_in_dutch_and_in_french() -> None:
    for key, words in WORDS.items():
        assert set(words) == {"nl", "fr"}, key
        assert words["nl"].strip() and words["fr"].strip(), key


def test_a_key_defined_in_two_areas_is_refused() -> None:
    twice = ModuleType("twice")
    twice.WORDS = {"site": {"nl": "x", "fr": "y"}}  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="'site'"):
        portal_words((*AREAS, twice))


def test_french_puts_a_no_break_space_before_the_colon_dutch_none() -> None:
    assert label("total", "nl") == "Totaal:"
    assert label("total", "fr") == "Total\u00a0:"


def test_values_are_filled_in() -> None:
    assert portal_text("welcome", "fr", name="Marie") == "Bienvenue, Marie"
