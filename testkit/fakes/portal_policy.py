"""A fake of the portal's policy port (``portal.upstream.policy.PolicyPort``), in memory
(issue 20 item 2): policies and proposals per policyholder, acceptance, the conditions
PDF. Access as policy-svc checks it: another member's list is a 403, another member's
policy a 404; accepting what is no proposal any more a 409, and so is a
``proposal_version`` that is not the current one (``change_proposal``: the proposal changed
since it was shown); a refusal the test sets (``refuse_accept``, e.g. 422 PC-2) is
answered instead of accepting. The answers carry what policy-svc's do (issue 20 item 2):
the policyholder's name, each insured person's relation, the covers' amounts."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from portal.ports import Download, ServiceProblem
from portal.upstream.policy import InsuredPerson, Policy, Premium, PremiumTerm

from testkit.fakes.portal import JAN, MARIE, FakeIdentity

JAN_HOLDER = InsuredPerson(JAN.member_id, "Jan Peeters", "PC-3", "policyholder", "policyholder")
LOTTE = InsuredPerson(
    "p-lotte", "Lotte Peeters", "PC-3", "child living with the policyholder", "child_in"
)
MARIE_HOLDER = InsuredPerson(
    MARIE.member_id, "Marie Dubois", "PC-2", "policyholder", "policyholder"
)
LORE = InsuredPerson(
    "p-lore",
    "Lore <Peeters>",
    "PC-3",
    "unmarried student under 26 living elsewhere (26 on …)",
    "student",
)
# policy-svc's ``cover_amounts`` (its domain/product.py: PA-5, AS-3, LA-11), by key.
ACCIDENT_AMOUNTS = {"limit_accident": Decimal("1000000.00"), "funeral": Decimal("5000.00")}
ASSISTANCE_AMOUNTS = {"medical_abroad": Decimal("7500.00")}
E_PROTECTION_AMOUNTS = {"limit_e_protection": Decimal("5000.00")}


def premium(net: str) -> Premium:
    n = Decimal(net)
    taxes = (n * Decimal("0.0925")).quantize(Decimal("0.01"))
    return Premium(net=n, taxes=taxes, contributions=Decimal("0.00"), total=n + taxes)


def family_policy(policy_id: str = "POL-JAN-1") -> Policy:
    """Jan's active family contract with e-protection (PC-1, PC-3), first premium paid."""
    return Policy(
        policy_id=policy_id,
        policyholder_member_id=JAN.member_id,
        status="active",
        formula="family",
        covers=("accident", "assistance", "e_protection"),
        threshold_pct=5,
        e_protection=True,
        start_date=date(2026, 1, 1),
        proposed_on=date(2025, 12, 1),
        signed_on=date(2025, 12, 2),
        premium=premium("204.00"),
        insured=(JAN_HOLDER, LOTTE, LORE),
        premium_terms=(PremiumTerm(1, date(2026, 1, 1), date(2025, 12, 20)),),
        holder_name="Jan Peeters",
        cover_amounts={**ACCIDENT_AMOUNTS, **ASSISTANCE_AMOUNTS, **E_PROTECTION_AMOUNTS},
        accepted_version="v-jan-1",
    )


def proposal(policy_id: str = "POL-JAN-2", member_id: str = JAN.member_id) -> Policy:
    """A single proposal without e-protection (PC-1, PC-2): nothing requested yet."""
    holder = JAN_HOLDER if member_id == JAN.member_id else MARIE_HOLDER
    return Policy(
        policy_id=policy_id,
        policyholder_member_id=member_id,
        status="proposed",
        formula="single",
        covers=("accident", "assistance"),
        threshold_pct=10,
        e_protection=False,
        start_date=date(2027, 1, 1),
        proposed_on=date(2026, 11, 30),
        signed_on=None,
        premium=premium("72.00"),
        insured=(
            replace(holder, rule="PC-2", reason="policyholder, 18 or over at signing, residing"),
        ),
        holder_name=holder.name,
        cover_amounts={**ACCIDENT_AMOUNTS, **ASSISTANCE_AMOUNTS},
        proposal_version=f"v-{policy_id}-1",
    )


@dataclass
class FakePolicy:
    identity: FakeIdentity
    held: dict[str, list[Policy]] = field(default_factory=dict)  # member id → theirs
    pdf: bytes = b"%PDF-1.7 fake conditions"
    refuse_accept: ServiceProblem | None = None
    accepted: list[str] = field(default_factory=list)
    accepted_versions: list[str | None] = field(default_factory=list)  # as the portal sent
    languages: list[str] = field(default_factory=list)  # of the PDFs asked for

    def _own(self, access_token: str, policy_id: str) -> Policy | None:
        member = self.identity.member_of(access_token)
        mine = self.held.get(member.member_id, [])
        return next((p for p in mine if p.policy_id == policy_id), None)

    async def policies(self, access_token: str, member_id: str) -> list[Policy]:
        member = self.identity.member_of(access_token)
        if member.member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")
        return list(self.held.get(member_id, []))

    async def policy(self, access_token: str, policy_id: str) -> Policy | None:
        return self._own(access_token, policy_id)

    def change_proposal(self, member_id: str, policy_id: str) -> Policy:
        """The proposal changes (a household declared meanwhile): a new version."""
        mine = self.held[member_id]
        found = next(p for p in mine if p.policy_id == policy_id)
        changed = replace(found, proposal_version=f"{found.proposal_version}+")
        mine[mine.index(found)] = changed
        return changed

    async def accept(
        self, access_token: str, policy_id: str, proposal_version: str | None = None
    ) -> Policy:
        found = self._own(access_token, policy_id)
        if found is None:
            raise ServiceProblem(404, "No such policy.")
        if self.refuse_accept is not None:
            raise self.refuse_accept
        if found.status != "proposed":
            raise ServiceProblem(409, "Policy is not a proposal any more.")
        if proposal_version is not None and proposal_version != found.proposal_version:
            raise ServiceProblem(409, "the proposal changed since it was shown")
        signed = replace(
            found,
            status="awaiting_first_premium",
            signed_on=date(2026, 12, 2),
            premium_terms=(PremiumTerm(1, found.start_date, None),),
            proposal_version=None,
            accepted_version=found.proposal_version,
        )
        mine = self.held[found.policyholder_member_id]
        mine[mine.index(found)] = signed
        self.accepted.append(policy_id)
        self.accepted_versions.append(proposal_version)
        return signed

    async def conditions_pdf(
        self, access_token: str, policy_id: str, language: str
    ) -> Download | None:
        if self._own(access_token, policy_id) is None:
            return None
        self.languages.append(language)
        data = self.pdf

        async def chunks() -> AsyncIterator[bytes]:
            yield data[:5]
            yield data[5:]

        name = f"conditions-{policy_id}-{language}.pdf"
        return Download("application/pdf", f'inline; filename="{name}"', chunks())
