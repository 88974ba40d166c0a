"""The member portal's words (issue 20 item 2; nl and fr):
policies: contract, insured persons, conditions, proposals."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {}
