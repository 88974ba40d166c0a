"""Fakes of the member portal's ports (``portal.ports``, ``portal.upstream``): identity,
billing and the session store, in memory (issue 20 item 2)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from portal.ports import Download, PortalSession, ServiceProblem
from portal.upstream.billing import Invoice, InvoiceLine
from portal.upstream.identity import Member, TokenPair

PASSWORD = "Demo-Passw0rd!"

JAN = Member(
    member_id="m-jan",
    first_name="Jan",
    last_name="Peeters",
    language="nl",
    member_number="100-200-300",
    mutuality="LM Oost-Vlaanderen",
)
MARIE = Member(
    member_id="m-marie",
    first_name="Marie",
    last_name="Dubois",
    language="fr",
    member_number="100-200-400",
    mutuality="LM Brabant",
)


@dataclass
class FakeIdentity:
    members: dict[str, Member] = field(
        default_factory=lambda: {"demo.jan": JAN, "demo.marie": MARIE}
    )
    expires_in: int = 300
    # set to make log_in answer this problem (429 with retry_after, 503 …)
    failure: ServiceProblem | None = None
    issued: int = 0
    tokens: dict[str, Member] = field(default_factory=dict)  # live access tokens
    refresh_tokens: dict[str, Member] = field(default_factory=dict)
    refreshes: int = 0
    everywhere: list[str] = field(default_factory=list)
    client_addresses: list[str | None] = field(default_factory=list)  # given at log-in

    def _pair(self, member: Member) -> TokenPair:
        self.issued += 1
        access, refresh = f"access-{self.issued}-secret", f"refresh-{self.issued}-secret"
        self.tokens[access] = member
        self.refresh_tokens[refresh] = member
        return TokenPair(access, refresh, self.expires_in)

    async def log_in(
        self, username: str, password: str, client_address: str | None = None
    ) -> TokenPair:
        self.client_addresses.append(client_address)
        if self.failure is not None:
            raise self.failure
        member = self.members.get(username)
        if member is None or password != PASSWORD:
            raise ServiceProblem(401, "Invalid username or password.")
        return self._pair(member)

    async def refresh(self, refresh_token: str) -> TokenPair:
        member = self.refresh_tokens.pop(refresh_token, None)
        if member is None:
            raise ServiceProblem(401, "Session ended.")
        self.refreshes += 1
        return self._pair(member)

    async def revoke(self, refresh_token: str) -> None:
        self.refresh_tokens.pop(refresh_token, None)

    async def log_out_everywhere(self, access_token: str) -> None:
        member = self.member_of(access_token)
        self.everywhere.append(member.member_id)
        self.tokens = {k: v for k, v in self.tokens.items() if v != member}
        self.refresh_tokens = {k: v for k, v in self.refresh_tokens.items() if v != member}

    def member_of(self, access_token: str) -> Member:
        member = self.tokens.get(access_token)
        if member is None:
            raise ServiceProblem(401, "Invalid token.")
        return member

    async def me(self, access_token: str) -> Member | None:
        return self.member_of(access_token)


def invoice(invoice_id: str, status: str, outstanding: str, total: str = "25.50") -> Invoice:
    return Invoice(
        invoice_id=invoice_id,
        issue_date=date(2026, 11, 2),
        due_date=date(2026, 12, 2),
        total=Decimal(total),
        outstanding=Decimal(outstanding),
        status=status,
        structured_reference="+++090/9337/55493+++",
        lines=(
            InvoiceLine(date(2026, 10, 20), "Consultatie huisarts", Decimal("20.00")),
            InvoiceLine(date(2026, 10, 21), "Apotheek <b>", Decimal(total) - Decimal("20.00")),
        ),
    )


@dataclass
class FakeBilling:
    identity: FakeIdentity
    invoices: dict[str, list[Invoice]] = field(default_factory=dict)  # member id → theirs
    pdf: bytes = b"%PDF-1.7 fake"

    def _own(self, access_token: str, invoice_id: str) -> Invoice | None:
        member = self.identity.member_of(access_token)
        mine = self.invoices.get(member.member_id, [])
        return next((i for i in mine if i.invoice_id == invoice_id), None)

    async def open_invoices(self, access_token: str, member_id: str) -> list[Invoice]:
        member = self.identity.member_of(access_token)
        if member.member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")
        mine = self.invoices.get(member_id, [])
        return [i for i in mine if i.status in ("open", "overdue")]

    async def invoice(self, access_token: str, invoice_id: str) -> Invoice | None:
        return self._own(access_token, invoice_id)

    async def invoice_pdf(self, access_token: str, invoice_id: str) -> Download | None:
        if self._own(access_token, invoice_id) is None:
            return None
        data = self.pdf

        async def chunks() -> AsyncIterator[bytes]:
            yield data[:4]
            yield data[4:]

        return Download("application/pdf", f'inline; filename="invoice-{invoice_id}.pdf"', chunks())


@dataclass
class InMemorySessions:
    sessions: dict[str, PortalSession] = field(default_factory=dict)

    async def get(self, key: str) -> PortalSession | None:
        found = self.sessions.get(key)
        return replace(found) if found else None

    async def put(self, session: PortalSession) -> None:
        self.sessions[session.key] = replace(session)

    async def delete(self, key: str) -> None:
        self.sessions.pop(key, None)
