"""The seeded world of the authorization matrix (issue 15 item 8): the six services in
this process on the real platform (Kafka, FerretDB), identity-svc with its demo
household, and for each principal a token minted the way the project mints it — logins
at identity-svc, token exchanges for dependants (RFC 8693 ``act``), a dependant's real
revocation (AC-3) and staff's real suspension (LF-2), both read by every service from
the bus, a client-credentials token — plus "own" resources for each principal's subject:
an invoice (and its inbox document), a policy, an amendment, an open claim with a
document, a claim with an offer.

Households: Jan (demo.titular) with Lotte (child, 12, no account), Wout (teen, 16,
account: revokes Jan's access, then is suspended) and Emma (adult, 20, account: grants
Jan's access); a second titular (account) with an adult dependant (20, account) who
grants nothing. Both extra members are created in identity-svc as its demo seed does.
"""

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import jwt
from claims.adapters.policy_http import HttpPolicies
from claims.bootstrap import create_app as create_claims
from claims.settings import ClaimsSettings
from fastapi import FastAPI
from identity.adapters.passwords import hash_password
from identity.adapters.store import member_account_key, username_key
from identity.bootstrap import create_app as create_identity
from identity.demo import DEMO_PASSWORD, DEMO_TERMS_VERSION, TITULAR, aged, demo_id
from identity.demo import national_number as demo_national_number
from identity.domain.accounts import MEMBER, Account
from identity.domain.members import MemberEntry
from identity.service.accounts import account_id_for
from identity.service.context import IdentityContext
from identity.service.directory import Directory
from identity.service.use_cases import IdentityUseCases
from identity.settings import DEV_SERVICE_CLIENT_SECRET, IdentitySettings
from inbox.domain.messages import StoredFile
from inbox.service.messages import Sender
from inbox.service.use_cases import InboxUseCases
from mylm_shared.auth import TokenVerifier
from mylm_shared.kernel.periods import belgian_today
from mylm_shared.service import use_cases_of
from mylm_shared.service_tokens import ClientCredentials
from policy.bootstrap import create_app as create_policy
from policy.settings import PolicySettings

from infra import manifest
from testkit.authz import expectations as x
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.services import create_app

SERVICES = manifest.load().names  # identity-svc, the token issuer, first
CHILD = demo_id("member/child")
TEEN = demo_id("member/teen")
ADULT = demo_id("member/adult")
OTHER = demo_id("member/other")
IBAN = "BE71 0961 2345 6769"
OTHER_IBAN = "BE62 5100 0754 7061"
# The smallest PNG (1×1): evidence recognised by content (CL-1).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
Headers = dict[str, str]


def bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def build_apps(platform: Endpoints, run_id: str) -> dict[str, FastAPI]:
    """Every service's app with isolated settings (topics, databases, groups): those
    needing more than their settings here, the others from services.toml."""

    def settings(service: str) -> dict[str, Any]:
        return isolated(platform, run_id, service)

    policy = create_policy(PolicySettings(**settings("policy")))
    identity = create_identity(IdentitySettings(**{**settings("identity"), "seed_demo_data": True}))

    def policies(claims_settings: ClaimsSettings) -> HttpPolicies:
        # claims-svc asks policy-svc with identity's client-credentials token, both in
        # this process (no ports): the real gateway over ASGI.
        tokens = ClientCredentials(
            "http://identity/v1/oauth/token",
            claims_settings.service_client_id,
            DEV_SERVICE_CLIENT_SECRET,
            scope="policy:read",
            http=httpx.AsyncClient(transport=httpx.ASGITransport(app=identity)),
        )
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=policy), timeout=10)
        return HttpPolicies("http://policy", tokens, client=client)

    special = {
        "identity": identity,
        "policy": policy,
        "claims": create_claims(ClaimsSettings(**settings("claims")), policies=policies),
    }
    listed = manifest.load()
    return {
        name: special[name] if name in special else create_app(listed[name], **settings(name))
        for name in SERVICES
    }


@dataclass
class Target:
    """The resources of one principal's subject (the dossier the token speaks for)."""

    member_id: str
    invoice_id: str = ""
    policy_id: str = ""
    amendment_id: str = ""
    claim_id: str = ""
    document_id: str = ""
    settled_claim_id: str = ""
    offer_id: str = ""
    payout_id: str = "no-such-payout"
    inbox_document_id: str = ""  # the claim acknowledgement in the inbox (issue 19)
    message_id: str = ""  # a message to the mutuality in the dossier (ES-1..ES-3)


@dataclass
class Principal:
    name: str
    headers: Headers
    target: Target
    # The member a body names as claimant: the subject, except for the other member,
    # who names herself on Jan's policy (issue 15 item 3's attack).
    claimant: str
    # The titular's own token, for the exchange route (the exchange's input).
    titular: Headers | None = None
    # A new token (login, exchange) for the rows that end the caller's sessions.
    fresh: Callable[[], Awaitable[Headers]] | None = None


@dataclass
class World:
    clients: dict[str, httpx.AsyncClient]
    principals: dict[str, Principal] = field(default_factory=dict)


@contextlib.asynccontextmanager
async def running(apps: dict[str, FastAPI]) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Each app's lifespan (indexes, topics, relay, consumers, revocation list) for real;
    the services verify tokens with the keys identity-svc publishes (in process there is
    no port to fetch the JWKS from), keeping their revocation lists."""
    async with contextlib.AsyncExitStack() as stack:
        clients: dict[str, httpx.AsyncClient] = {}
        for name, app in apps.items():
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app)
            clients[name] = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url=f"http://{name}", timeout=30)
            )
        identity: IdentitySettings = apps["identity"].state.runtime.settings
        jwks = (await clients["identity"].get("/.well-known/jwks.json")).json()
        for name in SERVICES[1:]:
            runtime = apps[name].state.runtime
            runtime.token_verifier = TokenVerifier(
                identity.jwt_issuer,
                identity.jwt_audience,
                jwks=jwks,
                revocations=runtime.revocations,
            )
        for name, client in clients.items():  # 503 while a revocation list catches up
            await eventually(
                lambda c=client: c.get("/readyz"),  # type: ignore[misc]
                until=lambda r: r.status_code == 200,
                within=90,
                what=f"{name} ready",
            )
        yield clients


async def expect(response: Awaitable[httpx.Response], status: int, what: str) -> Any:
    answer = await response
    assert answer.status_code == status, f"seeding: {what}: {answer.status_code} {answer.text}"
    return answer.json() if answer.content else None


async def log_in(identity: httpx.AsyncClient, username: str) -> Headers:
    body = {"username": username, "password": DEMO_PASSWORD}
    token = await expect(identity.post("/v1/sessions", json=body), 200, f"login {username}")
    return bearer(token["access_token"])


async def exchange(identity: httpx.AsyncClient, own: Headers, member_id: str) -> Headers:
    path = f"/v1/me/dossiers/{member_id}/token"
    token = await expect(identity.post(path, headers=own), 200, f"exchange for {member_id}")
    return bearer(token["access_token"])


async def open_account(
    context: IdentityContext, run_id: str, name: str, years: int, titular: str | None
) -> tuple[str, str]:
    """A member with a My LM account, made as identity-svc's demo seed makes them."""
    birth = aged(years, belgian_today())
    serial = int(uuid.uuid4().int % 900) + 50
    entry = MemberEntry(
        member_number=f"AZ-{run_id}-{name}",
        national_number=demo_national_number(birth, serial),
        first_name=name.title(),
        last_name="Matrix",
        birth_date=birth,
        language="nl",
        mutuality="LM Plus",
        email=f"{name}@{run_id}.example.org",
        titular_member_id=titular,
    )
    member = await Directory(context).register(entry)
    username = f"{run_id}.{name}"
    account_id = account_id_for(member.member_id)
    account = Account(
        account_id=account_id,
        username=username,
        password_hash=hash_password(DEMO_PASSWORD),
        member_id=member.member_id,
        roles=frozenset({MEMBER}),
        terms_version=DEMO_TERMS_VERSION,
        terms_accepted_at=context.clock(),
        created_at=context.clock(),
    )
    await context.stores.keys.claim(username_key(username), account_id)
    await context.stores.keys.claim(member_account_key(member.member_id), account_id)
    await context.stores.accounts.save(account)
    return member.member_id, username


def expired_copy(context: IdentityContext, headers: Headers) -> Headers:
    """The same token, signed by identity-svc's key, expired an hour ago."""
    claims = jwt.decode(headers["Authorization"][7:], options={"verify_signature": False})
    now = int(time.time())
    claims.update(iat=now - 7200, exp=now - 3600, auth_time=now - 7200)
    return bearer(context.signing_key.sign(claims))


# A cheap authenticated read per service, on the teen's dossier.
PROBES = {
    "identity": "/v1/me",
    "billing": f"/v1/members/{TEEN}/invoices",
    "inbox": f"/v1/members/{TEEN}/documents",
    "policy": f"/v1/members/{TEEN}/policies",
    "claims": f"/v1/members/{TEEN}/claims",
}


async def refused_everywhere(
    clients: dict[str, httpx.AsyncClient], token: Headers, who: str
) -> None:
    """Every service answers 401 to ``token`` once its revocation list read the event
    (AC-3, LF-2: each service reads them from the bus)."""
    for name, path in PROBES.items():
        client = clients[name]
        await eventually(
            lambda c=client, p=path: c.get(p, headers=token),  # type: ignore[misc]
            until=lambda r: r.status_code == 401,
            within=30,
            what=f"{name} refusing {who}",
        )


# Jan's household on his family policy (PC-3): children living with him, the demo
# members' birth dates.
HOUSEHOLD = ((CHILD, "Lotte", 12), (TEEN, "Wout", 16), (ADULT, "Emma", 20))


def household(persons: tuple[tuple[str, str, int], ...] = HOUSEHOLD) -> dict[str, Any]:
    """A ``PUT /v1/policies/{id}/household`` body."""
    today = belgian_today()
    return {
        "persons": [
            {
                "person_id": member_id,
                "name": name,
                "birth_date": aged(years, today).isoformat(),
                "relation": "child",
                "lives_with_policyholder": True,
            }
            for member_id, name, years in persons
        ]
    }


class Seeder:
    """Staff's and the members' calls that make the world (checked as they go)."""

    def __init__(self, clients: dict[str, httpx.AsyncClient], staff: Headers) -> None:
        self.c = clients
        self.staff = staff
        self.today = belgian_today()

    async def invoice(self, member_id: str) -> str:
        body = {
            "member_id": member_id,
            "issue_date": self.today.isoformat(),
            "due_date": (self.today + timedelta(days=30)).isoformat(),
            "lines": [
                {"service_date": self.today.isoformat(), "description": "Consult", "amount": "9.50"}
            ],
        }
        headers = {**self.staff, "Idempotency-Key": f"authz-invoice-{member_id}"}
        # billing learns the member from member.registered: 422 until then
        answer = await eventually(
            lambda: self.c["billing"].post("/v1/invoices", json=body, headers=headers),
            until=lambda r: r.status_code == 201,
            within=60,
            what=f"invoice for {member_id}",
        )
        invoice_id: str = answer.json()["invoice_id"]
        return invoice_id

    async def policy(self, holder: str, holder_headers: Headers, formula: str) -> str:
        body = {
            "policyholder_member_id": holder,
            "formula": formula,
            "start_date": self.today.isoformat(),
            "threshold_pct": 5,
            "e_protection": True,
        }
        headers = {**self.staff, "Idempotency-Key": f"authz-policy-{holder}"}
        answer = await eventually(
            lambda: self.c["policy"].post("/v1/policies", json=body, headers=headers),
            until=lambda r: r.status_code == 201,
            within=60,
            what=f"policy for {holder}",
        )
        policy_id: str = answer.json()["policy_id"]
        path = f"/v1/policies/{policy_id}/accept"
        await expect(self.c["policy"].post(path, headers=holder_headers), 200, "accept")
        return policy_id

    async def pay_first_premium(self, holder: str, policy_id: str) -> None:
        """PC-4/PC-8: the premium invoice paid by a bank payment; cover runs."""

        async def premium() -> list[dict[str, Any]]:
            path = f"/v1/members/{holder}/invoices"
            found = await self.c["billing"].get(path, headers=self.staff)
            return [i for i in found.json()["items"] if i.get("policy_id") == policy_id]

        invoice = (await eventually(premium, within=60, what="premium invoice"))[0]
        payment = {
            "structured_reference": invoice["structured_reference"],
            "amount": invoice["total"],
            "value_date": self.today.isoformat(),
            "counterparty_iban": "BE71096123456769",
        }
        headers = {**self.staff, "Idempotency-Key": f"authz-premium-{policy_id}"}
        await expect(
            self.c["billing"].post("/v1/payments", json=payment, headers=headers), 201, "pay"
        )
        path = f"/v1/policies/{policy_id}"
        await eventually(
            lambda: self.c["policy"].get(path, headers=self.staff),
            until=lambda r: r.json().get("status") == "active",
            within=60,
            what="cover running",
        )

    async def amendment(self, policy_id: str) -> str:
        body = {"kind": "reduction", "formula": "family", "occurred_on": self.today.isoformat()}
        path = f"/v1/policies/{policy_id}/amendments"
        found = await expect(
            self.c["policy"].post(path, json=body, headers=self.staff), 201, "amendment"
        )
        amendment_id: str = found["amendment_id"]
        return amendment_id

    def declaration(self, member_id: str, policy_id: str) -> dict[str, Any]:
        return {
            "member_id": member_id,
            "policy_id": policy_id,
            "cover": "accident",
            "event_date": self.today.isoformat(),
            "facts": {"country": "BE"},
        }

    async def claim(self, member_id: str, policy_id: str, by: Headers) -> tuple[str, str]:
        """An open claim with one document."""
        body = self.declaration(member_id, policy_id)
        headers = {**by, "Idempotency-Key": str(uuid.uuid4())}
        claim = await expect(
            self.c["claims"].post("/v1/claims", json=body, headers=headers),
            201,
            f"claim of {member_id}",
        )
        files = {"file": ("evidence.png", PNG, "image/png")}
        path = f"/v1/claims/{claim['claim_id']}/documents"
        document = await expect(
            self.c["claims"].post(path, files=files, headers=by), 201, "document"
        )
        return claim["claim_id"], document["document_id"]

    async def inbox_letter(self, member_id: str, claim_id: str) -> str:
        """The claim's acknowledgement letter once inbox filed it (issue 19 item 1)."""
        path = f"/v1/members/{member_id}/documents"
        params = {"kind": "claim_acknowledgement"}

        async def letters() -> list[dict[str, Any]]:
            answer = await self.c["inbox"].get(path, params=params, headers=self.staff)
            return [d for d in answer.json().get("items", []) if d["source_id"] == claim_id]

        [letter] = await eventually(letters, until=bool, what=f"inbox letter of {claim_id}")
        document_id: str = letter["document_id"]
        return document_id

    async def settled(
        self, member_id: str, policy_id: str, claimant: Headers
    ) -> tuple[str, str, str]:
        """A claim staff accepted (an override, with a reason) and made an offer on,
        which the claimant accepted (one payout)."""
        body = self.declaration(member_id, policy_id)
        headers = {**self.staff, "Idempotency-Key": str(uuid.uuid4())}
        claim = await expect(
            self.c["claims"].post("/v1/claims", json=body, headers=headers), 201, "claim"
        )
        claim_id = claim["claim_id"]
        decision = {"outcome": "covered", "reason": "authorization matrix fixture"}
        if claim["decision"]["outcome"] == "covered":
            decision = {"outcome": "follow_engine"}
        path = f"/v1/claims/{claim_id}/decision"
        await expect(
            self.c["claims"].post(path, json=decision, headers=self.staff), 200, "decision"
        )
        offer = {"kind": "advance", "amount": "10.00"}
        path = f"/v1/claims/{claim_id}/offers"
        made = await expect(
            self.c["claims"].post(path, json=offer, headers=self.staff), 201, "offer"
        )
        offer_id: str = made["offers"][-1]["offer_id"]
        path = f"/v1/claims/{claim_id}/offers/{offer_id}/accept"
        accepted = await expect(
            self.c["claims"].post(path, json={"iban": IBAN}, headers=claimant), 200, "acceptance"
        )
        payout_id: str = accepted["payout"]["payout_id"]
        return claim_id, offer_id, payout_id


async def seed(
    apps: dict[str, FastAPI], clients: dict[str, httpx.AsyncClient], run_id: str
) -> World:
    identity = clients["identity"]
    context: IdentityContext = use_cases_of(apps["identity"], IdentityUseCases).context
    world = World(clients)
    staff = await log_in(identity, "demo.staff")
    jan = await log_in(identity, "demo.titular")
    marie = await log_in(identity, "demo.other")
    teen = await log_in(identity, "demo.teen")
    emma = await log_in(identity, "demo.adult")
    titular2, titular2_user = await open_account(context, run_id, "titular", 45, None)
    adult2, adult2_user = await open_account(context, run_id, "adult", 20, titular2)
    other_titular = await log_in(identity, titular2_user)
    adult2_own = await log_in(identity, adult2_user)

    # AC-5: Emma grants Jan access; Jan exchanges for the child, the teen and Emma.
    granted = {"titular_may_access": True}
    await expect(identity.put("/v1/me/dossier-access", json=granted, headers=emma), 200, "grant")
    for_child = await exchange(identity, jan, CHILD)
    for_emma = await exchange(identity, jan, ADULT)
    for_teen = await exchange(identity, jan, TEEN)

    seeder = Seeder(clients, staff)
    targets = {m: Target(m) for m in (TITULAR, CHILD, ADULT, TEEN, adult2)}
    invoices = await asyncio.gather(*(seeder.invoice(m) for m in targets))
    for target, invoice_id in zip(targets.values(), invoices, strict=True):
        target.invoice_id = invoice_id
    # ES-1..ES-3 (issue 19 item 3): one (unsigned) message in each dossier, for its reads.
    messages = use_cases_of(apps["inbox"], InboxUseCases).messages
    for target in targets.values():
        content = StoredFile("message.txt", "text/plain", b"authorization matrix")
        sent = await messages.send(
            target.member_id,
            subject="authz",
            content=content,
            attachments=[],
            signature=None,
            sender=Sender("authz-seed"),
        )
        target.message_id = sent.message_id
    family = await seeder.policy(TITULAR, jan, "family")
    emma_policy = await seeder.policy(ADULT, emma, "single")
    adult2_policy = await seeder.policy(adult2, adult2_own, "single")
    await seeder.pay_first_premium(TITULAR, family)
    path = f"/v1/policies/{family}/household"
    await expect(clients["policy"].put(path, json=household(), headers=staff), 200, "household")
    for member_id, policy_id in (
        (TITULAR, family),
        (CHILD, family),
        (TEEN, family),
        (ADULT, emma_policy),
        (adult2, adult2_policy),
    ):
        targets[member_id].policy_id = policy_id
    amendments = {p: await seeder.amendment(p) for p in (family, emma_policy, adult2_policy)}
    for target in targets.values():
        target.amendment_id = amendments[target.policy_id]
        target.claim_id, target.document_id = await seeder.claim(
            target.member_id, target.policy_id if target.member_id != ADULT else family, staff
        )
        target.settled_claim_id, target.offer_id = target.claim_id, "no-such-offer"
        target.inbox_document_id = await seeder.inbox_letter(target.member_id, target.claim_id)
    # The claimants who accept offers: Jan, and Jan acting for the child and for Emma.
    for member_id, claimant in ((TITULAR, jan), (CHILD, for_child), (ADULT, for_emma)):
        target = targets[member_id]
        settled = await seeder.settled(member_id, family, claimant)
        target.settled_claim_id, target.offer_id, target.payout_id = settled

    # AC-3: the teen revokes Jan's access; LF-2: staff suspend the teen's account.
    revoked = {"titular_may_access": False}
    await expect(identity.put("/v1/me/dossier-access", json=revoked, headers=teen), 200, "revoke")
    await refused_everywhere(clients, for_teen, "the token exchanged before the revocation")
    suspension = {"reason": "system-security"}
    path = f"/v1/accounts/{TEEN}/suspension"
    await expect(identity.post(path, json=suspension, headers=staff), 200, "suspend")
    await refused_everywhere(clients, teen, "the suspended account's token")

    service = await expect(
        identity.post(
            "/v1/oauth/token",
            data={"grant_type": "client_credentials", "scope": "policy:read"},
            auth=("claims-svc", DEV_SERVICE_CLIENT_SECRET),
        ),
        200,
        "client credentials",
    )

    async def fresh_login(username: str) -> Headers:
        return await log_in(identity, username)

    async def fresh_exchange(member_id: str) -> Headers:
        return await exchange(identity, await log_in(identity, "demo.titular"), member_id)

    t = targets
    world.principals = {
        x.OWN: Principal(
            x.OWN, jan, t[TITULAR], TITULAR, fresh=lambda: fresh_login("demo.titular")
        ),
        x.OTHER: Principal(
            x.OTHER, marie, t[TITULAR], OTHER, fresh=lambda: fresh_login("demo.other")
        ),
        x.CHILD: Principal(x.CHILD, for_child, t[CHILD], CHILD, jan, lambda: fresh_exchange(CHILD)),
        x.NO_GRANT: Principal(
            x.NO_GRANT,
            other_titular,
            t[adult2],
            adult2,
            other_titular,
            lambda: fresh_login(titular2_user),
        ),
        x.GRANTED: Principal(
            x.GRANTED, for_emma, t[ADULT], ADULT, jan, lambda: fresh_exchange(ADULT)
        ),
        x.REVOKED: Principal(x.REVOKED, for_teen, t[TEEN], TEEN, jan),
        x.SUSPENDED: Principal(x.SUSPENDED, teen, t[TEEN], TEEN),
        x.EXPIRED: Principal(x.EXPIRED, expired_copy(context, jan), t[TITULAR], TITULAR),
        x.STAFF: Principal(
            x.STAFF, staff, t[TITULAR], TITULAR, fresh=lambda: fresh_login("demo.staff")
        ),
        x.SERVICE: Principal(x.SERVICE, bearer(service["access_token"]), t[TITULAR], TITULAR),
    }
    return world
