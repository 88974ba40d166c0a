"""identity-svc's use cases, as ``bootstrap`` wires them (docs/architecture.md "Wiring:
bootstrap and use cases"): the routes get this object through one typed dependency
(``entrypoints/deps.py``), the unit tests from ``bootstrap`` with the fakes of
``testkit/fakes/identity.py``."""

from dataclasses import dataclass

from mylm_shared.auth import TokenVerifier

from identity.service.account_life import AccountLife
from identity.service.accounts import AccountOpening
from identity.service.audit import AuditUseCases
from identity.service.client_credentials import ServiceTokens
from identity.service.context import IdentityContext
from identity.service.csam import CsamLogin
from identity.service.directory import Directory
from identity.service.dossiers import Dossiers
from identity.service.password_reset import PasswordReset
from identity.service.reannouncement import Reannouncement
from identity.service.registration import Registration
from identity.service.sessions import Sessions
from identity.settings import IdentitySettings


@dataclass(frozen=True)
class IdentityUseCases:
    settings: IdentitySettings
    # The ports and helpers the use cases share (tests read the stores and trails here).
    context: IdentityContext
    sessions: Sessions
    directory: Directory
    opening: AccountOpening
    registration: Registration
    password_reset: PasswordReset
    csam: CsamLogin
    dossiers: Dossiers
    account_life: AccountLife
    audit: AuditUseCases
    service_tokens: ServiceTokens
    # Issue 18 item 3 (EI-2): the directory re-announced to its consumers.
    reannouncement: Reannouncement
    # LF-3: ``GET /v1/me/status`` checks tokens with identity's own keys and no
    # revocation list (a suspended user reads why); see ``entrypoints/api_accounts.py``.
    status_verifier: TokenVerifier
