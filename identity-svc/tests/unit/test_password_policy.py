"""Password policy per NIST SP 800-63B (issue 7 item 3)."""

import pytest
from identity.domain.password_policy import (
    COMMON,
    GUESSABLE,
    HAS_USERNAME,
    MAX_LENGTH,
    TOO_LONG,
    TOO_SHORT,
    password_problems,
)


@pytest.mark.parametrize(
    "password",
    [
        "Demo-Passw0rd!",
        "correct horse battery staple",
        "Brand-new-secret-42",
        "ünïcødé pässwørd 🙂",
    ],
)
def test_long_unguessable_passwords_are_accepted(password: str) -> None:
    assert password_problems(password, username="demo.titular") == []


def test_no_composition_rules_lowercase_letters_and_spaces_only() -> None:
    assert password_problems("purple elephants dance quietly") == []


def test_shorter_than_12_code_points_is_refused() -> None:
    assert password_problems("Xq7!vR2#kLp") == [TOO_SHORT]  # 11 characters


def test_length_counts_code_points_after_nfkc() -> None:
    # 12 decomposed "é" (e + combining accent, 24 code points) compose to 12 under NFKC.
    decomposed = "e\u0301" * 6 + "x\u0327" * 6
    assert len(decomposed) == 24
    assert TOO_SHORT not in password_problems(decomposed)
    # 11 composed characters stay 11, however many bytes they take.
    assert password_problems("ééééééééééé") == [TOO_SHORT]


def test_longer_than_the_maximum_is_refused() -> None:
    assert password_problems("a-b" * MAX_LENGTH) == [TOO_LONG]
    assert TOO_LONG not in password_problems("Zq-9" * (MAX_LENGTH // 4))


@pytest.mark.parametrize(
    "password", ["password1234", "leavemealone", "1q2w3e4r5t6y", "QAZWSXEDCRFV"]
)
def test_passwords_on_the_shipped_breach_list_are_refused(password: str) -> None:
    assert COMMON in password_problems(password)


@pytest.mark.parametrize(
    "password", ["Password1234!", "123456789012", "aaaaaaaaaaaa", "abcdefghijkl"]
)
def test_predictable_variations_are_refused(password: str) -> None:
    problems = password_problems(password)
    assert problems and problems[0].startswith(GUESSABLE)


def test_the_username_may_not_be_the_password_or_part_of_it() -> None:
    assert HAS_USERNAME in password_problems("Demo.Titular", username="demo.titular")
    assert HAS_USERNAME in password_problems("xx-demo.titular-Q9!zz", username="demo.titular")
    # A very short username inside a password is a coincidence, not a reuse.
    assert password_problems("purple elephants dance quietly", username="ant") == []
