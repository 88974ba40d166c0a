"""Fakes of the member portal's ports (``portal.ports``, ``portal.upstream``): identity,
billing and the session store, in memory (issue 20 item 2)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from portal.ports import Download, PortalSession, ServiceProblem
from portal.upstream.billing import EInvoicing, Invoice, InvoiceLine, Payment
from portal.upstream.identity import (
    CodeSent,
    CsamLoggedIn,
    CsamSignup,
    CsamStarted,
    Dossier,
    ExchangedToken,
    IdentityProblem,
    Member,
    Registration,
    Terms,
    TokenPair,
)

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
# A member of the directory without a My LM account (as identity's demo.newcomer): he
# registers by code, or logs in with CSAM and accepts the terms (issue 20 item 2)
TOM = Member("m-tom", "Tom", "Janssens", "nl", "LM-300001", "LM Oost-Vlaanderen")
TERMS = Terms("2024-01", "Algemene voorwaarden van My LM", "Art. 2 … Ik aanvaard de voorwaarden")
CODE = "123456"  # the code the fake "sends"

# Jan's household (issue 20 item 2, as identity's demo): Lotte 12 (AC-2), Wout 16 with his
# own account (AC-2 unless he revokes, AC-3), Emma 20 with her own account, no grant (AC-4)
LOTTE = Member("m-lotte", "Lotte", "Peeters", "nl", "100-200-301", "LM Oost-Vlaanderen")
WOUT = Member("m-wout", "Wout", "Peeters", "nl", "100-200-302", "LM Oost-Vlaanderen")
EMMA = Member("m-emma", "Emma", "Peeters", "nl", "100-200-303", "LM Oost-Vlaanderen")


def _dossier(member: Member, basis: str | None, reason: str | None = None) -> Dossier:
    name = f"{member.first_name} {member.last_name}"
    return Dossier(member.member_id, name, "dependant", basis, reason)


def jans_household() -> dict[str, list[Dossier]]:
    return {
        JAN.member_id: [
            _dossier(LOTTE, "AC-2"),
            _dossier(WOUT, "AC-2"),
            _dossier(EMMA, None, "AC-4"),
        ]
    }


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
    # dossier access (issue 20 item 2): titular's member id → the dependants' dossiers as
    # identity would list them (a closed one with basis None and its reason)
    households: dict[str, list[Dossier]] = field(default_factory=jans_household)
    dependants: dict[str, Member] = field(
        default_factory=lambda: {m.member_id: m for m in (LOTTE, WOUT, EMMA)}
    )
    dossier_expires_in: int = 900
    acting: dict[str, str] = field(default_factory=dict)  # exchanged token → actor's id
    exchanges: list[str] = field(default_factory=list)  # the dossiers exchanged for
    # account pages (issue 20 item 2): registration, reset, CSAM, compromise
    directory: dict[str, Member] = field(default_factory=lambda: {"LM-300001": TOM})
    passwords: dict[str, str] = field(default_factory=dict)  # username → its (not PASSWORD)
    terms_now: Terms = TERMS
    codes: dict[str, list[str]] = field(default_factory=dict)  # id → [kind, whom, attempts]
    code_failure: ServiceProblem | None = None  # answered by the code routes when set
    code_addresses: list[str | None] = field(default_factory=list)
    compromised: set[str] = field(default_factory=set)  # usernames reported (LF-4)
    csam_logins: dict[str, str] = field(default_factory=dict)  # state → browser secret
    csam_signups: dict[str, str] = field(default_factory=dict)  # signup id → member number

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
        if username in self.compromised:  # LF-4: a new password by code first
            raise ServiceProblem(403, "This account was reported compromised.")
        if member is None or password != self.passwords.get(username, PASSWORD):
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
        self.tokens = {
            k: v
            for k, v in self.tokens.items()
            if v != member and self.acting.get(k) != member.member_id  # exchanged ones too
        }
        self.refresh_tokens = {k: v for k, v in self.refresh_tokens.items() if v != member}

    def member_of(self, access_token: str) -> Member:
        member = self.tokens.get(access_token)
        if member is None:
            raise ServiceProblem(401, "Invalid token.")
        return member

    async def me(self, access_token: str) -> Member | None:
        return self.member_of(access_token)

    # dossier access (issue 20 item 2, AC-1..AC-6), as identity's /v1/me/dossiers
    async def dossiers(self, access_token: str) -> list[Dossier]:
        member = self.member_of(access_token)
        if access_token in self.acting:
            raise ServiceProblem(403, "A token exchanged for a dependant's dossier cannot do this.")
        own = Dossier(member.member_id, f"{member.first_name} {member.last_name}", "self", "AC-1")
        return [own, *self.households.get(member.member_id, [])]

    async def exchange(self, access_token: str, member_id: str) -> ExchangedToken:
        member = self.member_of(access_token)
        if access_token in self.acting:
            raise ServiceProblem(403, "A token exchanged for a dependant's dossier cannot do this.")
        if member_id == member.member_id:
            raise ServiceProblem(403, "Your own dossier needs no exchange.")
        household = self.households.get(member.member_id, [])
        found = next((d for d in household if d.member_id == member_id and d.openable), None)
        if found is None:
            raise ServiceProblem(403, "You have no access to this dossier.")
        self.issued += 1
        token = f"exchanged-{self.issued}-secret"
        self.tokens[token] = self.dependants[member_id]
        self.acting[token] = member.member_id
        self.exchanges.append(member_id)
        return ExchangedToken(token, self.dossier_expires_in)

    def close_dossier(self, member_id: str, reason: str = "AC-3") -> None:
        """The dependant revokes (AC-3) or turns 18 (AC-6): no basis any more, and every
        token exchanged for the dossier refused (as the services' revocation lists)."""
        for titular, household in self.households.items():
            self.households[titular] = [
                replace(d, basis=None, closed_reason=reason) if d.member_id == member_id else d
                for d in household
            ]
        for token in [t for t in self.acting if self.tokens.get(t, JAN).member_id == member_id]:
            self.tokens.pop(token, None)
            self.acting.pop(token, None)

    # ---------------------------------------------- account pages (issue 20 item 2)
    def _end_sessions(self, member: Member) -> None:
        self.tokens = {k: v for k, v in self.tokens.items() if v != member}
        self.refresh_tokens = {k: v for k, v in self.refresh_tokens.items() if v != member}

    def _sent(self, kind: str, whom: str | None, address: str | None) -> CodeSent:
        self.code_addresses.append(address)
        if self.code_failure is not None:
            raise self.code_failure
        request_id = f"{kind}-{len(self.codes) + 1}"
        self.codes[request_id] = [kind, whom or "", "5"]
        return CodeSent(request_id, "t*****@example.org")

    def _use_code(self, request_id: str, kind: str, code: str, address: str | None) -> str:
        self.code_addresses.append(address)
        if self.code_failure is not None:
            raise self.code_failure
        found = self.codes.get(request_id)
        if found is None or found[0] != kind:
            raise IdentityProblem(404, "No such request.", reason="unknown")
        attempts = int(found[2])
        if attempts <= 0:
            raise IdentityProblem(410, "Too many wrong codes.", reason="attempts-exhausted")
        if code != CODE or not found[1]:  # nobody behind it: as a wrong code (RG-1)
            found[2] = str(attempts - 1)
            raise IdentityProblem(
                422, "The code is not right.", reason="wrong-code", attempts_left=attempts - 1
            )
        return found[1]

    async def terms(self) -> Terms:
        return self.terms_now

    async def start_registration(
        self, identifier: str, channel: str, client_address: str | None
    ) -> CodeSent:
        found = self.directory.get(identifier)
        return self._sent("registration", found.member_number if found else None, client_address)

    async def confirm_registration(
        self, registration_id: str, form: Registration, client_address: str | None
    ) -> str:
        number = self._use_code(registration_id, "registration", form.code, client_address)
        if form.terms_version != self.terms_now.version:
            raise ServiceProblem(422, f"The current terms are version {self.terms_now.version}.")
        if len(form.password) < 12:
            raise ServiceProblem(422, "The password is not accepted.")
        if form.username.lower() in {u.lower() for u in self.members}:
            raise IdentityProblem(409, "This username is taken.", reason="username-taken")
        self.members[form.username] = self.directory.pop(number)
        self.passwords[form.username] = form.password
        self.codes.pop(registration_id)
        return form.username

    async def start_password_reset(
        self, identifier: str, channel: str, client_address: str | None
    ) -> CodeSent:
        found = identifier if identifier in self.members else None
        return self._sent("reset", found, client_address)

    async def confirm_password_reset(
        self, reset_id: str, code: str, new_password: str, client_address: str | None
    ) -> None:
        username = self._use_code(reset_id, "reset", code, client_address)
        if len(new_password) < 12:
            raise ServiceProblem(422, "The password is too short.")
        self.passwords[username] = new_password
        self.compromised.discard(username)
        self._end_sessions(self.members[username])
        self.codes.pop(reset_id)

    async def report_compromise(self, access_token: str) -> None:
        member = self.member_of(access_token)
        self.compromised.update(u for u, m in self.members.items() if m == member)
        self._end_sessions(member)

    async def csam_start(self, client_address: str | None) -> CsamStarted:
        state, secret = f"state-{len(self.csam_logins) + 1}", f"browser-{len(self.csam_logins) + 1}"
        self.csam_logins[state] = secret
        return CsamStarted(f"https://csam.example/authorize?state={state}", secret)

    async def csam_finish(
        self, answer: dict[str, str], browser_secret: str, client_address: str | None
    ) -> CsamLoggedIn | CsamSignup:
        """The fake provider's ``code`` names who logged in: a username with an account,
        a member number without one, or anything else (not a member)."""
        expected = self.csam_logins.pop(answer.get("state", ""), None)
        if expected is None or expected != browser_secret:
            raise IdentityProblem(400, "Not started here.", reason="browser-mismatch")
        if "error" in answer or "code" not in answer:
            raise IdentityProblem(400, "CSAM did not log you in.", reason="provider-error")
        who = answer["code"]
        if who in self.members:
            member = self.members[who]
            return CsamLoggedIn(self._pair(member), member.member_id)
        if who in self.directory:
            signup_id = f"signup-{len(self.csam_signups) + 1}"
            self.csam_signups[signup_id] = who
            return CsamSignup(signup_id, self.terms_now.version)
        raise IdentityProblem(403, "Not a member.", reason="not-a-member")

    async def csam_sign_up(
        self, signup_id: str, terms_version: str, client_address: str | None
    ) -> CsamLoggedIn:
        number = self.csam_signups.get(signup_id)
        if number is None:
            raise IdentityProblem(404, "No such pending sign-up.", reason="unknown")
        if terms_version != self.terms_now.version:
            raise ServiceProblem(422, "The terms version must be accepted.")
        del self.csam_signups[signup_id]
        member = self.directory.pop(number)
        self.members[f"csam:{number}"] = member
        return CsamLoggedIn(self._pair(member), member.member_id)


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
    einvoicing_states: dict[str, EInvoicing] = field(default_factory=dict)
    einvoicing_failure: ServiceProblem | None = None  # set: set_einvoicing answers it

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

    # invoices (issue 20 item 2): the paid ones, how to pay an open one
    async def paid_invoices(self, access_token: str, member_id: str) -> list[Invoice]:
        member = self.identity.member_of(access_token)
        if member.member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")
        return [i for i in self.invoices.get(member_id, []) if i.status == "paid"]

    async def payment(self, access_token: str, invoice_id: str) -> Payment | None:
        """As billing: the outstanding amount to the demo account, the OGM's 12 digits
        in EPC069-12 element 10; None when paid or cancelled (409) or not theirs (404)."""
        found = self._own(access_token, invoice_id)
        if found is None or found.status not in ("open", "overdue") or found.outstanding <= 0:
            return None
        digits = "".join(c for c in found.structured_reference if c.isdigit())
        iban, bic, name = "BE10068999990104", "GKCCBEBB", "LM Oost-Vlaanderen"
        payload = "\n".join(
            ("BCD", "002", "1", "SCT", bic, name, iban, f"EUR{found.outstanding:.2f}", "", digits)
        )
        return Payment(
            beneficiary_name=name,
            iban=iban,
            iban_printed="BE10 0689 9999 0104",
            bic=bic,
            amount=found.outstanding,
            structured_reference=found.structured_reference,
            epc_payload=payload,
            demo_account=True,
        )

    # settings (issue 20 item 2; EI-2 on with an account, EI-3 off = paper)
    async def einvoicing(self, access_token: str, member_id: str) -> EInvoicing:
        self._dossier(access_token, member_id)
        return self.einvoicing_states.get(member_id, EInvoicing(enabled=True))

    async def set_einvoicing(self, access_token: str, member_id: str, enabled: bool) -> EInvoicing:
        self._dossier(access_token, member_id)
        if self.einvoicing_failure is not None:
            raise self.einvoicing_failure
        state = EInvoicing(enabled=enabled, since=datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
        self.einvoicing_states[member_id] = state
        return state

    def _dossier(self, access_token: str, member_id: str) -> None:
        if self.identity.member_of(access_token).member_id != member_id:
            raise ServiceProblem(403, "Not your dossier.")


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
