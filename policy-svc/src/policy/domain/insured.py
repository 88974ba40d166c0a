"""Who is insured on a given date, and why (PC-2, PC-3).

Glossary "Verzekerde" of the general conditions: "voor zover deze in België zijn
verblijfplaats heeft en er doorgaans woont:

* voor de formule "single": uzelf, in uw hoedanigheid van verzekeringnemer, natuurlijk
  persoon, als u ouder bent dan 18 jaar bij de sluiting van het contract
* voor de formule "familie": uzelf [...]; uw samenwonende echtgeno(o)t(e) of samenwonende
  partner; uw kinderen en die van uw samenwonende echtgeno(o)t(e) of partner, die bij u
  inwonen [...]; uw minderjarige kinderen [...], zelfs als ze niet bij u inwonen; uw
  meerderjarige ongehuwde kinderen jonger dan 26 jaar [...], wanneer ze niet bij u inwonen
  en hun studies verderzetten."

Ages, as read here:

* "ouder dan 18 jaar bij de sluiting" (PC-2): 18 or over at signing — signing on the 18th
  birthday itself is enough. The My LM terms use "ouder dan 18 jaar" for the dependants
  a titular no longer sees, i.e. from the 18th birthday on (AC-4); of the two readings
  the one favourable to the insured applies (issue 16, docs/rules.md PC-2).
* "minderjarig" (PC-3): before the 18th birthday (majority starts on the birthday).
* "jonger dan 26 jaar" (PC-3): before the 26th birthday.

A birthday on 29 February falls on 1 March in common years
(``mylm_shared.kernel.periods.birthday``, art. 1.7 Civil Code Book 1: the years end on 28
February; identity-svc uses the same day). Household facts are timelines: each holds a
value from a date on, so the answer for any past or future date is computed, never stored.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Literal, TypeVar

from mylm_shared.kernel.periods import birthday as reached

Formula = Literal["single", "family"]
Relation = Literal["partner", "child"]
Rule = Literal["PC-2", "PC-3"]
# Who the person is to the policyholder, and the PC-2/PC-3 ground they are insured on
# (None: not insured): stated as data, not only in the ``reason`` text (issue 20 item 2).
PersonRelation = Literal["policyholder", "partner", "child"]
Category = Literal["policyholder", "partner", "child_in", "minor_elsewhere", "student"]

ADULT_AGE = 18
STUDENT_AGE_LIMIT = 26

T = TypeVar("T")


@dataclass(frozen=True)
class Timeline(Generic[T]):
    """A fact that changes over time: ``initial`` until the first change, then each change
    from its date on (inclusive)."""

    initial: T
    changes: tuple[tuple[date, T], ...] = ()

    def __post_init__(self) -> None:
        days = [day for day, _ in self.changes]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("timeline changes must have increasing, distinct dates")

    def on(self, day: date) -> T:
        value = self.initial
        for since, changed in self.changes:
            if since > day:
                break
            value = changed
        return value

    def then(self, since: date, value: T) -> "Timeline[T]":
        return Timeline(self.initial, (*self.changes, (since, value)))


def always(value: T) -> Timeline[T]:
    return Timeline(value)


@dataclass(frozen=True)
class Policyholder:
    person_id: str
    name: str
    birth_date: date
    resides_in_belgium: Timeline[bool] = field(default_factory=lambda: always(True))


@dataclass(frozen=True)
class HouseholdPerson:
    """A partner or child of the policyholder (or of the cohabiting partner)."""

    person_id: str
    name: str
    birth_date: date
    relation: Relation
    lives_with_policyholder: Timeline[bool]
    married: Timeline[bool] = field(default_factory=lambda: always(False))
    studying: Timeline[bool] = field(default_factory=lambda: always(False))
    resides_in_belgium: Timeline[bool] = field(default_factory=lambda: always(True))


@dataclass(frozen=True)
class InsuredAnswer:
    person_id: str
    name: str
    insured: bool
    rule: Rule
    reason: str
    relation: PersonRelation = "policyholder"
    category: Category | None = None  # the ground insured on; None when not insured


def birthday(birth_date: date, age: int) -> date:
    """The day a person reaches ``age`` (29 February births: 1 March in common years)."""
    return reached(birth_date, age)


def insured_on(
    day: date,
    formula: Formula,
    signed_on: date,
    policyholder: Policyholder,
    household: Sequence[HouseholdPerson] = (),
) -> list[InsuredAnswer]:
    """PC-2/PC-3: the policyholder first, then each household person, with rule and fact."""
    if formula == "single":
        answers = [_single_policyholder(day, signed_on, policyholder)]
        answers += [
            InsuredAnswer(
                p.person_id,
                p.name,
                False,
                "PC-2",
                "the single formula insures the policyholder only",
                p.relation,
            )
            for p in household
        ]
        return answers
    answers = [_family_policyholder(day, policyholder)]
    answers += [_family_member(day, p) for p in household]
    return answers


def _single_policyholder(day: date, signed_on: date, holder: Policyholder) -> InsuredAnswer:
    def answer(insured: bool, reason: str) -> InsuredAnswer:
        category: Category | None = "policyholder" if insured else None
        return InsuredAnswer(
            holder.person_id, holder.name, insured, "PC-2", reason, "policyholder", category
        )

    eighteenth = birthday(holder.birth_date, ADULT_AGE)
    if signed_on < eighteenth:
        return answer(False, f"under 18 at signing on {signed_on} (18th birthday {eighteenth})")
    if not holder.resides_in_belgium.on(day):
        return answer(False, "policyholder does not reside in Belgium")
    return answer(True, "policyholder, 18 or over at signing, residing in Belgium")


def _family_policyholder(day: date, holder: Policyholder) -> InsuredAnswer:
    if not holder.resides_in_belgium.on(day):
        return InsuredAnswer(
            holder.person_id, holder.name, False, "PC-3", "policyholder does not reside in Belgium"
        )
    return InsuredAnswer(
        holder.person_id, holder.name, True, "PC-3", "policyholder", "policyholder", "policyholder"
    )


def _family_member(day: date, person: HouseholdPerson) -> InsuredAnswer:
    def answer(insured: bool, reason: str, category: Category | None = None) -> InsuredAnswer:
        return InsuredAnswer(
            person.person_id, person.name, insured, "PC-3", reason, person.relation, category
        )

    if day < person.birth_date:
        return answer(False, f"not born yet (birth date {person.birth_date})")
    if not person.resides_in_belgium.on(day):
        return answer(False, "does not reside in Belgium")
    living_in = person.lives_with_policyholder.on(day)
    if person.relation == "partner":
        if living_in:
            return answer(True, "cohabiting spouse or partner", "partner")
        return answer(False, "spouse or partner not cohabiting")
    if living_in:
        return answer(True, "child living with the policyholder", "child_in")
    adult_on = birthday(person.birth_date, ADULT_AGE)
    if day < adult_on:
        return answer(True, f"minor child living elsewhere (18 on {adult_on})", "minor_elsewhere")
    limit_on = birthday(person.birth_date, STUDENT_AGE_LIMIT)
    if day >= limit_on:
        return answer(False, f"child living elsewhere, 26 or older (since {limit_on})")
    if person.married.on(day):
        return answer(False, "married adult child living elsewhere")
    if not person.studying.on(day):
        return answer(False, "adult child living elsewhere, not studying")
    return answer(
        True, f"unmarried student under 26 living elsewhere (26 on {limit_on})", "student"
    )
