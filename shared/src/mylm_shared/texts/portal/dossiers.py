"""The member portal's words (issue 20 item 2; nl and fr):
switching dossier between oneself and a dependant, closed dossiers."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {}
