"""identity-svc routes: CSAM login through OpenID Connect (RG-5) and the login methods
the mutuality offers (RG-6).

A browser (or the portal) opens ``GET /v1/csam/login``, logs in at CSAM and comes back to
``GET /v1/csam/callback``, which answers JSON: the token pair, or a pending sign-up to
confirm with ``POST /v1/csam/signups/{signup_id}`` after accepting the terms.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from mylm_shared.inputs import InputModel
from mylm_shared.problems import problem_responses
from pydantic import BaseModel, ConfigDict, Field

from identity.entrypoints.api_sessions import TokenResponse
from identity.entrypoints.deps import AnonymousOrigin, CsamUseCase, UseCases
from identity.entrypoints.login_methods import LABELS
from identity.entrypoints.problems import CSAM_UNAVAILABLE
from identity.service.csam import LoggedIn

router = APIRouter(tags=["csam"])

# Binds a login to the browser that started it (login CSRF); only its hash is stored.
COOKIE = "mylm_csam_login"
COOKIE_PATH = "/v1/csam"


class LoginMethodItem(BaseModel):
    method: Literal["password", "csam"]
    label: str
    start: str = Field(description="Where a login with this method starts.")


class LoginMethods(BaseModel):
    items: list[LoginMethodItem]


class CsamLoggedIn(TokenResponse):
    status: Literal["logged-in"] = "logged-in"
    account_id: str
    member_id: str
    return_to: str | None = Field(description="As given to /v1/csam/login.")


class CsamSignupRequired(BaseModel):
    status: Literal["signup-required"] = "signup-required"
    signup_id: str = Field(description="Confirm with POST /v1/csam/signups/{signup_id}.")
    terms_version: str = Field(description="The terms version to accept (RG-4).")
    expires_in: int = Field(description="Seconds left to accept the terms.")
    return_to: str | None


class AcceptTerms(InputModel):
    model_config = ConfigDict(extra="forbid")
    accept_terms: bool = Field(description='RG-4: "Ik aanvaard de voorwaarden" ticked.')
    terms_version: str = Field(min_length=1, max_length=32)


_START = {"password": "/v1/sessions", "csam": "/v1/csam/login"}

_DISABLED = "CSAM login is not offered by this mutuality (`reason: method-disabled`, RG-6)."
_UNAVAILABLE = CSAM_UNAVAILABLE
_CALLBACK = {
    400: (
        "The login cannot be trusted or did not succeed (`reason`): state-unknown (tampered "
        "or not started here), browser-mismatch, state-expired, state-used (replayed), "
        "provider-error (cancelled at CSAM), issuer-mismatch, token-rejected (the code or "
        "the ID token did not validate)."
    ),
    403: (
        "`reason`: not-a-member (the national register number is not one of the "
        "mutuality's members), account-suspended / account-ended (LF-2; `account_reason`), "
        "or method-disabled (RG-6)."
    ),
    503: _UNAVAILABLE,
}
_SIGNUP = {
    403: _DISABLED,
    404: "No such pending sign-up.",
    409: "The member has an account already: log in (`reason: account-exists`).",
    410: "The sign-up expired or was used (`reason`): log in with CSAM again.",
    422: "The terms (their current version) are not accepted.",
    503: _UNAVAILABLE,
}


def _logged_in(result: LoggedIn) -> CsamLoggedIn:
    pair = result.tokens
    return CsamLoggedIn(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        account_id=result.account_id,
        member_id=result.member_id,
        return_to=result.return_to,
    )


@router.get("/v1/login-methods")
async def login_methods(use_cases: UseCases) -> LoginMethods:
    """RG-6: the login methods this mutuality offers (setting `LOGIN_METHODS`)."""
    return LoginMethods(
        items=[
            LoginMethodItem(method=method, label=LABELS[method], start=_START[method])
            for method in use_cases.settings.login_methods
        ]
    )


@router.get(
    "/v1/csam/login",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        302: {
            "description": (
                "To CSAM's authorization endpoint (code flow, PKCE S256, state, nonce); "
                f"sets the `{COOKIE}` cookie that binds the login to this browser."
            ),
            "headers": {
                "Location": {"schema": {"type": "string"}},
                "Set-Cookie": {"schema": {"type": "string"}},
            },
        },
        **problem_responses(403, 422, 503, described={403: _DISABLED, 503: _UNAVAILABLE}),
    },
)
async def csam_login(
    request: Request,
    csam: CsamUseCase,
    return_to: Annotated[
        str | None,
        Query(
            max_length=2048,
            description="Where the portal goes afterwards: a path, or a URL on an allowed "
            "origin (CSAM_RETURN_TO_ORIGINS); echoed by the callback.",
        ),
    ] = None,
) -> RedirectResponse:
    """RG-5: start a CSAM login (valid 10 minutes, once)."""
    started = await csam.start(return_to)
    redirect = RedirectResponse(started.authorization_url, status_code=302)
    redirect.headers["Cache-Control"] = "no-store"
    redirect.set_cookie(
        COOKIE,
        started.browser_secret,
        max_age=csam.context.settings.csam_login_seconds,
        path=COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back
    )
    return redirect


@router.get(
    "/v1/csam/callback",
    responses=problem_responses(400, 403, 503, described=_CALLBACK),
)
async def csam_callback(
    request: Request,
    response: Response,
    csam: CsamUseCase,
    origin: AnonymousOrigin,
    state: Annotated[str, Query(min_length=1, max_length=256)],
    code: Annotated[str | None, Query(max_length=2048)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
    iss: Annotated[str | None, Query(max_length=2048)] = None,
) -> CsamLoggedIn | CsamSignupRequired:
    """Where CSAM sends the browser back. A member with an account gets a session (the
    token pair, `status: logged-in`); a member without one gets a pending sign-up
    (`status: signup-required`) to confirm by accepting the terms (RG-4, RG-5)."""
    result = await csam.finish(
        state=state,
        code=code,
        error=error,
        issuer=iss,
        browser_secret=request.cookies.get(COOKIE),
        origin=origin,
    )
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    if isinstance(result, LoggedIn):
        return _logged_in(result)
    return CsamSignupRequired(
        signup_id=result.signup_id,
        terms_version=result.terms_version,
        expires_in=result.expires_in,
        return_to=result.return_to,
    )


@router.post(
    "/v1/csam/signups/{signup_id}",
    status_code=201,
    responses=problem_responses(403, 404, 409, 410, 422, 503, described=_SIGNUP),
)
async def csam_signup(
    signup_id: Annotated[str, Path(min_length=1, max_length=128)],
    body: AcceptTerms,
    response: Response,
    csam: CsamUseCase,
    origin: AnonymousOrigin,
) -> CsamLoggedIn:
    """RG-4, RG-5: the member accepts the terms; the account opens (CSAM only: no
    username, no password; `account.created` with method csam) with a session."""
    result = await csam.sign_up(
        signup_id,
        accept_terms=body.accept_terms,
        terms_version=body.terms_version,
        origin=origin,
    )
    response.headers["Cache-Control"] = "no-store"
    return _logged_in(result)
