"""Contract tests of the HTTP APIs: Schemathesis generates requests from each service's own
OpenAPI document and sends them to every service of services.toml, running as processes on
the real platform, as staff, as a member and without a token. Every answer must be documented:
no 5xx, no undocumented status code, content type, headers and body as the document says."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from testkit.people import new_member
from testkit.platform import Endpoints, remove_run
from testkit.polling import eventually
from testkit.slice import MODULES, Slice, User

pytestmark = pytest.mark.e2e

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Lean and reproducible on a 2-core machine: a fixed budget per operation, the same
# examples every run, no shrinking (a failure is reported as found).
CONTRACT_SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Contract:
    """The running services and the callers whose tokens the requests carry."""

    slice: Slice
    tokens: dict[str, dict[str, str]]  # caller → Authorization header (none: anonymous)
    # Path parameters naming real data: generated ids name nobody, so only these reach
    # the 200 answers with content. Staff see a member with an invoice (and its inbox
    # document); the member sees their own dossier.
    staff_ids: dict[str, str]
    member_ids: dict[str, str]
    http: requests.Session


@pytest.fixture(scope="module")
async def contract(platform: Endpoints) -> AsyncIterator[Contract]:
    run = f"t{uuid.uuid4().hex[:10]}"
    services = Slice(run, platform)
    try:
        services.start()
        staff = await User.log_in(services, "demo.staff")
        member = await User.log_in(services, "demo.titular")
        victim = await User.log_in(services, "demo.other")
        try:
            member_id = (await member.call("GET", "identity", "/v1/me")).json()["member_id"]
            billed = await staff.register_member("contract")  # e-mail in the run's domain
            invoice = await _issue_invoice_once_billing_knows(staff, billed)
            await eventually(
                lambda: staff.documents(billed), within=60, what="the invoice in the inbox"
            )
        finally:
            await staff.aclose()
            await member.aclose()
            await victim.aclose()
        with requests.Session() as http:
            yield Contract(
                services,
                {
                    "anonymous": {},
                    "staff": staff.headers,
                    "member": member.headers,
                    "victim": victim.headers,
                },
                {"member_id": billed, "invoice_id": invoice["invoice_id"]},
                {"member_id": member_id},
                http,
            )
    finally:
        services.stop()
        await remove_run(platform, run)


async def _issue_invoice_once_billing_knows(staff: User, member_id: str) -> dict[str, Any]:
    """Billing learns members from member.registered; until then it answers 422."""

    async def issue() -> httpx.Response:
        return await staff.issue_invoice(member_id, key=f"contract-{member_id}")

    response = await eventually(
        issue, until=lambda r: r.status_code == 201, within=60, what="billing knows the member"
    )
    invoice: dict[str, Any] = response.json()
    return invoice


# Operations that end every session of the caller (LF-4, logout everywhere, a password
# change): fuzzed as ``victim`` only.
ENDS_THE_CALLERS_SESSIONS = {
    "POST /v1/me/compromised",
    "DELETE /v1/me/sessions",
    "PUT /v1/me/password",
}


def check_every_caller(
    case: schemathesis.Case[Any], contract: Contract, module: str, findings: dict[str, str]
) -> None:
    """The generated request as staff and as the member, then as each of them on real data
    where the path names a member or an invoice; without a token for an open operation
    (or a protected one, where the answer is a 401 whatever the request). Each distinct
    failure is kept with a request reproducing it."""
    if "security" not in case.operation.definition.raw:
        calls = [(case.derive(), "anonymous")]
    elif case.operation.label in ENDS_THE_CALLERS_SESSIONS:
        # Run as a member whose account may be ruined, so the others' tokens stay valid.
        calls = [(case.derive(), caller) for caller in ("anonymous", "victim")]
    else:
        calls = [(case.derive(), caller) for caller in ("anonymous", "staff", "member")]
        for ids, caller in ((contract.staff_ids, "staff"), (contract.member_ids, "member")):
            real = {name: value for name, value in ids.items() if name in case.path_parameters}
            if real:
                on_real_data = case.derive()
                on_real_data.path_parameters.update(real)
                calls.append((on_real_data, caller))
    for call, caller in calls:
        for name in [n for n in call.headers if n.lower() == "authorization"]:
            del call.headers[name]  # the caller's token, or none, is what is tested
        headers = contract.tokens[caller]
        try:
            call.call_and_validate(
                base_url=contract.slice.url(module),
                session=contract.http,
                headers=headers,
                checks=CHECKS,
            )
        except (Failure, FailureGroup) as error:
            for failure in error.exceptions if isinstance(error, FailureGroup) else [error]:
                summary = failure.message.splitlines()[0] if failure.message else ""
                key = f"{case.operation.label} as {caller}: {failure.title}: {summary}"
                findings.setdefault(key, call.as_curl_command(headers=headers))


@pytest.mark.parametrize("module", MODULES)  # every service of services.toml
def test_every_operation_answers_as_its_openapi_documents(module: str, contract: Contract) -> None:
    schema = schemathesis.openapi.from_url(f"{contract.slice.url(module)}/openapi.json")
    findings: dict[str, str] = {}

    def answers_as_documented(case: schemathesis.Case[Any]) -> None:
        check_every_caller(case, contract, module, findings)

    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            pytest.fail(f"{module}'s OpenAPI document is not valid: {result.err()}")
        # What `@schema.parametrize()` builds per operation (the schema's examples, the
        # coverage phase's boundary values, then fuzzing, positive and negative); driven
        # here because schemathesis.pytest.from_fixture breaks on pytest 9.2 (Node._nodeid).
        create_test(
            operation=result.ok(),
            test_func=answers_as_documented,
            config=HypothesisTestConfig(
                project=schema.config, modes=list(HypothesisTestMode), settings=CONTRACT_SETTINGS
            ),
        )()
    assert not findings, "\n".join(f"- {what}\n  {curl}" for what, curl in sorted(findings.items()))


def test_writes_that_succeed_replay_or_conflict_answer_as_documented(contract: Contract) -> None:
    """Generated bodies almost never make a member or an invoice (that takes a valid INSZ,
    or a member billing knows), so the 201s, the replay and the 409s are sent explicitly."""
    staff = contract.tokens["staff"]

    def send(module: str, path: str, **request: Any) -> schemathesis.Response:
        schema = schemathesis.openapi.from_url(f"{contract.slice.url(module)}/openapi.json")
        case = schema[path]["POST"].Case(media_type="application/json", **request)
        return case.call_and_validate(
            base_url=contract.slice.url(module), session=contract.http, headers=staff, checks=CHECKS
        )

    member = new_member(f"contract-write@{contract.slice.email_domain}")
    assert send("identity", "/v1/members", body=member).status_code == 201
    assert send("identity", "/v1/members", body=member).status_code == 409

    key = {"Idempotency-Key": f"contract-{uuid.uuid4()}"}
    invoice = {
        "member_id": contract.staff_ids["member_id"],
        "issue_date": "2026-11-23",
        "due_date": "2026-12-23",
        "lines": [{"service_date": "2026-11-02", "description": "Consultatie", "amount": "9.99"}],
    }
    first = send("billing", "/v1/invoices", body=invoice, headers=key)
    replayed = send("billing", "/v1/invoices", body=invoice, headers=key)
    assert (first.status_code, replayed.status_code) == (201, 201)
    assert replayed.headers["idempotent-replayed"] == ["true"]
    changed = {**invoice, "due_date": "2026-12-24"}
    assert send("billing", "/v1/invoices", body=changed, headers=key).status_code == 409


# inbox's documents page by cursor (issue 19 item 1; a forged cursor is a 422 there,
# inbox-svc/tests/integration/test_inbox_documents.py)
@pytest.mark.parametrize(("module", "path"), [("billing", "/v1/members/{}/invoices")])
def test_an_offset_beyond_the_bound_is_a_422_not_a_server_error(
    module: str, path: str, contract: Contract
) -> None:
    """Schemathesis's first finding: a 500 for ``offset=9999999999999999999`` (past int64)."""
    response = contract.http.get(
        f"{contract.slice.url(module)}{path.format(contract.staff_ids['member_id'])}",
        params={"offset": "9999999999999999999"},
        headers=contract.tokens["staff"],
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["location"] for e in response.json()["errors"]] == [["query", "offset"]]


@pytest.mark.parametrize("username", ["demo.titular\u0000", "\u0000"])
def test_a_username_holding_u0000_is_a_422_not_a_server_error(
    username: str, contract: Contract
) -> None:
    """Issue 15 item 5, Schemathesis's finding: U+0000 reached FerretDB (PostgreSQL cannot
    store it) and the login answered 500; it is refused before the store now."""
    response = contract.http.post(
        f"{contract.slice.url('identity')}/v1/sessions",
        json={"username": username, "password": "Demo-Passw0rd!"},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["location"], e["type"]) for e in response.json()["errors"]] == [
        (["body", "username"], "control_character")
    ]


@pytest.mark.parametrize(
    ("module", "path"),
    [
        ("identity", "/v1/sessions"),
        ("billing", "/v1/invoices"),
        ("policy", "/v1/policies"),
        ("claims", "/v1/claims"),
    ],
)
def test_a_json_body_above_the_limit_is_a_413_as_documented(
    module: str, path: str, contract: Contract
) -> None:
    """Issue 15 item 5: every service bounds JSON bodies (256 KiB by default) before
    parsing them, answers 413 problem+json, and documents it."""
    url = contract.slice.url(module)
    body = b'{"x": "' + b"x" * (300 * 1024) + b'"}'
    response = contract.http.post(
        f"{url}{path}",
        data=body,
        headers={**contract.tokens["staff"], "content-type": "application/json"},
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    documented = contract.http.get(f"{url}/openapi.json").json()["paths"][path]["post"]
    assert "413" in documented["responses"]
