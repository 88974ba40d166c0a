"""The account pages of the member portal (issue 20 item 2) against the fakes: log in with
CSAM as a backend-for-frontend (RG-5), register by code with the current terms (RG-1..
RG-4), a new password by code and reporting a compromise (LF-4)."""

import html
import re

import httpx
import pytest
from portal.app import COOKIE
from portal.ports import ServiceProblem
from portal.sessions import session_key
from portal.upstream.identity import IdentityProblem, Terms

from testkit.fakes.portal import CODE, PASSWORD, TOM

from .test_portal import Portal

NEW_PASSWORD = "Lantern-Orchard-Quiet-4817"


@pytest.fixture
def portal() -> Portal:
    return Portal()


def page_csrf(portal: Portal, path: str) -> str:
    page = portal.client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


def pending(portal: Portal) -> dict[str, str]:
    """What the portal keeps server-side for this browser's flows."""
    session = portal.store.sessions[session_key(portal.client.cookies[COOKIE])]
    return session.pending


# ------------------------------------------------------------------ the log-in page
@pytest.mark.parametrize(
    ("lang", "csam", "register", "reset"),
    [
        ("nl", "Aanmelden met CSAM", "Registreer met een code", "Wachtwoord vergeten?"),
        ("fr", "Se connecter avec CSAM", "Inscrivez-vous avec un code", "Mot de passe oublié"),
    ],
)
def test_the_login_page_links_to_csam_registration_and_reset(
    portal: Portal, lang: str, csam: str, register: str, reset: str
) -> None:
    """Issue 20 item 2: the log-in page offers CSAM (RG-5, RG-6), registering by code
    (RG-1) and a new password (LF-4), in the member's language."""
    page = portal.client.get(f"/login?lang={lang}", follow_redirects=True).text
    assert re.search(rf'id="csam-login" href="/csam/login">[^<]*{csam}', page)
    assert re.search(rf'id="register-link" href="/register">[^<]*{register}', page)
    assert re.search(rf'id="reset-link" href="/reset">[^<]*{re.escape(reset)}', page)


# ------------------------------------------------------------------ CSAM (RG-5)
def csam_back(portal: Portal, who: str) -> httpx.Response:
    """Start at the portal, "log in" at the fake provider as ``who``, come back."""
    started = portal.client.get("/csam/login")
    assert started.status_code == 303
    location = started.headers["location"]
    assert location.startswith("https://csam.example/authorize?state=")
    state = location.rsplit("=", 1)[1]
    return portal.client.get("/csam/callback", params={"code": who, "state": state, "iss": "x"})


def test_rg5_csam_login_opens_a_portal_session_and_the_browser_holds_no_secret(
    portal: Portal,
) -> None:
    """RG-5, issue 20 item 2: the portal drives the redirects as a BFF: identity's browser
    binding stays in the portal's session (not in a cookie or the URL), the callback
    opens a portal session like a password log-in (a new session id), home shows Jan."""
    before = portal.client.get("/login")
    first_cookie = portal.client.cookies[COOKIE]
    started = portal.client.get("/csam/login")
    assert started.status_code == 303
    assert "browser-" not in started.headers["location"]
    assert "set-cookie" not in started.headers  # the session existed: nothing new to hold
    assert pending(portal)["csam"].startswith("browser-")
    state = started.headers["location"].rsplit("=", 1)[1]
    back = portal.client.get("/csam/callback", params={"code": "demo.jan", "state": state})
    assert back.status_code == 303 and back.headers["location"] == "/"
    assert portal.client.cookies[COOKIE] != first_cookie  # no session fixation
    home = portal.client.get("/")
    assert home.status_code == 200 and "Jan Peeters" in home.text
    assert before.status_code == 200 and "secret" not in home.text


def test_rg5_a_callback_not_started_in_this_browser_is_refused(portal: Portal) -> None:
    """RG-5 (login CSRF): a callback without this session's binding opens nothing."""
    portal.client.get("/login")
    answer = portal.client.get("/csam/callback", params={"code": "demo.jan", "state": "state-1"})
    assert answer.status_code == 400
    assert 'id="csam-error"' in answer.text and "niet gelukt" in answer.text
    assert portal.client.get("/").status_code == 303


def test_rg5_a_callback_is_single_use(portal: Portal) -> None:
    """RG-5: the binding is spent by the first callback; a replay is refused."""
    started = portal.client.get("/csam/login")
    state = started.headers["location"].rsplit("=", 1)[1]
    portal.client.get("/csam/callback", params={"error": "access_denied", "state": state})
    again = portal.client.get("/csam/callback", params={"code": "demo.jan", "state": state})
    assert again.status_code == 400


def test_rg5_not_a_member_is_told_to_contact_the_mutuality_in_french(portal: Portal) -> None:
    """RG-5: an INSZ the mutuality does not know (403 not-a-member), told in French."""
    portal.client.get("/login?lang=fr")
    answer = csam_back(portal, "nobody")
    assert answer.status_code == 403
    assert "Contactez votre mutualité" in answer.text
    assert '<html lang="fr">' in answer.text


def test_rg4_rg5_a_member_without_account_accepts_the_shown_terms_and_is_logged_in(
    portal: Portal,
) -> None:
    """RG-4, RG-5 (demo.newcomer): no account yet → the page tells what to do, shows the
    current terms and their version as identity publishes them; without the tick nothing
    opens; with it the account opens (CSAM only) and the member is logged in."""
    back = csam_back(portal, TOM.member_number)
    assert back.status_code == 303 and back.headers["location"] == "/csam/signup"
    page = portal.client.get("/csam/signup")
    assert page.status_code == 200
    assert "nog geen account" in page.text and 'id="terms-version">2024-01<' in page.text
    assert "Ik aanvaard de voorwaarden (versie 2024-01)" in page.text
    assert 'id="register-link"' in page.text  # or register by code
    csrf = page_csrf(portal, "/csam/signup")
    refused = portal.client.post("/csam/signup", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert 'aria-describedby="csam-signup-error"' in refused.text
    assert 'role="alert"' in refused.text
    opened = portal.client.post("/csam/signup", data={"csrf_token": csrf, "accept_terms": "yes"})
    assert opened.status_code == 303 and opened.headers["location"] == "/"
    assert "Tom Janssens" in portal.client.get("/").text
    assert portal.identity.members["csam:LM-300001"] == TOM


def test_rg5_the_signup_form_needs_the_csrf_token(portal: Portal) -> None:
    """Issue 20 item 2: every POST carries the session's CSRF token."""
    csam_back(portal, TOM.member_number)
    answer = portal.client.post("/csam/signup", data={"accept_terms": "yes"})
    assert answer.status_code == 403
    assert TOM.member_number in portal.identity.directory  # nothing opened


# ------------------------------------------------------------------ registration (RG-1..4)
def request_code(portal: Portal, identifier: str = "LM-300001", channel: str = "email") -> None:
    csrf = page_csrf(portal, "/register")
    answer = portal.client.post(
        "/register", data={"csrf_token": csrf, "identifier": identifier, "channel": channel}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/register/confirm"


def confirm(portal: Portal, **fields: str) -> httpx.Response:
    csrf = page_csrf(portal, "/register/confirm")
    data = {
        "csrf_token": csrf,
        "code": CODE,
        "username": "tom.janssens",
        "password": NEW_PASSWORD,
        "terms_version": "2024-01",
        "accept_terms": "yes",
        **fields,
    }
    return portal.client.post("/register/confirm", data={k: v for k, v in data.items() if v})


def test_rg1_rg4_register_by_code_showing_the_current_terms(portal: Portal) -> None:
    """RG-1..RG-4: member number → a code to the contact on file (masked); the confirm
    page shows the terms' version and text identity publishes and the "Ik aanvaard de
    voorwaarden" tick; code, username, password and the accepted version open the account;
    the new account logs in. The request id stays server-side."""
    request_code(portal)
    assert pending(portal)["registration"] == "registration-1"
    page = portal.client.get("/register/confirm")
    assert "t*****@example.org" in page.text
    assert 'id="terms-version">2024-01<' in page.text
    assert 'id="terms-text"' in page.text and "Ik aanvaard de voorwaarden" in page.text
    assert 'name="terms_version" value="2024-01"' in page.text
    assert "registration-1" not in page.text
    for field_id in ("code", "new-username", "new-password", "accept-terms"):
        assert f'<label for="{field_id}">' in page.text
    done = confirm(portal)
    assert done.status_code == 303 and done.headers["location"] == "/register/done"
    shown = portal.client.get("/register/done")
    assert 'id="register-done"' in shown.text and "tom.janssens" in shown.text
    portal.log_in("tom.janssens", NEW_PASSWORD)
    assert "Tom Janssens" in portal.client.get("/").text


def test_rg4_no_account_without_ticking_the_terms(portal: Portal) -> None:
    """RG-4: the terms must be ticked; the error is linked to the checkbox."""
    request_code(portal)
    answer = confirm(portal, accept_terms="")
    assert answer.status_code == 422
    text = answer.text
    assert "U moet de voorwaarden aanvaarden" in text
    assert re.search(r'id="accept-terms"[^>]*aria-invalid="true"', text)
    assert "tom.janssens" not in portal.identity.members


def test_rg4_terms_changed_meanwhile_are_shown_again(portal: Portal) -> None:
    """RG-4: the version accepted must be the current one: identity moved on → the member
    reads the new version."""
    request_code(portal)
    portal.identity.terms_now = Terms("2027-01", None, None)
    answer = confirm(portal)
    assert answer.status_code == 422
    text = answer.text
    assert "De voorwaarden zijn intussen gewijzigd" in text
    assert 'id="terms-version">2027-01<' in text and 'id="terms-text-missing"' in text


def test_rg3_wrong_code_weak_password_and_taken_username_in_french(portal: Portal) -> None:
    """RG-2, RG-3 in French: a wrong code tells the attempts left; a refused password and
    a taken username are explained in the member's words, each on its field."""
    portal.client.get("/login?lang=fr")
    request_code(portal)
    wrong = confirm(portal, code="000000")
    assert wrong.status_code == 422
    assert "Encore 4 essais" in wrong.text
    assert re.search(r'id="code"[^>]*aria-invalid="true"', wrong.text)
    weak = confirm(portal, password="short")
    assert "Ce mot de passe n'est pas accepté" in html.unescape(weak.text)
    taken = confirm(portal, username="demo.marie")
    assert taken.status_code == 409
    assert re.search(r'id="new-username"[^>]*aria-invalid="true"', taken.text)
    bad = confirm(portal, username="-x")
    assert "Ce nom d'utilisateur n'est pas possible" in html.unescape(bad.text)


def test_rg2_code_requests_pass_the_members_address_and_tell_a_429(portal: Portal) -> None:
    """Issue 15 item 1 / issue 20 item 2: identity's per-address budgets count the member
    (X-Forwarded-For from the portal); beyond them the member reads how long to wait."""
    request_code(portal)
    assert portal.identity.code_addresses == ["testclient"]
    portal.identity.code_failure = ServiceProblem(429, "Too many", retry_after=600)
    csrf = page_csrf(portal, "/register")
    answer = portal.client.post(
        "/register", data={"csrf_token": csrf, "identifier": "LM-300001", "channel": "sms"}
    )
    assert answer.status_code == 429
    assert "over 10 minuten" in answer.text
    assert re.search(r'id="channel-sms"[^>]*checked', answer.text)


def test_the_confirm_page_without_a_code_asked_goes_back_to_the_first_step(
    portal: Portal,
) -> None:
    assert portal.client.get("/register/confirm").headers["location"] == "/register"
    assert portal.client.get("/reset/confirm").headers["location"] == "/reset"


# ------------------------------------------------------------------ reset and compromise (LF-4)
def test_lf4_reset_a_password_by_code_ends_every_session(portal: Portal) -> None:
    """LF-4: username → a code; code + new password → changed; every session ended; the
    new password logs in, the old one not."""
    portal.log_in()
    csrf = page_csrf(portal, "/reset")
    asked = portal.client.post(
        "/reset", data={"csrf_token": csrf, "identifier": "demo.jan", "channel": "email"}
    )
    assert asked.status_code == 303 and asked.headers["location"] == "/reset/confirm"
    csrf = page_csrf(portal, "/reset/confirm")
    done = portal.client.post(
        "/reset/confirm",
        data={"csrf_token": csrf, "code": CODE, "new_password": NEW_PASSWORD},
    )
    assert done.status_code == 303 and done.headers["location"] == "/reset/done"
    assert 'id="reset-done"' in portal.client.get("/reset/done").text
    assert portal.client.get("/").status_code == 303  # this session ended too
    assert portal.identity.tokens == {}
    csrf = page_csrf(portal, "/login")
    old = portal.client.post(
        "/login", data={"csrf_token": csrf, "username": "demo.jan", "password": PASSWORD}
    )
    assert old.status_code == 401
    portal.log_in("demo.jan", NEW_PASSWORD)


def test_lf4_a_used_up_code_asks_for_a_new_one(portal: Portal) -> None:
    """LF-4 / issue 15 item 1: 410 (expired, used, superseded, attempts used) → ask anew."""
    csrf = page_csrf(portal, "/reset")
    portal.client.post(
        "/reset", data={"csrf_token": csrf, "identifier": "demo.jan", "channel": "email"}
    )
    portal.identity.code_failure = IdentityProblem(410, "Expired", reason="expired")
    csrf = page_csrf(portal, "/reset/confirm")
    answer = portal.client.post(
        "/reset/confirm", data={"csrf_token": csrf, "code": CODE, "new_password": NEW_PASSWORD}
    )
    assert answer.status_code == 410
    assert "Vraag een nieuwe code" in answer.text and 'id="new-code-link"' in answer.text


def test_lf4_report_compromise_ends_the_session_and_leads_to_a_new_password(
    portal: Portal,
) -> None:
    """LF-4: the page says what happens (every session ends, a new password by code); the
    report ends identity's sessions and the portal's, and leads to the reset page with a
    notice; the old password no longer logs in."""
    portal.log_in()
    assert 'id="compromise-link"' in portal.client.get("/").text
    page = portal.client.get("/compromised")
    assert "Al uw sessies stoppen meteen" in page.text
    csrf = page_csrf(portal, "/compromised")
    answer = portal.client.post("/compromised", data={"csrf_token": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/reset"
    reset = portal.client.get("/reset")
    assert 'id="notice"' in reset.text and "al uw sessies zijn gestopt" in reset.text
    assert portal.client.get("/").status_code == 303
    assert portal.identity.compromised == {"demo.jan"}
    csrf = page_csrf(portal, "/login")
    refused = portal.client.post(
        "/login", data={"csrf_token": csrf, "username": "demo.jan", "password": PASSWORD}
    )
    assert refused.status_code == 403


def test_lf4_compromise_needs_a_logged_in_member_and_the_csrf_token(portal: Portal) -> None:
    assert portal.client.get("/compromised").headers["location"] == "/login"
    portal.log_in()
    assert portal.client.post("/compromised", data={}).status_code == 403
    assert portal.identity.compromised == set()
