"""The member portal's words (issue 20 item 2; nl and fr):
claims: declaring, evidence, status, letters, offers."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {}
