"""The member portal's words (issue 20 item 2; nl and fr):
the inbox and messages to the mutuality."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {}
