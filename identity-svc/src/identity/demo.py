"""Demo data for `make run` (dev profile only), seeded idempotently.

A household: demo.titular is the titular of demo.child (12, no account), demo.teen (16,
account) and demo.adult (20, account, no grant). Birth dates are computed from the day
of the first seed, so the ages hold (they are not re-seeded afterwards).
"""

import contextlib
from datetime import UTC, date, datetime, timedelta
from uuid import NAMESPACE_URL, uuid5

from mylm_shared.kernel.domain import AggregateExists
from mylm_shared.kernel.periods import belgian_date
from mylm_shared.unique_keys import KeyTaken

from identity.adapters.passwords import hash_password
from identity.adapters.store import member_account_key, username_key
from identity.domain.accounts import MEMBER, STAFF, Account
from identity.domain.members import MemberEntry, PostalAddress
from identity.service.accounts import account_id_for
from identity.service.context import IdentityContext
from identity.service.directory import Directory, MemberExists

DEMO_PASSWORD = "Demo-Passw0rd!"  # noqa: S105 — public demo credential, dev profile only
DEMO_TERMS_VERSION = "2024-01"


def demo_id(name: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"https://demo.lm.test/{name}"))


def national_number(birth: date, serial: int) -> str:
    """A valid INSZ for ``birth`` (mod 97, with a leading 2 for births from 2000)."""
    body = f"{birth:%y%m%d}{serial:03d}"
    checked = int(("2" if birth.year >= 2000 else "") + body)
    return f"{body}{97 - checked % 97:02d}"


def aged(years: int, today: date) -> date:
    """A birth date ``years`` old today, 100 days past the birthday (no edge at seeding)."""
    anchor = today - timedelta(days=100)
    try:
        return anchor.replace(year=anchor.year - years)
    except ValueError:  # 29 February
        return anchor.replace(year=anchor.year - years, day=28)


TITULAR = demo_id("member/titular")


def demo_members(today: date) -> list[tuple[str, MemberEntry]]:
    child, teen, adult = aged(12, today), aged(16, today), aged(20, today)
    # issue 18 item 3: plausible postal addresses (paper invoices, the PDF's window)
    home = PostalAddress(street="Kerkstraat", number="12", postal_code="1730", municipality="Asse")
    household = {
        "mutuality": "LM Plus",
        "language": "nl",
        "last_name": "Peeters",
        "address": home,
    }
    return [
        (
            TITULAR,
            MemberEntry(
                member_number="LM-100001",
                national_number="85073003328",
                first_name="Jan",
                last_name="Peeters",
                birth_date=date(1985, 7, 30),
                language="nl",
                mutuality="LM Plus",
                email="titular@demo.lm.test",
                mobile="+32470000001",
                address=home,
            ),
        ),
        (
            demo_id("member/other"),
            MemberEntry(
                member_number="ML-200002",
                national_number="90022742191",
                first_name="Marie",
                last_name="Dubois",
                birth_date=date(1990, 2, 27),
                language="fr",
                mutuality="ML Liège-Luxembourg",
                email="other@demo.lm.test",
                mobile="+32470000002",
                address=PostalAddress(
                    street="Rue Saint-Gilles", number="45", postal_code="4000", municipality="Liège"
                ),
            ),
        ),
        (
            # CSAM's demo.newcomer (infra/local/oidc): a member without a My LM account,
            # whose first CSAM login opens one (RG-5)
            demo_id("member/newcomer"),
            MemberEntry(
                member_number="LM-100005",
                national_number="92041212322",
                first_name="Tom",
                last_name="Janssens",
                birth_date=date(1992, 4, 12),
                language="nl",
                mutuality="LM Plus",
                email="newcomer@demo.lm.test",
                mobile="+32470000005",
                address=PostalAddress(
                    street="Stationsstraat",
                    number="8",
                    box="2",
                    postal_code="9300",
                    municipality="Aalst",
                ),
            ),
        ),
        (
            demo_id("member/child"),
            MemberEntry(
                member_number="LM-100002",
                national_number=national_number(child, 12),
                first_name="Lotte",
                birth_date=child,
                email=None,
                titular_member_id=TITULAR,
                **household,  # type: ignore[arg-type]
            ),
        ),
        (
            demo_id("member/teen"),
            MemberEntry(
                member_number="LM-100003",
                national_number=national_number(teen, 14),
                first_name="Wout",
                birth_date=teen,
                email="teen@demo.lm.test",
                mobile="+32470000003",
                titular_member_id=TITULAR,
                **household,  # type: ignore[arg-type]
            ),
        ),
        (
            demo_id("member/adult"),
            MemberEntry(
                member_number="LM-100004",
                national_number=national_number(adult, 16),
                first_name="Emma",
                birth_date=adult,
                email="adult@demo.lm.test",
                mobile="+32470000004",
                titular_member_id=TITULAR,
                **household,  # type: ignore[arg-type]
            ),
        ),
    ]


DEMO_ACCOUNTS: list[tuple[str, str | None, frozenset[str]]] = [
    ("demo.titular", TITULAR, frozenset({MEMBER})),
    ("demo.other", demo_id("member/other"), frozenset({MEMBER})),
    ("demo.teen", demo_id("member/teen"), frozenset({MEMBER})),
    ("demo.adult", demo_id("member/adult"), frozenset({MEMBER})),
    ("demo.staff", None, frozenset({STAFF})),
]


async def seed_demo_data(context: IdentityContext) -> None:
    directory = Directory(context)
    for demo_member_id, entry in demo_members(belgian_date(datetime.now(UTC))):
        if await directory.member(demo_member_id) is None:
            with contextlib.suppress(MemberExists):  # seeded on an earlier start
                await directory.register(entry, demo_member_id)
    password_hash = hash_password(DEMO_PASSWORD)
    for username, owner, roles in DEMO_ACCOUNTS:
        member_id: str | None = owner
        account_id = account_id_for(owner) if owner else demo_id(f"account/{username}")
        if await context.stores.accounts.get(account_id) is not None:
            continue
        if member_id:
            # Opened as any member's account, so ``account.created`` goes out and billing
            # switches the member's e-invoicing on (EI-2) as it would for a real account.
            account = Account.open(
                account_id=account_id,
                member_id=member_id,
                username=username,
                password_hash=password_hash,
                method="password",
                terms_version=DEMO_TERMS_VERSION,
                at=context.clock(),
            )
            account.roles = roles
        else:
            account = Account(
                account_id=account_id,
                username=username,
                password_hash=password_hash,
                member_id=None,
                roles=roles,
                created_at=context.clock(),
            )
        with contextlib.suppress(KeyTaken, AggregateExists):  # seeded on an earlier start
            await context.stores.keys.claim(username_key(username), account_id)
            if member_id:
                await context.stores.keys.claim(member_account_key(member_id), account_id)
            await context.stores.accounts.save(account)
