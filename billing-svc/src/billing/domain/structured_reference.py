"""Belgian structured communication (OGM/VCS): ``+++xxx/xxxx/xxxxx+++``.

Ten digits of our own (here: a per-service sequence number) followed by two check digits
(the ten-digit number mod 97, 97 when that is 0) — computed by python-stdnum.
"""

from stdnum.be import ogm_vcs as ogm

MAX_SEQUENCE = 10**10 - 1


def structured_reference(sequence: int) -> str:
    if not 0 < sequence <= MAX_SEQUENCE:
        raise ValueError("sequence must be between 1 and 9,999,999,999")
    base = f"{sequence:010d}"
    return f"+++{ogm.format(base + ogm.calc_check_digits(base))}+++"


def is_valid(reference: str) -> bool:
    return bool(ogm.is_valid(reference))
