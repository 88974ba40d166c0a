"""What a new password must satisfy (NIST SP 800-63B, section 5.1.1.2).

- at least 12 characters, counted as Unicode code points after NFKC normalisation
  (so a composed and a decomposed "é" count the same), and at most 256;
- no composition rules (no "one digit, one symbol"): length and guessability only;
- refused when it is a common or breached password: the 30,000 passwords of the
  breach corpora that the maintained ``zxcvbn`` package ships offline, compared
  case-insensitively, and whatever zxcvbn estimates guessable in fewer than 10^8
  tries (its score < 3: the list with digits appended, keyboard walks, repeats,
  sequences, dates) — 800-63B's "commonly-used, expected, or compromised values";
- refused when it is, or contains, the username (a context-specific word).

Pure and synchronous (a few ms of CPU): callers on the event loop may run it as it is.
"""

import unicodedata
from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn score 3: "safely unguessable" against an online attack, moderate offline.
MIN_GUESSES_LOG10 = 8.0
# zxcvbn's own default: matching is quadratic, so it only looks at this many characters.
_ANALYSED_LENGTH = 72
# Shorter usernames would refuse too many unrelated passwords that merely contain them.
_MIN_USERNAME_IN_PASSWORD = 4

TOO_SHORT = f"Use at least {MIN_LENGTH} characters."
TOO_LONG = f"Use at most {MAX_LENGTH} characters."
COMMON = "This password is on a list of common or breached passwords. Choose another one."
GUESSABLE = "This password is too easy to guess. Choose a longer or less predictable one."
HAS_USERNAME = "Your password must not be or contain your username."


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(password.casefold() for password in FREQUENCY_LISTS["passwords"])


def normalized(password: str) -> str:
    """The form in which a password is measured and hashed (NFKC, 800-63B)."""
    return unicodedata.normalize("NFKC", password)


def password_problems(password: str, *, username: str | None = None) -> list[str]:
    """Everything wrong with ``password`` as a user-readable sentence each; empty if fine."""
    candidate = normalized(password)
    if len(candidate) < MIN_LENGTH:
        return [TOO_SHORT]
    if len(candidate) > MAX_LENGTH:
        return [TOO_LONG]
    problems: list[str] = []
    folded = candidate.casefold()
    name = normalized(username).casefold() if username else ""
    if name and (folded == name or (len(name) >= _MIN_USERNAME_IN_PASSWORD and name in folded)):
        problems.append(HAS_USERNAME)
    if folded in _common_passwords():
        problems.append(COMMON)
    else:
        estimate = zxcvbn(candidate[:_ANALYSED_LENGTH], user_inputs=[name] if name else None)
        if float(estimate["guesses_log10"]) < MIN_GUESSES_LOG10:
            warning = str(estimate["feedback"].get("warning") or "").strip()
            problems.append(f"{GUESSABLE} {warning}".strip() if warning else GUESSABLE)
    return problems
