"""The OAuth 2.0 token endpoint for services (RFC 6749 §3.2, grant §4.4 client
credentials): ``POST /v1/oauth/token`` with an ``application/x-www-form-urlencoded``
body, the client authenticated by HTTP Basic (``client_secret_basic``, §2.3.1) or by
``client_id`` / ``client_secret`` form fields (``client_secret_post``).

Hand-rolled rather than authlib's ``AuthorizationServer``: authlib has server
integrations for Flask and Django only, and wiring its generic server to Starlette
(request/response wrappers, a client model, a token generator) would be more code than
this one grant; the secret check is identity's argon2id password check. The form is
parsed with the standard library, so no multipart dependency is needed.

Answers and errors follow RFC 6749 (§5.1, §5.2), not problem+json: OAuth clients
(``mylm_shared.service_tokens``, any library) expect that shape.
"""

import base64
import binascii
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote_plus

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from identity.entrypoints.deps import UseCases, client_address
from identity.service.client_credentials import (
    InvalidClient,
    InvalidScope,
    Locked,
)

router = APIRouter(tags=["oauth"])

FORM = "application/x-www-form-urlencoded"
# §5.1: token answers must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
CHALLENGE = 'Basic realm="mylm", charset="UTF-8"'
MAX_BODY = 4096


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105
    expires_in: int
    scope: str


class OAuthError(BaseModel):
    error: Literal["invalid_request", "invalid_client", "unsupported_grant_type", "invalid_scope"]
    error_description: str | None = None


class _Refused(Exception):
    def __init__(self, status: int, error: str, description: str, **headers: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers


def _invalid_request(description: str) -> _Refused:
    return _Refused(400, "invalid_request", description)


def _invalid_client(description: str = "Client authentication failed.") -> _Refused:
    # §5.2: 401 with a challenge of the scheme the client may use.
    return _Refused(401, "invalid_client", description, **{"WWW-Authenticate": CHALLENGE})


async def _form(request: Request) -> dict[str, str]:
    """§3.2: form-encoded; parameters without a value are omitted; none may repeat."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM:
        raise _invalid_request(f"The body must be {FORM}.")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise _invalid_request("The body is too large.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise _invalid_request("The body is not a valid form.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise _invalid_request(f"The parameter {name!r} is repeated.")
        if value:
            form[name] = value
    return form


def _basic(header: str) -> tuple[str, str]:
    """§2.3.1: base64 of the form-urlencoded client id, ':' and secret."""
    try:
        decoded = base64.b64decode(header, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _invalid_client("Malformed Basic credentials.") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _invalid_client("Malformed Basic credentials.")
    return unquote_plus(client_id), unquote_plus(secret)


def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """One authentication method per request (§2.3): Basic, or the form fields."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    in_form = "client_id" in form or "client_secret" in form
    if scheme.lower() == "basic":
        if in_form:
            raise _invalid_request("Use one client authentication method, not two.")
        return _basic(credentials.strip())
    if "client_id" in form and "client_secret" in form:
        return form["client_id"], form["client_secret"]
    raise _invalid_client()


def _error(refused: _Refused) -> JSONResponse:
    body = OAuthError(error=refused.error, error_description=refused.description)
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=refused.status,
        headers={**NO_STORE, **refused.headers},
    )


def _responses() -> dict[int | str, dict[str, Any]]:
    def error(description: str) -> dict[str, Any]:
        return {"model": OAuthError, "description": description}

    return {
        400: error("invalid_request, unsupported_grant_type or invalid_scope (RFC 6749 §5.2)"),
        401: error("invalid_client: unknown client or wrong secret; WWW-Authenticate: Basic"),
        429: error("Too many failed client authentications from this address; Retry-After."),
    }


_FORM_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "scope": {"type": "string", "example": "policy:read"},
                        "client_id": {"type": "string", "description": "client_secret_post"},
                        "client_secret": {"type": "string", "description": "client_secret_post"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/v1/oauth/token",
    response_model=TokenOut,
    responses=_responses(),
    openapi_extra=_FORM_SCHEMA,
)
async def token(request: Request, use_cases: UseCases) -> Any:
    """RFC 6749 §4.4 client credentials: a configured service (``SERVICE_CLIENTS``) gets a
    short-lived access token (``SERVICE_TOKEN_SECONDS``) whose ``sub`` is its client id,
    role ``service``, ``scope`` the requested scopes (default: all it is allowed)."""
    tokens = use_cases.service_tokens
    try:
        form = await _form(request)
        client_id, secret = _client(request, form)
        try:
            await tokens.authenticate(client_id, secret, client_address(request))
        except InvalidClient:
            raise _invalid_client() from None
        except Locked as locked:
            raise _Refused(
                429,
                "invalid_client",
                "Too many failed client authentications from this address.",
                **{"Retry-After": str(locked.retry_after)},
            ) from None
        grant_type = form.get("grant_type")
        if grant_type is None:
            raise _invalid_request("grant_type is required.")
        if grant_type != "client_credentials":
            raise _Refused(400, "unsupported_grant_type", "Only client_credentials is offered.")
        try:
            issued = tokens.issue(client_id, form.get("scope"))
        except InvalidScope:
            raise _Refused(400, "invalid_scope", "A requested scope is not allowed.") from None
    except _Refused as refused:
        return _error(refused)
    body = TokenOut(
        access_token=issued.access_token, expires_in=issued.expires_in, scope=issued.scope
    )
    return JSONResponse(body.model_dump(), headers=NO_STORE)
