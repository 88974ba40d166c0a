"""FastAPI dependencies of identity-svc's routes: the use cases and the caller's origin."""

from typing import Annotated

from fastapi import Depends, Request
from mylm_shared.auth import CurrentPrincipal, Principal
from mylm_shared.problems import forbidden
from mylm_shared.service import use_case

from identity.service.accounts import AccountOpening
from identity.service.context import IdentityContext, Origin
from identity.service.directory import Directory
from identity.service.sessions import Sessions

Context = Annotated[IdentityContext, use_case("identity", IdentityContext)]


def _sessions(context: Context) -> Sessions:
    return Sessions(context)


def _directory(context: Context) -> Directory:
    return Directory(context)


def _opening(context: Context) -> AccountOpening:
    return AccountOpening(context)


SessionsUseCase = Annotated[Sessions, Depends(_sessions)]
DirectoryUseCase = Annotated[Directory, Depends(_directory)]
OpeningUseCase = Annotated[AccountOpening, Depends(_opening)]


def client_address(request: Request) -> str | None:
    """The client's address: the socket's, or X-Forwarded-For's when the connection
    came from a proxy listed in FORWARDED_ALLOW_IPS (``mylm_shared.runner``)."""
    return request.client.host if request.client else None


def _anonymous_origin(request: Request) -> Origin:
    return Origin(client_address(request))


def _caller_origin(request: Request, principal: CurrentPrincipal) -> Origin:
    return Origin(client_address(request), principal)


AnonymousOrigin = Annotated[Origin, Depends(_anonymous_origin)]
CallerOrigin = Annotated[Origin, Depends(_caller_origin)]

OWN_SESSION_ONLY = "Use a token of your own session, not one exchanged for a dossier."


def own_session(principal: CurrentPrincipal) -> Principal:
    """The caller's own session: 403 for a token exchanged for a dossier (the actor
    acts on the dependant's dossier, never on their account) and for a service token
    (it has no account, issue 15 item 8)."""
    if principal.is_service:
        raise forbidden("A service token has no account or dossier of its own.")
    if principal.actor is not None:
        raise forbidden(OWN_SESSION_ONLY)
    return principal


OwnSession = Annotated[Principal, Depends(own_session)]
