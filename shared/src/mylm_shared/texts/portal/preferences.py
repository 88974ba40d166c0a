"""The member portal's words (issue 20 item 2; nl and fr):
settings: e-invoicing, inbox, e-mail categories, notification address."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {}
