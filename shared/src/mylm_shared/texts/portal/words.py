"""The type of a portal area's words: key → {"nl": …, "fr": …}."""

from typing import Literal

PortalLanguage = Literal["nl", "fr"]
Words = dict[str, dict[PortalLanguage, str]]
