"""FastAPI dependencies of identity-svc's routes: the use cases and the caller's origin."""

from typing import Annotated

from fastapi import Depends, Request
from mylm_shared.auth import CurrentPrincipal, Principal
from mylm_shared.problems import forbidden
from mylm_shared.service import use_cases

from identity.service.account_life import AccountLife
from identity.service.audit import AuditUseCases
from identity.service.context import Origin
from identity.service.csam import CsamLogin
from identity.service.directory import Directory
from identity.service.dossiers import Dossiers
from identity.service.password_reset import PasswordReset
from identity.service.registration import Registration
from identity.service.sessions import Sessions
from identity.service.use_cases import IdentityUseCases

# The use cases ``bootstrap`` wired, typed (docs/architecture.md "Wiring"); a route takes
# ``use_cases: UseCases`` or one of the use cases below.
UseCases = Annotated[IdentityUseCases, use_cases(IdentityUseCases)]


def _sessions(use_cases: UseCases) -> Sessions:
    return use_cases.sessions


def _directory(use_cases: UseCases) -> Directory:
    return use_cases.directory


def _registration(use_cases: UseCases) -> Registration:
    return use_cases.registration


def _password_reset(use_cases: UseCases) -> PasswordReset:
    return use_cases.password_reset


def _csam(use_cases: UseCases) -> CsamLogin:
    return use_cases.csam


def _dossiers(use_cases: UseCases) -> Dossiers:
    return use_cases.dossiers


def _account_life(use_cases: UseCases) -> AccountLife:
    return use_cases.account_life


def _audit(use_cases: UseCases) -> AuditUseCases:
    return use_cases.audit


SessionsUseCase = Annotated[Sessions, Depends(_sessions)]
DirectoryUseCase = Annotated[Directory, Depends(_directory)]
RegistrationUseCase = Annotated[Registration, Depends(_registration)]
PasswordResetUseCase = Annotated[PasswordReset, Depends(_password_reset)]
CsamUseCase = Annotated[CsamLogin, Depends(_csam)]
DossiersUseCase = Annotated[Dossiers, Depends(_dossiers)]
LifeUseCase = Annotated[AccountLife, Depends(_account_life)]
AuditUseCase = Annotated[AuditUseCases, Depends(_audit)]


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
