"""Reference data per mutuality (MT-1; issue 18 item 2): what an invoice prints about the
mutuality that issues it — name, postal address, contact, and the account members pay
into (the EPC QR code's beneficiary).

Sources:

* names: identity-svc's ``identity.domain.members.MUTUALITIES`` (the same five strings);
* postal addresses, telephone numbers and e-mail addresses: the handbook's Dutch terms,
  Artikel 5 (``../shared/seeds/my-lm-terms-nl.txt``). Where a mutuality lists two
  offices, the first one listed is the address printed on its invoices (La Louvière for
  ML Hainaut-Namur, Herstal for ML Liège-Luxembourg); both are kept;
* ``languages``: not in the handbook — derived from the language area of the address
  (Asse, Gent: nl; Brussels: nl and fr; Wallonia: fr). The invoice itself is printed in
  the *member's* language (``billing.domain.invoice_document``), not the mutuality's;
* ``iban`` / ``bic``: the handbook gives **no** bank account. The values below are
  **DEMO VALUES** (``demo_payment_account=True``): Belgian IBANs with valid IBAN and
  national mod-97 check digits (python-stdnum ``stdnum.be.iban``; bank code 068, whose
  BIC is GKCCBEBB) and an account number made up for this platform. Each mutuality's
  real collection account must replace them before production (``with_payment_account``).

Pure: no I/O.
"""

from dataclasses import dataclass, replace

from mylm_shared.events.catalog import Language
from stdnum import bic as stdnum_bic
from stdnum.be import iban as be_iban


class UnknownMutuality(LookupError):
    """No reference data for this name (MT-1 lists five mutualities)."""


@dataclass(frozen=True)
class Office:
    street: str
    postal_code: str
    city: str
    label: str = ""  # "Centre de gestion de Namur" where a mutuality has two offices
    phone: str = ""
    email: str = ""

    @property
    def lines(self) -> tuple[str, ...]:
        """The address as printed on an envelope window."""
        head = (self.label,) if self.label else ()
        return (*head, self.street, f"{self.postal_code} {self.city}")


@dataclass(frozen=True)
class Mutuality:
    name: str
    offices: tuple[Office, ...]
    languages: tuple[Language, ...]
    iban: str  # electronic form, no spaces
    bic: str
    demo_payment_account: bool = False

    def __post_init__(self) -> None:
        if not self.offices:
            raise ValueError(f"{self.name}: a mutuality has at least one office (MT-1)")
        if not be_iban.is_valid(self.iban) or self.iban != be_iban.compact(self.iban):
            raise ValueError(f"{self.name}: {self.iban!r} is not a Belgian IBAN (compact form)")
        if self.bic and not stdnum_bic.is_valid(self.bic):
            raise ValueError(f"{self.name}: {self.bic!r} is not a BIC")

    @property
    def address(self) -> Office:
        """The office whose address the invoices print (the first one listed)."""
        return self.offices[0]

    @property
    def iban_printed(self) -> str:
        """The IBAN in groups of four, as printed on paper."""
        return str(be_iban.format(self.iban))

    def with_payment_account(self, iban: str, bic: str) -> "Mutuality":
        """The same mutuality paid into another account (its real one, from settings)."""
        return replace(
            self, iban=str(be_iban.compact(iban)), bic=bic.strip(), demo_payment_account=False
        )


DEMO_BIC = "GKCCBEBB"  # stdnum.be.iban.to_bic of the bank code 068 used by the demo IBANs

MUTUALITIES: dict[str, Mutuality] = {
    m.name: m
    for m in (
        Mutuality(
            name="LM Plus",
            offices=(
                Office("Kalkoven 22", "1730", "Asse", phone="02 417 17 17", email="info@lmplus.be"),
            ),
            languages=("nl",),
            iban="BE10068999990104",  # DEMO
            bic=DEMO_BIC,
            demo_payment_account=True,
        ),
        Mutuality(
            name="LM Oost-Vlaanderen",
            offices=(
                Office(
                    "Brabantdam 109", "9000", "Gent", phone="09 223 19 76", email="info.ov@lm.be"
                ),
            ),
            languages=("nl",),
            iban="BE96068999990205",  # DEMO
            bic=DEMO_BIC,
            demo_payment_account=True,
        ),
        Mutuality(
            name="LM MUTPLUS.be",
            offices=(
                Office(
                    "Koninginneplein 51-52",
                    "1030",
                    "Brussel",
                    phone="02 209 48 11",
                    email="info@mutplus.be",
                ),
            ),
            languages=("nl", "fr"),
            iban="BE85068999990306",  # DEMO
            bic=DEMO_BIC,
            demo_payment_account=True,
        ),
        Mutuality(
            name="ML Hainaut-Namur",
            offices=(
                Office(
                    "Rue Anatole France 8-14",
                    "7100",
                    "La Louvière",
                    label="Centre de gestion de La Louvière",
                    phone="064 23 61 90",
                    email="contact@mut409.be",
                ),
                Office(
                    "Rue Bas de la Place 35",
                    "5000",
                    "Namur",
                    label="Centre de gestion de Namur",
                    phone="081 23 18 23",
                    email="contact@mut409.be",
                ),
            ),
            languages=("fr",),
            iban="BE74068999990407",  # DEMO
            bic=DEMO_BIC,
            demo_payment_account=True,
        ),
        Mutuality(
            name="ML Liège-Luxembourg",
            offices=(
                Office(
                    "Rue de Hermée 177 D",
                    "4040",
                    "Herstal",
                    phone="0800 14 448",
                    email="secretariat@libramut.be",
                ),
                Office(
                    "Rue Dupont 14",
                    "6900",
                    "Marche-en-Famenne",
                    phone="02 329 30 00",
                    email="contact414@ml.be",
                ),
            ),
            languages=("fr",),
            iban="BE63068999990508",  # DEMO
            bic=DEMO_BIC,
            demo_payment_account=True,
        ),
    )
}


def mutuality(name: str) -> Mutuality:
    """The reference data of the mutuality called ``name`` (MT-1)."""
    try:
        return MUTUALITIES[name]
    except KeyError:
        raise UnknownMutuality(f"unknown mutuality {name!r} (MT-1)") from None
