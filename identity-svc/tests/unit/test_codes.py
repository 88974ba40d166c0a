"""RG-2's one-time codes and how contacts are shown masked (RG-1: without revealing
whether a member exists)."""

import re
from datetime import UTC, datetime

import pytest
from identity.domain.codes import (
    CODE_LIFETIME,
    MAX_ATTEMPTS,
    CodeRequest,
    code_digest,
    decoy_mask,
    e164,
    mask_email,
    mask_mobile,
    national_number_in,
    new_code,
    well_formed,
)

from testkit.people import national_number

EMAIL_MASK = re.compile(r"^[a-z0-9]\*{5}[a-z0-9]?@[a-z0-9.-]+\.[a-z]+$")
MOBILE_MASK = re.compile(r"^\+32 4\*\* \*\* \*\* \d\d$")


def test_rg2_codes_are_six_random_digits_valid_15_minutes_with_5_attempts() -> None:
    codes = {new_code() for _ in range(2000)}
    assert all(well_formed(c) for c in codes)
    assert len(codes) > 1900  # random, not a counter or a constant
    assert any(c.startswith("0") for c in codes)  # leading zeros kept, all 10^6 values
    assert CODE_LIFETIME.total_seconds() == 15 * 60
    assert MAX_ATTEMPTS == 5


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", "١٢٣٤٥٦", " 12345"])
def test_rg2_malformed_codes_are_never_well_formed(code: str) -> None:
    assert not well_formed(code)


def test_rg2_a_code_is_stored_as_a_keyed_hash_bound_to_its_request_and_purpose() -> None:
    secret, other = b"s" * 32, b"t" * 32
    digest = code_digest(secret, "r1", "registration", "123456")
    assert "123456" not in digest
    assert len(digest) == 64
    assert digest == code_digest(secret, "r1", "registration", "123456")
    assert digest != code_digest(other, "r1", "registration", "123456")  # needs the secret
    assert digest != code_digest(secret, "r2", "registration", "123456")
    assert digest != code_digest(secret, "r1", "password-reset", "123456")


def test_rg2_a_code_expires_after_its_lifetime() -> None:
    at = datetime(2026, 1, 1, 12, tzinfo=UTC)
    request = CodeRequest("r", "registration", "email", "d", at, at + CODE_LIFETIME)
    assert not request.expired(at + CODE_LIFETIME - CODE_LIFETIME / 900)
    assert request.expired(at + CODE_LIFETIME)


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("titular@demo.lm.test", "t*****r@demo.lm.test"),
        ("jo@example.org", "j*****o@example.org"),
        ("x@example.org", "x*****@example.org"),
        ("first.last+tag@mail.be", "f*****g@mail.be"),
    ],
)
def test_email_masks_show_first_and_last_letter_and_hide_the_length(
    address: str, masked: str
) -> None:
    assert mask_email(address) == masked


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [
        ("+32470000001", "+32 4** ** ** 01"),
        ("0470 12 34 56", "+32 4** ** ** 56"),
        ("0032 486 11 22 33", "+32 4** ** ** 33"),
        ("+31612345678", "+31 ******* 78"),
    ],
)
def test_mobile_masks_keep_the_country_and_the_last_two_digits(mobile: str, masked: str) -> None:
    assert mask_mobile(mobile) == masked


def test_mobiles_on_file_are_sent_to_in_e164() -> None:
    assert e164("0470 12 34 56") == "+32470123456"
    assert e164("+32 470 12 34 56") == "+32470123456"
    assert e164("0032470123456") == "+32470123456"


def test_rg1_decoy_masks_look_like_real_ones_and_are_stable() -> None:
    seeds = [bytes([i, i * 7 % 256, i * 13 % 256, i * 31 % 256]) for i in range(64)]
    for seed in seeds:
        assert EMAIL_MASK.match(decoy_mask(seed, "email"))
        assert MOBILE_MASK.match(decoy_mask(seed, "sms"))
        assert decoy_mask(seed, "email") == decoy_mask(seed, "email")
    assert len({decoy_mask(s, "email") for s in seeds}) > 20  # not one tell-tale value
    assert MOBILE_MASK.match(mask_mobile("+32470000001"))
    assert EMAIL_MASK.match(mask_email("titular@demo.lm.test"))


def test_rg1_national_register_numbers_are_recognised_with_or_without_separators() -> None:
    number = national_number()
    dotted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    assert national_number_in(number) == number
    assert national_number_in(dotted) == number
    wrong_check = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert national_number_in(wrong_check) is None
    assert national_number_in("LM-100001") is None
