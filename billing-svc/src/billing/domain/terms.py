"""Versions of the e-invoicing conditions and their publication (issue 18 item 5; EI-6).

rule EI-6: "LM behoudt zich het recht voor om deze specifieke voorwaarden te wijzigen. Het
verbindt zich ertoe om dit 15 werkdagen voor de wijzigingen van kracht worden via elk
gepast middel aan het lid mee te delen." The count (15 whole Belgian working days strictly
between the publication day and the effective day) is
``mylm_shared.kernel.working_days.earliest_effective_on``; an earlier effective date is
refused with ``TermsTooSoon``, which carries that earliest date and the rule id for the
problem+json body.

* A version string is unique (``2027.1``, ``v3``, ``2027-03``): it names what a member
  accepted (RG-4), so it never names two texts.
* Effective dates strictly increase with publication: a new version takes effect after
  every version already published. Two versions on one day would leave unclear which
  applies, and a version slipped in before an announced one would change what members were
  told was coming without its own 15 days for what follows it.
* Listing (``ordered``): newest effective date first, so an announced, not yet effective
  version is on top, then the one in force (``in_force``), then the history.
* A version may also be built directly (``TermsVersion(...)``) for reference data already
  in force before the platform: only ``publish`` announces, and only it applies EI-6.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from mylm_shared.kernel.working_days import earliest_effective_on

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
SUMMARY_MAX = 2000
RULE = "EI-6"


class InvalidTerms(ValueError):
    """A version breaks a rule (its name, its summaries, its place among the others)."""


class TermsTooSoon(InvalidTerms):
    """rule EI-6: the effective date leaves fewer than 15 working days of notice."""

    rule = RULE

    def __init__(self, effective_on: date, earliest: date) -> None:
        super().__init__(
            f"the conditions may change on {earliest.isoformat()} at the earliest: "
            "15 Belgian working days of notice (EI-6)"
        )
        self.effective_on = effective_on
        self.earliest_effective_on = earliest


@dataclass(frozen=True)
class Summary:
    """What changes, in both languages of the mutualities (de readers get fr)."""

    nl: str
    fr: str

    def __post_init__(self) -> None:
        for language, text in (("nl", self.nl), ("fr", self.fr)):
            if not text.strip():
                raise InvalidTerms(f"the summary in {language} is missing")
            if len(text) > SUMMARY_MAX:
                raise InvalidTerms(f"the summary in {language} has at most {SUMMARY_MAX} chars")


@dataclass(frozen=True)
class TermsVersion:
    version: str
    effective_on: date
    summary: Summary
    published_on: date

    def __post_init__(self) -> None:
        if not VERSION.fullmatch(self.version):
            raise InvalidTerms(
                "a version is 1 to 32 letters, digits, '.', '_' or '-' (such as 2027.1)"
            )
        if self.effective_on <= self.published_on:
            raise InvalidTerms("a version takes effect after the day it is published")


def publish(
    existing: Iterable[TermsVersion],
    version: str,
    effective_on: date,
    summary: Summary,
    published_on: date,
) -> TermsVersion:
    """The new version published on ``published_on`` (the Belgian "today"), or why not."""
    earliest = earliest_effective_on(published_on)
    if effective_on < earliest:  # rule EI-6
        raise TermsTooSoon(effective_on, earliest)
    new = TermsVersion(version, effective_on, summary, published_on)
    versions = list(existing)
    if any(v.version == version for v in versions):
        raise InvalidTerms(f"version {version} exists already")
    latest = max((v.effective_on for v in versions), default=None)
    if latest is not None and effective_on <= latest:
        raise InvalidTerms(
            f"a new version takes effect after the latest one ({latest.isoformat()})"
        )
    return new


def ordered(versions: Iterable[TermsVersion]) -> list[TermsVersion]:
    """Newest effective date first (an announced version above the one in force)."""
    return sorted(versions, key=lambda v: (v.effective_on, v.published_on), reverse=True)


def in_force(versions: Sequence[TermsVersion], on: date) -> TermsVersion | None:
    """The version that applies on ``on``: the latest to have taken effect by then."""
    started = [v for v in versions if v.effective_on <= on]
    return max(started, key=lambda v: v.effective_on, default=None)


def announced(versions: Iterable[TermsVersion], on: date) -> list[TermsVersion]:
    """Versions published but not yet in force on ``on``, soonest first."""
    return sorted((v for v in versions if v.effective_on > on), key=lambda v: v.effective_on)
