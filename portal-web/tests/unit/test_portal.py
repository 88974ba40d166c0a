"""The member portal as a backend-for-frontend (issue 20 item 2), against fakes of its
ports: server-side sessions, CSRF, cookie flags, no token in the browser, nl/fr."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from portal.app import COOKIE, create_app
from portal.ports import ServiceProblem
from portal.settings import PortalSettings
from portal.upstream import Upstreams

from testkit.fakes.portal import (
    JAN,
    PASSWORD,
    FakeBilling,
    FakeIdentity,
    InMemorySessions,
    invoice,
)
from testkit.fakes.portal_claims import FakeClaims
from testkit.fakes.portal_inbox import FakeInbox
from testkit.fakes.portal_notify import FakeNotify
from testkit.fakes.portal_policy import FakePolicy


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Portal:
    def __init__(self, profile: str = "test") -> None:
        self.settings = PortalSettings(
            profile=profile,  # type: ignore[arg-type]
            session_idle_seconds=1800,
            session_absolute_seconds=12 * 3600,
        )
        self.identity = FakeIdentity()
        self.billing = FakeBilling(self.identity)
        self.billing.invoices[JAN.member_id] = [
            invoice("INV-1", "open", "25.50"),
            invoice("INV-2", "overdue", "1234.50", total="1234.50"),
            invoice("INV-3", "paid", "0.00"),
        ]
        self.inbox = FakeInbox(self.identity)
        self.notify = FakeNotify(self.identity)
        self.policy = FakePolicy(self.identity)
        self.claims = FakeClaims(self.identity, policy=self.policy)
        self.store = InMemorySessions()
        self.clock = Clock()
        app = create_app(
            self.settings,
            services=Upstreams(
                identity=self.identity,
                billing=self.billing,
                inbox=self.inbox,
                notify=self.notify,
                policy=self.policy,
                claims=self.claims,
            ),
            store=self.store,
            clock=self.clock,
        )
        self.client = TestClient(app, follow_redirects=False)

    def csrf(self, path: str = "/login") -> str:
        page = self.client.get(path)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text
        return found[1]

    def log_in(self, username: str = "demo.jan", password: str = PASSWORD) -> None:
        response = self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": self.csrf()},
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/"


@pytest.fixture
def portal() -> Portal:
    return Portal()


def test_the_login_page_is_dutch_by_default_with_labels_and_security_headers(
    portal: Portal,
) -> None:
    """Issue 20 item 2: lang, labelled inputs, skip link, landmarks; CSP default-src 'self'
    and frame-ancestors 'none' on every page."""
    page = portal.client.get("/login")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert '<label for="username">Gebruikersnaam</label>' in page.text
    assert '<label for="password">Wachtwoord</label>' in page.text
    assert 'id="login-form"' in page.text and 'href="#main"' in page.text
    assert "<header" in page.text and "<nav" in page.text and '<main id="main"' in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert 'name="viewport"' in page.text


def test_a_page_without_a_session_sends_to_the_login_page(portal: Portal) -> None:
    for path in ("/", "/invoices", "/invoices/INV-1", "/invoices/INV-1.pdf"):
        response = portal.client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_the_session_cookie_is_httponly_lax_and_holds_no_token(portal: Portal) -> None:
    """Issue 20 item 2 (BFF): the browser holds an opaque id only; the tokens stay
    server-side; not Secure outside prod (plain http locally)."""
    portal.client.get("/login")
    csrf = portal.csrf()
    response = portal.client.post(
        "/login", data={"username": "demo.jan", "password": PASSWORD, "csrf_token": csrf}
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie
    home = portal.client.get("/")
    assert home.status_code == 200
    every_cookie = " ".join(f"{k}={v}" for k, v in portal.client.cookies.items())
    for token in [*portal.identity.tokens, *portal.identity.refresh_tokens]:
        assert token not in every_cookie
        assert token not in home.text and token not in response.text
    assert "-secret" not in home.text and "-secret" not in every_cookie


def test_the_cookie_is_secure_in_prod() -> None:
    portal = Portal(profile="prod")
    response = portal.client.get("/login")
    assert "Secure" in response.headers["set-cookie"]


def test_log_in_gives_a_new_session_id_and_the_home_page(portal: Portal) -> None:
    """No session fixation: the id before log-in stops working after it."""
    portal.client.get("/login")
    before = portal.client.cookies[COOKIE]
    portal.log_in()
    after = portal.client.cookies[COOKIE]
    assert before != after
    home = portal.client.get("/")
    assert "Welkom, Jan Peeters" in home.text
    assert "100-200-300" in home.text and "LM Oost-Vlaanderen" in home.text
    # open + overdue, as Belgians read it in Dutch (€ 1.260,00)
    assert re.search(r'id="open-total">€\s1\.260,00<', home.text), home.text
    portal.client.cookies.set(COOKIE, before)
    assert portal.client.get("/").status_code == 303


def test_a_post_without_the_csrf_token_is_refused(portal: Portal) -> None:
    """Issue 20 item 2: the synchronizer token on every POST; 403 page otherwise."""
    portal.client.get("/login")
    for data in (
        {"username": "demo.jan", "password": PASSWORD},
        {"username": "demo.jan", "password": PASSWORD, "csrf_token": "forged"},
    ):
        response = portal.client.post("/login", data=data)
        assert response.status_code == 403
        assert 'id="error-title"' in response.text
    assert not portal.identity.tokens  # identity was never asked


def test_a_post_from_another_origin_is_refused_even_with_the_token(portal: Portal) -> None:
    portal.log_in()
    csrf = portal.csrf("/")
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        response = portal.client.post("/logout", data={"csrf_token": csrf}, headers=headers)
        assert response.status_code == 403
    assert portal.client.get("/").status_code == 200  # still logged in
    same = portal.client.post(
        "/logout",
        data={"csrf_token": csrf},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert same.status_code == 303
    assert portal.client.get("/").status_code == 303


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Gebruikersnaam of wachtwoord is niet juist."),
        ("fr", "Nom d&#39;utilisateur ou mot de passe incorrect."),
    ],
)
def test_wrong_credentials_are_said_in_the_members_language(
    portal: Portal, lang: str, expected: str
) -> None:
    """Identity's 401 problem, shown in nl or fr, linked to the inputs (aria-describedby)."""
    portal.client.get(f"/login?lang={lang}")
    response = portal.client.post(
        "/login", data={"username": "demo.jan", "password": "wrong", "csrf_token": portal.csrf()}
    )
    assert response.status_code == 401
    assert expected in response.text
    assert 'aria-describedby="login-error"' in response.text
    assert 'id="login-error" role="alert"' in response.text
    assert 'value="demo.jan"' in response.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Te veel pogingen. Probeer opnieuw over 4 minuten."),
        ("fr", "Trop de tentatives. Réessayez dans 4 minutes."),
    ],
)
def test_too_many_attempts_say_how_long_to_wait(portal: Portal, lang: str, expected: str) -> None:
    """Identity's 429 with Retry-After (seconds) → the wait in minutes, rounded up."""
    portal.identity.failure = ServiceProblem(429, "Too many failed logins.", retry_after=200)
    portal.client.get(f"/login?lang={lang}")
    response = portal.client.post(
        "/login", data={"username": "demo.jan", "password": "x", "csrf_token": portal.csrf()}
    )
    assert response.status_code == 429
    assert expected in response.text
    assert response.headers["retry-after"] == "200"


def test_the_language_switch_keeps_the_page_and_the_members_language_is_the_default(
    portal: Portal,
) -> None:
    switched = portal.client.get("/login?lang=fr")
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    page = portal.client.get("/login")
    assert '<html lang="fr">' in page.text and "Nom d&#39;utilisateur" in page.text
    portal.log_in("demo.jan")  # Jan reads Dutch: his language after log-in
    assert '<html lang="nl">' in portal.client.get("/").text
    switched = portal.client.get("/invoices?lang=fr")
    assert switched.headers["location"] == "/invoices"
    invoices = portal.client.get("/invoices")
    assert '<html lang="fr">' in invoices.text and "Factures ouvertes" in invoices.text
    assert re.search(r'id="total-due">1\s260,00\s€<', invoices.text), invoices.text


def test_marie_gets_french_after_log_in(portal: Portal) -> None:
    portal.log_in("demo.marie")
    assert "Bienvenue, Marie Dubois" in portal.client.get("/").text


def test_an_idle_session_expires(portal: Portal) -> None:
    """Idle expiry: 30 minutes without a request end the session (server-side)."""
    portal.log_in()
    portal.clock.advance(1700)
    portal.identity.expires_in = 10**6
    assert portal.client.get("/").status_code == 200
    portal.clock.advance(1801)
    response = portal.client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert len(portal.store.sessions) == 1  # only the new anonymous one remains


def test_a_session_ends_at_its_absolute_expiry_however_active(portal: Portal) -> None:
    portal.identity.expires_in = 10**6
    portal.log_in()
    for _ in range(12 * 4 - 1):  # a request every 15 minutes for 11 h 45
        portal.clock.advance(900)
        assert portal.client.get("/").status_code == 200
    portal.clock.advance(901)  # 12 hours and a second after log-in
    assert portal.clock.now - datetime(2026, 12, 2, 9, 0, tzinfo=UTC) > timedelta(hours=12)
    assert portal.client.get("/").status_code == 303


def test_an_expired_access_token_is_refreshed_server_side(portal: Portal) -> None:
    portal.log_in()
    first = set(portal.identity.tokens)
    portal.clock.advance(290)  # 5-minute tokens, 30 s margin
    assert portal.client.get("/").status_code == 200
    assert portal.identity.refreshes == 1
    assert set(portal.identity.tokens) - first  # a new pair is kept server-side


def test_a_refused_refresh_ends_the_session(portal: Portal) -> None:
    portal.log_in()
    portal.identity.refresh_tokens.clear()  # e.g. logged out everywhere elsewhere
    portal.clock.advance(400)
    response = portal.client.get("/invoices")
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_invoices_show_status_lines_and_stream_the_pdf(portal: Portal) -> None:
    """Issue 20 item 2 (EI-1, EI-5): open invoices with the total due, one invoice with
    its lines (escaped), paid/overdue state, the PDF through the BFF."""
    portal.log_in()
    listing = portal.client.get("/invoices")
    open_part, paid_part = listing.text.split('id="paid-title"')
    assert "INV-1" in open_part and "INV-2" in open_part and "INV-3" not in open_part
    assert "INV-3" in paid_part  # the paid ones in their own section
    assert "Vervallen" in listing.text
    one = portal.client.get("/invoices/INV-3")
    assert 'id="invoice-status" class="status status-paid">Betaald<' in one.text
    assert "Apotheek &lt;b&gt;" in one.text and "20/10/2026" in one.text
    pdf = portal.client.get("/invoices/INV-1.pdf")
    assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 fake"
    assert pdf.headers["content-type"] == "application/pdf"
    assert portal.client.get("/invoices/INV-9").status_code == 404
    assert portal.client.get("/invoices/INV-9.pdf").status_code == 404


def test_another_members_invoice_is_not_found(portal: Portal) -> None:
    portal.log_in("demo.marie")
    assert portal.client.get("/invoices/INV-1").status_code == 404
    assert portal.client.get("/invoices/INV-1.pdf").status_code == 404


def test_log_out_everywhere_ends_every_session(portal: Portal) -> None:
    portal.log_in()
    csrf = portal.csrf("/")
    response = portal.client.post("/logout-everywhere", data={"csrf_token": csrf})
    assert response.status_code == 200 and 'id="notice"' in response.text
    assert portal.identity.everywhere == [JAN.member_id]
    assert not portal.identity.refresh_tokens
    assert portal.client.get("/").status_code == 303


def test_the_members_address_is_passed_to_identity_at_log_in(portal: Portal) -> None:
    """Identity's per-address login budget counts the member's address, not the portal's
    (README "Login and the gateway"): the BFF passes the client address it saw."""
    portal.log_in()
    assert portal.identity.client_addresses == ["testclient"]
