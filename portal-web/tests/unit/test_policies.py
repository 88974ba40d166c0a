"""The portal's policies (issue 20 item 2; PC-1..PC-4, PC-8, PC-12) against the fakes:
the member's contracts and proposals, one contract with its policyholder, insured
persons and their relation, covers with the threshold and the general conditions'
amounts, the premium and its due dates, the conditions PDF streamed in the member's
language, and accepting a proposal (CSRF, consent, post/redirect/get, refusals in the
member's words)."""

import html as html_module
import importlib.util
import re
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from portal.ports import ServiceProblem
from portal.upstream.policy import FormalNotice, PremiumTerm, policy_of, relation_of

from testkit.fakes.portal import JAN, MARIE
from testkit.fakes.portal_policy import family_policy, proposal


def _helpers() -> ModuleType:
    """test_portal.py's ``Portal`` (the app on every area's fakes), loaded once."""
    name = "portal_unit_helpers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("test_portal.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def portal() -> Any:
    running = _helpers().Portal()
    running.policy.held[JAN.member_id] = [family_policy("POL-JAN-1"), proposal("POL-JAN-2")]
    running.log_in()
    return running


def text(html: str) -> str:
    """The page's text: tags dropped, spaces (also the no-break ones) made plain."""
    plain = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"[\s\u00a0\u202f]+", " ", plain).strip()


def element(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.DOTALL)
    assert found, f"no #{element_id}"
    return text(found[0])


def french(portal: Any, path: str) -> None:
    assert portal.client.get(f"{path}?lang=fr").status_code == 303


def test_the_list_shows_number_state_start_premium_and_covers_with_the_proposal_first(
    portal: Any,
) -> None:
    """Issue 20 item 2 (PC-1, PC-8): each policy and proposal with its number, state,
    start date, yearly premium and covers, e-protection included; the proposal waiting
    for the member comes first and is announced."""
    page = portal.client.get("/policies")
    assert page.status_code == 200
    assert 'id="nav-policies" href="/policies" aria-current="page"' in page.text
    table = element(page.text, "policies-table")
    assert table.index("POL-JAN-2") < table.index("POL-JAN-1")
    assert "Voorstel" in table and "Actief" in table
    assert "01/01/2026" in table and "01/01/2027" in table
    assert "€ 222,87" in table  # 204.00 net + 9.25 % taxes (PC-8)
    assert "Rechtsbijstand e-protection" in table and "Hulpverlening" in table
    assert 'href="/policies/POL-JAN-1"' in page.text
    assert "op uw aanvaarding wacht" in element(page.text, "proposal-waiting")


def test_a_member_without_policies_is_told_so(portal: Any) -> None:
    portal.policy.held[JAN.member_id] = []
    page = portal.client.get("/policies")
    assert page.status_code == 200
    assert "geen verzekering" in element(page.text, "no-policies")
    assert 'id="policies-table"' not in page.text


def test_the_contract_shows_holder_insured_persons_covers_premium_and_terms_in_dutch(
    portal: Any,
) -> None:
    """Issue 20 item 2: the contract as the policy states it — policyholder, formula,
    threshold (PA-1), start (PC-4), the insured persons with their relation (PC-3), the
    covers with the general conditions' amounts (PA-5, AS-3, LA-11), the premium as net +
    taxes + contributions (PC-8), not indexed (PC-12), each due date and when paid."""
    portal.clock.now = portal.clock.now.replace(year=2026, month=12, day=2)
    page = portal.client.get("/policies/POL-JAN-1")
    assert page.status_code == 200
    html = page.text
    assert element(html, "policy-title") == "Verzekering POL-JAN-1"
    assert element(html, "policy-status") == "Actief"
    assert element(html, "policy-holder") == "Jan Peeters"
    assert element(html, "policy-formula") == "Familie"
    assert element(html, "policy-threshold") == "5 % blijvende ongeschiktheid"
    assert element(html, "policy-start") == "01/01/2026"
    insured = element(html, "insured-persons")
    assert "Jan Peeters Verzekeringnemer" in insured
    assert "Lotte Peeters Kind dat bij de verzekeringnemer inwoont" in insured
    assert "Ongehuwd studerend kind jonger dan 26, elders wonend" in insured
    assert "Lore &lt;Peeters&gt;" in html  # a name is text, never markup
    covers = element(html, "policy-covers")
    assert "€ 1.000.000,00 per ongeval" in covers and "€ 5.000,00" in covers
    assert "€ 7.500,00" in covers  # AS-3 medical costs abroad
    assert "wachttijd van 1 maand" in covers  # LA-2
    assert "niet geïndexeerd" in text(html)  # PC-12
    premium = element(html, "policy-premium")
    assert "Nettopremie € 204,00" in premium and "Taksen € 18,87" in premium
    assert "Totaal per jaar € 222,87" in premium
    assert "Betaald op 20/12/2025" in element(html, "premium-terms")
    link = re.search(r'id="policy-conditions" href="([^"]+)"', html)
    assert link and link[1] == "/policies/POL-JAN-1/conditions.pdf"
    assert 'id="accept-form"' not in html  # a signed contract is not accepted again


def test_the_contract_in_french_as_french_speaking_belgians_read_it(portal: Any) -> None:
    """Issue 20 item 2: the same contract in French, amounts written 1 000 000,00 €."""
    french(portal, "/policies/POL-JAN-1")
    html = portal.client.get("/policies/POL-JAN-1").text
    assert '<html lang="fr">' in html
    assert element(html, "policy-title") == "Assurance POL-JAN-1"
    assert element(html, "policy-threshold") == "5 % d'invalidité permanente"
    assert "Enfant vivant sous le toit du preneur d'assurance" in element(html, "insured-persons")
    assert "1 000 000,00 € par accident" in element(html, "policy-covers")
    assert "Payée le 20/12/2025" in element(html, "premium-terms")
    assert "Conditions particulières (PDF)" in element(html, "policy-conditions")
    assert element(html, "policy-formula") == "Famille"


def test_an_unpaid_first_premium_and_a_formal_notice_are_shown(portal: Any) -> None:
    """PC-4: awaiting the first premium, the member is sent to the invoices; PC-8: an
    overdue term with its formal notice (suspension, announced end)."""
    notice = FormalNotice(
        date(2026, 11, 2), Decimal("17.88"), date(2026, 11, 18), date(2026, 12, 3)
    )
    waiting = replace(
        family_policy("POL-JAN-1"),
        status="awaiting_first_premium",
        premium_terms=(PremiumTerm(1, date(2026, 10, 1), None, (notice,)),),
    )
    portal.policy.held[JAN.member_id] = [waiting]
    html = portal.client.get("/policies/POL-JAN-1").text
    assert element(html, "policy-status") == "Wacht op de eerste premie"
    awaiting = re.search(r'id="awaiting-premium".*?</p>', html, re.S)
    assert awaiting and 'href="/invoices"' in awaiting[0]
    terms = element(html, "premium-terms")
    assert "Niet betaald" in terms
    assert "geschorst vanaf 18/11/2026" in terms and "einde van het contract op 03/12/2026" in terms


def test_the_conditions_pdf_is_streamed_in_the_members_language(portal: Any) -> None:
    """Issue 20 item 2: the special conditions come from policy-svc with the member's
    token, in the language the portal shows (fr after the switch)."""
    french(portal, "/policies/POL-JAN-1")
    pdf = portal.client.get("/policies/POL-JAN-1/conditions.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == portal.policy.pdf
    assert "conditions-POL-JAN-1-fr.pdf" in pdf.headers["content-disposition"]
    assert portal.policy.languages == ["fr"]


def test_another_members_policy_and_its_pdf_are_not_found(portal: Any) -> None:
    """AC-1: Marie's policy is a 404 for Jan, its PDF too (nothing leaks); without a
    session every policy page leads to the log-in page."""
    portal.policy.held[MARIE.member_id] = [proposal("POL-MARIE-1", MARIE.member_id)]
    assert portal.client.get("/policies/POL-MARIE-1").status_code == 404
    assert portal.client.get("/policies/POL-MARIE-1/conditions.pdf").status_code == 404
    csrf = portal.csrf("/policies/POL-JAN-2")
    refused = portal.client.post(
        "/policies/POL-MARIE-1/accept", data={"csrf_token": csrf, "consent": "yes"}
    )
    assert refused.status_code == 404 and portal.policy.accepted == []
    stranger = _helpers().Portal()
    for path in ("/policies", "/policies/POL-JAN-1", "/policies/POL-JAN-1/conditions.pdf"):
        answer = stranger.client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_proposal_shows_what_is_accepted_and_the_accept_form(portal: Any) -> None:
    """PC-1, PC-4: a proposal shows its covers (no e-protection), the insured on the start
    date, that the first premium is asked after accepting, the proposal's PDF and a form
    with a labelled consent checkbox naming the proposal's date and premium."""
    html = portal.client.get("/policies/POL-JAN-2").text
    assert element(html, "policy-title") == "Voorstel POL-JAN-2"
    assert element(html, "policy-proposed") == "30/11/2026"
    assert "Zonder rechtsbijstand e-protection" in element(html, "no-e-protection")
    assert "Verzekerde personen op de aanvangsdatum" in element(html, "insured-title")
    assert "vervalt op 01/01/2027" in element(html, "no-terms")
    assert "Voorstel van bijzondere voorwaarden (PDF)" in element(html, "policy-conditions")
    form = re.search(r'<form id="accept-form".*?</form>', html, re.S)
    assert form
    assert 'action="/policies/POL-JAN-2/accept"' in form[0]
    assert 'name="csrf_token"' in form[0]
    assert '<label for="accept-consent">' in form[0]
    assert "van 30/11/2026 gelezen" in text(form[0]) and "€ 78,66" in text(form[0])


def test_accepting_without_the_consent_is_refused_with_a_linked_error(portal: Any) -> None:
    """Issue 20 item 2: the checkbox is required; its error is announced (role=alert) and
    linked to it (aria-describedby); nothing is accepted."""
    csrf = portal.csrf("/policies/POL-JAN-2")
    answer = portal.client.post("/policies/POL-JAN-2/accept", data={"csrf_token": csrf})
    assert answer.status_code == 400
    assert re.search(r'id="consent-error" role="alert"', answer.text)
    assert 'aria-invalid="true" aria-describedby="consent-error"' in answer.text
    assert re.search(r'id="consent-summary"><a href="#accept-consent">Vink aan', answer.text)
    assert portal.policy.accepted == []


def test_accepting_without_the_csrf_token_is_forbidden(portal: Any) -> None:
    answer = portal.client.post("/policies/POL-JAN-2/accept", data={"consent": "yes"})
    assert answer.status_code == 403
    assert portal.policy.accepted == []


def test_accepting_a_proposal_redirects_to_the_signed_contract_with_a_notice(
    portal: Any,
) -> None:
    """Issue 20 item 2 (post/redirect/get; PC-4, PC-8): the proposal is accepted with the
    member's token; the contract then waits for its first premium, told on the page."""
    csrf = portal.csrf("/policies/POL-JAN-2")
    answer = portal.client.post(
        "/policies/POL-JAN-2/accept", data={"csrf_token": csrf, "consent": "yes"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/policies/POL-JAN-2?notice=accepted"
    assert portal.policy.accepted == ["POL-JAN-2"]
    html = portal.client.get(answer.headers["location"]).text
    assert "U hebt het voorstel aanvaard" in element(html, "policy-notice")
    assert element(html, "policy-status") == "Wacht op de eerste premie"
    assert element(html, "policy-signed") == "02/12/2026"
    assert 'id="accept-form"' not in html
    assert "Te betalen" in element(html, "premium-terms") or "Niet betaald" in element(
        html, "premium-terms"
    )


def test_an_unknown_notice_is_not_shown(portal: Any) -> None:
    html = portal.client.get("/policies/POL-JAN-1?notice=<script>").text
    assert 'id="policy-notice"' not in html and "<script>" not in html


@pytest.mark.parametrize(
    ("problem", "language", "expected"),
    [
        (
            ServiceProblem(409, "The proposal changed since it was shown."),
            "nl",
            "gewijzigd sinds u het las",
        ),
        (
            ServiceProblem(422, "PC-2: not older than 18."),
            "fr",
            "la formule single demande un preneur d'assurance de plus de 18 ans",
        ),
        (ServiceProblem(403, "Only the policyholder."), "fr", "Seul le preneur d'assurance"),
        (ServiceProblem(400, "Something policy-svc says."), "nl", "Something policy-svc says."),
    ],
)
def test_a_refused_acceptance_is_told_in_the_members_words(
    portal: Any, problem: ServiceProblem, language: str, expected: str
) -> None:
    """Issue 20 item 2: policy-svc's refusals (409 not a proposal any more, 422 PC-2,
    403 not the policyholder) in the member's language; another refusal: its detail."""
    if language == "fr":
        french(portal, "/policies/POL-JAN-2")
    portal.policy.refuse_accept = problem
    csrf = portal.csrf("/policies/POL-JAN-2")
    answer = portal.client.post(
        "/policies/POL-JAN-2/accept", data={"csrf_token": csrf, "consent": "yes"}
    )
    assert answer.status_code == problem.status
    assert expected in element(answer.text, "accept-error")
    assert 'role="alert"' in answer.text
    assert portal.policy.accepted == []


def test_accepting_twice_says_it_is_no_proposal_any_more(portal: Any) -> None:
    """PC-1: a second acceptance (another tab) is policy-svc's 409, in words; the page
    shows the signed contract."""
    csrf = portal.csrf("/policies/POL-JAN-2")
    data = {"csrf_token": csrf, "consent": "yes"}
    assert portal.client.post("/policies/POL-JAN-2/accept", data=data).status_code == 303
    again = portal.client.post("/policies/POL-JAN-2/accept", data=data)
    assert again.status_code == 409
    assert "kan niet meer aanvaard" in element(again.text, "accept-error")
    assert element(again.text, "policy-status") == "Wacht op de eerste premie"


def test_the_relation_holder_amounts_and_versions_come_from_policy_svcs_answer() -> None:
    """Issue 20 item 2 (PC-2/PC-3, PA-5, AS-3, LA-11): the adapter reads policy-svc's
    ``policyholder_name``, each person's ``category``, ``cover_amounts`` and the proposal
    and accepted versions — nothing parsed from a reason text, no amounts of its own."""
    assert relation_of("child_in") == "child_in" and relation_of(None) == "other"
    assert relation_of("child living with the policyholder") == "other"  # no text parsing
    person = {"person_id": "p-1", "name": "Sam", "rule": "PC-3", "reason": "x"}
    body = {
        "policy_id": "POL-1",
        "policyholder_member_id": "m-1",
        "policyholder_name": "An Claes",
        "status": "proposed",
        "formula": "family",
        "covers": ["accident", "assistance"],
        "threshold_pct": 5,
        "e_protection": False,
        "start_date": "2027-01-01",
        "proposed_on": "2026-11-30",
        "signed_on": None,
        "premium": {"net": "156.00", "taxes": "14.43", "contributions": "0.00", "total": "170.43"},
        "cover_amounts": [
            {"key": "limit_accident", "cover": "accident", "amount": "1000000.00", "rule": "PA-5"},
            {"key": "medical_abroad", "cover": "assistance", "amount": "7500.00", "rule": "AS-3"},
        ],
        "insured": [
            {**person, "insured": True, "relation": "partner", "category": "partner"},
            {**person, "insured": True, "relation": "child", "category": "minor_elsewhere"},
        ],
        "proposal_version": "abc123",
        "accepted_version": None,
        "accepted_at": None,
    }
    policy = policy_of(body)
    assert policy.holder_name == "An Claes"
    assert [p.relation for p in policy.insured] == ["partner", "minor_elsewhere"]
    assert policy.cover_amounts == {
        "limit_accident": Decimal("1000000.00"),
        "medical_abroad": Decimal("7500.00"),
    }
    assert (policy.proposal_version, policy.accepted_version) == ("abc123", None)


def test_the_covers_quote_the_amounts_policy_svc_gives(portal: Any) -> None:
    """Issue 20 item 2 (PA-5, AS-3): the amounts are policy-svc's, not the portal's: other
    amounts in the answer are the ones shown."""
    other = replace(
        family_policy("POL-JAN-1"),
        cover_amounts={
            "limit_accident": Decimal("2000000.00"),
            "funeral": Decimal("6000.00"),
            "medical_abroad": Decimal("8000.00"),
            "limit_e_protection": Decimal("5000.00"),
        },
    )
    portal.policy.held[JAN.member_id] = [other]
    covers = element(portal.client.get("/policies/POL-JAN-1").text, "policy-covers")
    assert "€ 2.000.000,00 per ongeval" in covers and "€ 6.000,00" in covers
    assert "€ 8.000,00" in covers and "€ 1.000.000,00" not in covers


def test_the_accept_form_sends_the_proposal_version_shown(portal: Any) -> None:
    """Issue 20 item 2 (PC-1): the form carries the version of the proposal the member
    read, and the portal sends it to policy-svc with the acceptance."""
    html = portal.client.get("/policies/POL-JAN-2").text
    form = re.search(r'<form id="accept-form".*?</form>', html, re.S)
    assert form and 'name="proposal_version" value="v-POL-JAN-2-1"' in form[0]
    csrf = portal.csrf("/policies/POL-JAN-2")
    data = {"csrf_token": csrf, "consent": "yes", "proposal_version": "v-POL-JAN-2-1"}
    answer = portal.client.post("/policies/POL-JAN-2/accept", data=data)
    assert answer.status_code == 303
    assert portal.policy.accepted_versions == ["v-POL-JAN-2-1"]


def test_a_proposal_changed_since_it_was_shown_is_shown_again_to_read(portal: Any) -> None:
    """Issue 20 item 2 (PC-1): the proposal changed after the member opened it; policy-svc
    refuses the old version (409): the page says so and shows the current proposal, whose
    form now carries the new version; nothing is accepted."""
    csrf = portal.csrf("/policies/POL-JAN-2")
    changed = portal.policy.change_proposal(JAN.member_id, "POL-JAN-2")
    data = {"csrf_token": csrf, "consent": "yes", "proposal_version": "v-POL-JAN-2-1"}
    answer = portal.client.post("/policies/POL-JAN-2/accept", data=data)
    assert answer.status_code == 409
    assert "gewijzigd sinds u het las" in element(answer.text, "accept-error")
    assert f'name="proposal_version" value="{changed.proposal_version}"' in answer.text
    assert portal.policy.accepted == []
