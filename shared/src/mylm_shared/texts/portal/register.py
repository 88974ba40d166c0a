"""The member portal's words (issue 20 item 2; nl and fr):
registering by code, CSAM, password reset, compromise report."""

from mylm_shared.texts.portal.words import Words

WORDS: Words = {}
