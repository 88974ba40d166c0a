"""Valid, random test members (INSZ with the right mod-97 check, unique e-mail)."""

import random
from typing import Any


def national_number() -> str:
    """A valid INSZ/NISS of someone born in the 1900s: yymmdd + 3-digit sequence + check."""
    yymmdd = f"{random.randint(40, 99):02d}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    base = f"{yymmdd}{random.randint(1, 997):03d}"
    return f"{base}{97 - int(base) % 97:02d}"


def new_member(email: str, language: str = "nl", mutuality: str = "LM Plus") -> dict[str, Any]:
    number = national_number()
    return {
        "member_number": f"T-{number}",
        "national_number": number,
        "first_name": "Test",
        "last_name": "Member",
        "birth_date": f"19{number[0:2]}-{number[2:4]}-{number[4:6]}",
        "language": language,
        "mutuality": mutuality,
        "email": email,
    }
