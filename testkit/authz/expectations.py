"""The authorization matrix's expectations (issue 15 item 8): for every route of every
service, the status each principal must get, written as the RULES say (DOMAIN AC-1..AC-6,
LF-2..LF-4, the Auth section of ARCHITECTURE), not as the code happens to answer.

A route missing here fails ``test_every_route_has_a_rule``: a new route cannot ship
without its rule. Rows are ``"<service> <METHOD> <path>"``.

Principals (each request targets the *principal's subject*: the dossier and the
resources of the member the token speaks for; see ``testkit.authz.world``):

- ``own_member``: Jan (demo.titular), his own token, on his own dossier (AC-1).
- ``other_member``: Marie (demo.other), her own token, on Jan's dossier: the answer is
  the one for a resource that does not exist (403 on a member's path, 404 on a resource
  id), so nothing leaks.
- ``titular_for_child``: Jan's token exchanged at identity-svc for his child (12) (AC-2).
- ``titular_for_adult_without_grant``: another titular's own token on his adult
  dependant's dossier (20, no grant): AC-4 (the exchange itself is refused).
- ``titular_for_adult_with_grant``: Jan's token exchanged for his adult dependant (20)
  who granted it (AC-5).
- ``titular_for_revoked_minor``: Jan's token exchanged for his teen (16), who then
  revoked the titular's access (AC-3): refused by every service (revocation list).
- ``suspended_account``: the teen's own token, issued before staff suspended the
  account (LF-2): refused everywhere, except that the user may still read why (LF-3).
- ``expired_token``: Jan's token, signed by identity-svc, expired.
- ``staff``: demo.staff, on Jan's dossier.
- ``service_token``: claims-svc's client-credentials token (scope ``policy:read``): only
  what its scope grants (policy reads), 403/404 elsewhere like any stranger.

Values: an HTTP status, or a set of statuses where the answer after authorization
depends on the state the earlier rows left (documented at the row). ``PUBLIC`` rows are
routes that need no token (operations, discovery, login, registration, CSAM); they are
enumerated and kept here, and not sent with each principal.

Where a request body is sent deliberately invalid (staff-only writes are sent with an
empty body so that nothing changes), 422 for staff means "passed authorization": the
body is validated after the caller (FastAPI resolves the security dependency first).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

OWN = "own_member"
OTHER = "other_member"
CHILD = "titular_for_child"
NO_GRANT = "titular_for_adult_without_grant"
GRANTED = "titular_for_adult_with_grant"
REVOKED = "titular_for_revoked_minor"
SUSPENDED = "suspended_account"
EXPIRED = "expired_token"
STAFF = "staff"
SERVICE = "service_token"
PRINCIPALS = (OWN, OTHER, CHILD, NO_GRANT, GRANTED, REVOKED, SUSPENDED, EXPIRED, STAFF, SERVICE)

Expected = int | frozenset[int]
# Passed authorization; the resource's state after the earlier rows decides the answer.
PASSED: frozenset[int] = frozenset({200, 201, 204, 409, 422})
REFUSED_TOKENS = {REVOKED: 401, SUSPENDED: 401, EXPIRED: 401}  # AC-3, LF-2, expiry


@dataclass(frozen=True)
class Rule:
    """One route's expectations and how to call it."""

    why: str  # the rule ids
    expect: Mapping[str, Expected] = field(default_factory=dict)
    public: bool = False
    # How the test builds the request (see tests-e2e/test_authorization_matrix.py).
    body: str | None = None
    # The path's claim is the principal's claim with an offer (offers/…/accept).
    settled_claim: bool = False
    # Titulars present their own token (the exchange's input), not the exchanged one.
    as_titular: bool = False
    # Ends every session of the caller: each row logs in afresh, and these rows run last.
    ends_sessions: bool = False
    # Needs a recent login (issue 15 item 7): each row logs in (and exchanges) afresh.
    fresh_login: bool = False
    # ``{document_id}`` is an inbox document (issue 19 item 1: the subject's claim
    # acknowledgement letter), not a claim's evidence document.
    inbox_document: bool = False


PUBLIC_RULE = Rule(why="public: no token (operations, discovery, login, sign-up)", public=True)


def dossier(ok: int = 200, *, service: int = 403, why: str = "AC-1..AC-5") -> Rule:
    """A route naming a member's dossier in its path (``/v1/members/{member_id}/…``)."""
    return Rule(
        why=why,
        expect={
            OWN: ok,
            OTHER: 403,
            CHILD: ok,
            NO_GRANT: 403,
            GRANTED: ok,
            **REFUSED_TOKENS,
            STAFF: ok,
            SERVICE: service,
        },
    )


def resource(
    ok: Expected = 200,
    *,
    child: Expected | None = None,
    staff: Expected | None = None,
    service: int = 404,
    why: str = "AC-1..AC-5; 404 for anyone else, so nothing leaks",
    **options: object,
) -> Rule:
    """A route naming one resource by its id: its member (or the titular acting for
    them) and staff; 404 for anyone else, as for an id that does not exist."""
    return Rule(
        why=why,
        expect={
            OWN: ok,
            OTHER: 404,
            CHILD: ok if child is None else child,
            NO_GRANT: 404,
            GRANTED: ok,
            **REFUSED_TOKENS,
            STAFF: ok if staff is None else staff,
            SERVICE: service,
        },
        **options,  # type: ignore[arg-type]
    )


def staff_only(staff: Expected = 422, why: str = "staff only (Auth: staff role)") -> Rule:
    """Staff's routes: 403 for every member and service, acting or not. Writes are sent
    with an empty body: staff's 422 shows the caller was let through, nothing changes."""
    members = dict.fromkeys((OWN, OTHER, CHILD, NO_GRANT, GRANTED), 403)
    return Rule(why=why, expect={**members, **REFUSED_TOKENS, STAFF: staff, SERVICE: 403})


def own_account(
    ok: Expected,
    *,
    staff: Expected | None = None,
    why: str,
    suspended: int = 401,
    revoked: int = 401,
    **options: object,
) -> Rule:
    """``/v1/me/…`` of the account itself: never with a token exchanged for a dossier
    (403), never a service (no account)."""
    return Rule(
        why=why,
        expect={
            OWN: ok,
            OTHER: ok,
            CHILD: 403,
            NO_GRANT: ok,
            GRANTED: 403,
            REVOKED: revoked,
            SUSPENDED: suspended,
            EXPIRED: 401,
            STAFF: ok if staff is None else staff,
            SERVICE: 403,
        },
        **options,  # type: ignore[arg-type]
    )


POLICY_READ = "AC-1; a service token with policy:read reads policies (claims-svc, CL-1)"
# A policy's path: the principal's subject is its policyholder. The child (and the
# teen) are insured on Jan's family policy but do not hold it: acting for them does not
# open the titular's contract (AC-2 opens the dependant's dossier, not the titular's).
POLICY_HOLDER = "AC-1: the policyholder (or a titular acting for them) and staff"

OPS = ("GET /healthz", "GET /readyz", "GET /metrics", "GET /asyncapi.json")
DOCS = ("GET /openapi.json", "GET /docs", "GET /docs/oauth2-redirect", "GET /redoc")


def _public(service: str, *routes: str) -> dict[str, Rule]:
    return {f"{service} {route}": PUBLIC_RULE for route in (*OPS, *DOCS, *routes)}


MATRIX: dict[str, Rule] = {
    # ---------------------------------------------------------------- identity-svc
    **_public(
        "identity",
        "POST /v1/sessions",
        "POST /v1/sessions/refresh",
        "POST /v1/sessions/revoke",
        "GET /.well-known/jwks.json",
        "POST /v1/registrations",
        "POST /v1/registrations/{registration_id}/confirm",
        "POST /v1/password-resets",
        "POST /v1/password-resets/{reset_id}/confirm",
        "GET /v1/login-methods",
        "GET /v1/terms/current",  # RG-4: the terms a registration accepts
        "GET /v1/csam/login",
        "GET /v1/csam/callback",
        "POST /v1/csam/signups/{signup_id}",
        "POST /v1/me/status",  # LF-3 by username and password, throttled like a login
        "POST /v1/oauth/token",  # client credentials (RFC 6749 §4.4)
    ),
    "identity GET /v1/me": Rule(
        why="the caller (an exchanged token: whom it acts for); a service has no account",
        expect={
            **dict.fromkeys((OWN, OTHER, CHILD, NO_GRANT, GRANTED, STAFF), 200),
            **REFUSED_TOKENS,
            SERVICE: 403,
        },
    ),
    "identity GET /v1/members/{member_id}": dossier(why="AC-1..AC-5: the directory entry"),
    "identity POST /v1/members": staff_only(),
    "identity PUT /v1/members:batch": staff_only(),
    "identity GET /v1/me/dossiers": own_account(
        200, staff=403, why="AC-1..AC-5: the user's dossiers; staff have none"
    ),
    "identity POST /v1/me/dossiers/{member_id}/token": Rule(
        why="AC-2 (child), AC-3 (revoked: refused), AC-4 (adult, no grant: refused), "
        "AC-5 (granted); one's own dossier and another's: 403",
        as_titular=True,
        expect={
            OWN: 403,  # one's own dossier needs no exchange
            OTHER: 403,
            CHILD: 200,
            NO_GRANT: 403,
            GRANTED: 200,
            REVOKED: 403,
            SUSPENDED: 401,
            EXPIRED: 401,
            STAFF: 403,
            SERVICE: 403,
        },
    ),
    "identity PUT /v1/me/dossier-access": own_account(
        409,  # the callers here have no titular: nothing to revoke or grant
        staff=403,
        why="AC-3, AC-5: a dependant's own account decides; 409 without a titular",
        body="dossier_access",
    ),
    "identity POST /v1/accounts/{member_id}/suspension": staff_only(why="LF-2: staff"),
    "identity DELETE /v1/accounts/{member_id}/suspension": staff_only(
        409, why="LF-2: staff (Jan's account is active: 409)"
    ),
    "identity POST /v1/accounts/{member_id}/termination": staff_only(why="LF-1: staff"),
    "identity GET /v1/me/status": own_account(
        200,
        suspended=200,  # LF-3: the reason, with the refused token of one's own account
        revoked=403,  # an exchanged token never reads an account's status
        why="LF-3: the account's own status, even once refused",
    ),
    "identity GET /v1/audit/{member_id}/verify": staff_only(200, why="LF-5: staff"),
    "identity GET /v1/me/export": own_account(200, why="the user's own data, own token only"),
    "identity PUT /v1/me/password": own_account(
        422,  # the right current password and a new one the policy refuses: no change
        why="own session only; 422 = the caller passed (the new password is refused)",
        body="password_change",
    ),
    "identity DELETE /v1/me/sessions": own_account(
        204, why="LF-4: log out everywhere, own session only", ends_sessions=True
    ),
    "identity POST /v1/me/compromised": own_account(
        200, why="LF-4: report compromise, own session only", ends_sessions=True
    ),
    # issue 18 item 3: staff re-announce the directory (the backfill; idempotent, EI-2)
    "identity POST /v1/jobs/reannounce": staff_only(202, why="EI-2 backfill: staff only"),
    # ---------------------------------------------------------------- billing-svc
    # issue 18 items 5, 6: the conditions' versions and the maintenance window are public
    **_public("billing", "GET /v1/terms", "GET /v1/maintenance"),
    "billing POST /v1/invoices": staff_only(),
    "billing GET /v1/members/{member_id}/invoices": dossier(why="EI-1, AC-1..AC-5"),
    "billing GET /v1/invoices/{invoice_id}": resource(why="EI-1, AC-1..AC-5; 404 otherwise"),
    "billing POST /v1/payments": staff_only(),
    "billing GET /v1/payments/worklist": staff_only(200),
    # issue 18 items 1, 2: credit notes by staff; downloads by the member (a titular acting
    # for them) and staff, 404 / 403 for anyone else as for nothing (EI-1)
    "billing POST /v1/invoices/{invoice_id}/cancellation": staff_only(
        why="issue 18 item 1: staff only; sent without a reason, nothing is cancelled"
    ),
    "billing GET /v1/invoices/{invoice_id}.pdf": resource(why="EI-1, AC-1..AC-5; 404 otherwise"),
    "billing GET /v1/invoices/{invoice_id}.csv": resource(why="EI-1, AC-1..AC-5; 404 otherwise"),
    # issue 20 item 2: how to pay it (the QR code's EPC069-12 payload), as the invoice
    "billing GET /v1/invoices/{invoice_id}/payment": resource(
        why="EI-1, MT-1, AC-1..AC-5; 404 otherwise"
    ),
    "billing GET /v1/members/{member_id}/invoices.csv": dossier(why="EI-1, AC-1..AC-5"),
    "billing GET /v1/members/{member_id}/invoices/last/lines": dossier(why="EI-1, AC-1..AC-5"),
    # issue 18 item 3: the member, a titular acting for them, or staff (EI-2, EI-3)
    "billing GET /v1/members/{member_id}/einvoicing": dossier(why="EI-2, EI-3, AC-1..AC-5"),
    "billing PUT /v1/members/{member_id}/einvoicing": replace(
        dossier(why="EI-3, AC-1..AC-5; switched on again: idempotent"), body="einvoicing"
    ),
    # issue 18 item 4: staff run the dunning job now (idempotent, EI-5)
    "billing POST /v1/jobs/dunning": staff_only(202, why="EI-5: staff only; idempotent"),
    # issue 18 items 5, 6: staff publish terms (EI-6) and plan windows (EI-7); sent with
    # an empty body, nothing is published or planned (no window makes the matrix 503)
    "billing POST /v1/terms": staff_only(why="EI-6: staff only; empty body, nothing published"),
    "billing PUT /v1/maintenance": staff_only(why="EI-7: staff only; empty body, no window"),
    # ---------------------------------------------------------------- inbox-svc
    **_public("inbox"),
    "inbox GET /v1/members/{member_id}/documents": dossier(why="IN-1, AC-1..AC-5"),
    # issue 19 items 1, 2: the member's marks are theirs (a titular acting for them);
    # staff read a document but do not mark it; another member's document is a 404
    "inbox POST /v1/documents/{document_id}/read": resource(
        staff=403, why="IN-1, AC-1..AC-5; staff do not set the member's marks", inbox_document=True
    ),
    "inbox DELETE /v1/documents/{document_id}/read": resource(
        staff=403, why="IN-1, AC-1..AC-5; staff do not set the member's marks", inbox_document=True
    ),
    "inbox POST /v1/documents/{document_id}/archive": resource(
        staff=403, why="IN-1, AC-1..AC-5; staff do not set the member's marks", inbox_document=True
    ),
    "inbox DELETE /v1/documents/{document_id}/archive": resource(
        staff=403, why="IN-1, AC-1..AC-5; staff do not set the member's marks", inbox_document=True
    ),
    "inbox GET /v1/documents/{document_id}/content": resource(
        why="IN-1, AC-1..AC-5; 404 otherwise (a letter: its stored PDF)", inbox_document=True
    ),
    "inbox GET /v1/members/{member_id}/inbox-settings": dossier(why="IN-3, AC-1..AC-5"),
    "inbox PUT /v1/members/{member_id}/inbox-settings": replace(
        dossier(why="IN-3, AC-1..AC-5; switched on again: idempotent"), body="inbox_settings"
    ),
    # issue 19 item 3 (ES-1..ES-3): the member (a titular acting for them) sends; staff
    # read and block on the member's call, but never send in a member's name
    "inbox POST /v1/members/{member_id}/messages": replace(
        dossier(201, why="ES-1, AC-1..AC-5; staff do not send in a member's name"),
        expect={**dossier(201).expect, STAFF: 403},
        body="message",
    ),
    "inbox GET /v1/members/{member_id}/messages": dossier(why="ES-1, AC-1..AC-5"),
    "inbox GET /v1/messages/{message_id}": resource(why="ES-1, AC-1..AC-5; 404 otherwise"),
    "inbox GET /v1/messages/integrity": staff_only(200, why="ES-2: staff"),
    "inbox PUT /v1/members/{member_id}/signing-block": replace(
        dossier(why="ES-3: the member, a titular acting for them, staff on their call"),
        body="signing_block",
    ),
    # ---------------------------------------------------------------- policy-svc
    **_public("policy"),
    "policy POST /v1/policies": staff_only(),
    "policy POST /v1/policies/{policy_id}/accept": resource(
        409,  # accepted while the world was seeded: the holder passes, the state says no
        child=404,
        staff=403,  # only the policyholder accepts
        why=f"{POLICY_HOLDER}; staff may not accept for the member",
    ),
    "policy GET /v1/policies/{policy_id}": resource(child=404, service=200, why=POLICY_READ),
    "policy GET /v1/members/{member_id}/policies": dossier(service=200, why=POLICY_READ),
    "policy PUT /v1/policies/{policy_id}/household": resource(
        200, child=404, why=f"PC-3, {POLICY_HOLDER}", body="household"
    ),
    "policy GET /v1/policies/{policy_id}/insured": resource(
        child=404, service=200, why=POLICY_READ
    ),
    "policy POST /v1/policies/{policy_id}/objections": resource(
        PASSED,  # 201 the first time, 409 once an objection ends the contract already
        child=404,
        why=f"PC-5, {POLICY_HOLDER}",
        body="objection",
    ),
    "policy POST /v1/policies/{policy_id}/terminations": resource(
        frozenset({409, 422}),  # refused by the rules (no departure date) or the state
        child=404,
        why=f"PC-6, PC-9..PC-11, {POLICY_HOLDER}; 422 = passed, the notice is incomplete",
        body="termination",
    ),
    "policy GET /v1/policies/{policy_id}/state": resource(child=404, service=200, why=POLICY_READ),
    "policy POST /v1/policies/{policy_id}/payment-notices": staff_only(why="PC-8: staff"),
    "policy POST /v1/policies/{policy_id}/amendments": resource(
        PASSED, child=404, why=f"PC-7, {POLICY_HOLDER}", body="amendment"
    ),
    "policy GET /v1/policies/{policy_id}/amendments": resource(child=404, why=POLICY_HOLDER),
    "policy GET /v1/amendments": staff_only(200, why="PC-7: staff's worklist"),
    "policy GET /v1/amendments/{amendment_id}": resource(child=404, why=POLICY_HOLDER),
    "policy POST /v1/amendments/{amendment_id}/proposal": staff_only(why="PC-7: staff"),
    "policy POST /v1/amendments/{amendment_id}/accept": resource(
        PASSED, child=404, why=f"PC-7, {POLICY_HOLDER}; the amendment's step decides"
    ),
    "policy POST /v1/amendments/{amendment_id}/refuse": resource(
        PASSED, child=404, why=f"PC-7, {POLICY_HOLDER}; the amendment's step decides"
    ),
    "policy POST /v1/amendments/{amendment_id}/close": staff_only(why="PC-7: staff"),
    "policy GET /v1/policies/{policy_id}/conditions": resource(child=404, why=POLICY_HOLDER),
    # ---------------------------------------------------------------- claims-svc
    **_public("claims"),
    "claims POST /v1/cover-check": staff_only(),
    "claims POST /v1/claims": Rule(
        why="CL-1, AC-1..AC-5, issue 15 item 3: one's own contract (or the dependant's "
        "as insured); another's policy answers like an unknown one (422)",
        body="declaration",
        expect={
            OWN: 201,
            OTHER: 422,  # Marie names herself and Jan's policy: "no such contract"
            CHILD: 201,  # the child is insured on Jan's family policy
            NO_GRANT: 403,  # names the adult dependant: not their dossier (AC-4)
            GRANTED: 201,
            **REFUSED_TOKENS,
            STAFF: 201,
            SERVICE: 403,
        },
    ),
    "claims GET /v1/members/{member_id}/claims": dossier(why="CL-1, AC-1..AC-5"),
    "claims GET /v1/claims/{claim_id}": resource(why="CL-1, AC-1..AC-5; 404 otherwise"),
    "claims POST /v1/claims/{claim_id}/documents": resource(
        201, why="CL-1: evidence for one's open claim", body="evidence"
    ),
    "claims GET /v1/claims/{claim_id}/documents/{document_id}": resource(
        why="CL-1, AC-1..AC-5; 404 otherwise"
    ),
    "claims POST /v1/claims/{claim_id}/documents-request": staff_only(),
    "claims POST /v1/claims/{claim_id}/decision": staff_only(),
    "claims POST /v1/claims/{claim_id}/offers": staff_only(),
    "claims POST /v1/claims/{claim_id}/offers/{offer_id}/accept": resource(
        200,
        staff=403,  # only the claimant (or a titular acting for them) accepts
        why="PA-8, LA-6: the claimant accepts an offer with their IBAN",
        body="acceptance",  # accepted while seeding: the same IBAN again answers the same
        settled_claim=True,
    ),
    "claims POST /v1/claims/{claim_id}/payouts/{payout_id}/paid": staff_only(),
    "claims PUT /v1/claims/{claim_id}/payouts/{payout_id}/account": resource(
        200,
        staff=403,  # only the claimant (or a titular acting for them)
        why="issue 15 item 7: the claimant changes the payout IBAN with a fresh login",
        body="payout_account",
        settled_claim=True,
        fresh_login=True,
    ),
    "claims POST /v1/claims/{claim_id}/consolidation": staff_only(),
    "claims POST /v1/claims/{claim_id}/medical-assessment": staff_only(),
    "claims POST /v1/claims/{claim_id}/close": staff_only(),
    "claims POST /v1/claims/{claim_id}/withdraw": resource(
        200, staff=403, why="CL-1: the claimant withdraws (staff do not)"
    ),
    "claims GET /v1/worklist": staff_only(200, why="CL-1 deadlines: staff's worklist"),
    # ---------------------------------------------------------------- notify-svc
    **_public("notify"),
    # issue 19 items 4, 6 (EI-4): the member, a titular acting for them and staff read;
    # only the member or the titular acting for them write (staff read only). Writes are
    # sent without a body: 422 = passed authorization (checked before the body), nothing
    # changes and no code is e-mailed.
    "notify GET /v1/members/{member_id}/preferences": dossier(why="EI-4, AC-1..AC-5"),
    "notify PUT /v1/members/{member_id}/preferences": replace(
        dossier(422, why="EI-4, AC-1..AC-5; staff read only"),
        expect={**dossier(422).expect, STAFF: 403},
    ),
    # issue 19 item 4 / issue 20 item 2: the address in use and a change waiting, read
    # like the switches (the member, a titular acting for them, staff)
    "notify GET /v1/members/{member_id}/email": dossier(
        why="EI-4, AC-1..AC-5: the notification address in use and a change waiting"
    ),
    "notify PUT /v1/members/{member_id}/email": replace(
        dossier(422, why="EI-4, AC-1..AC-5: the member changes the address; staff do not"),
        expect={**dossier(422).expect, STAFF: 403},
    ),
    "notify POST /v1/members/{member_id}/email/confirm": replace(
        dossier(422, why="EI-4, AC-1..AC-5: the member confirms the code; staff do not"),
        expect={**dossier(422).expect, STAFF: 403},
    ),
    "notify GET /v1/members/{member_id}/notifications": dossier(
        why="EI-4, issue 19 item 6, AC-1..AC-5: the notification log"
    ),
    "notify GET /v1/notifications": staff_only(
        200, why="issue 19 item 6: staff's list of deliveries (failed ones by default)"
    ),
}
