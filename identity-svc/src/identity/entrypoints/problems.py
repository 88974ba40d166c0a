"""What identity-svc's domain exceptions answer, once (issue 17 item 7).

``PROBLEMS`` is the service's table (the app's exception handlers: routes call their use
cases without ``try``). Where a route answers an exception otherwise it says so with
``route_problems`` and one of the tables below it: the texts a user reads differ by what
they were doing (a refresh token refused is not a wrong password). The OAuth token
endpoint answers RFC 6749 errors, not problem+json, and keeps its own mapping.
"""

import math

from mylm_shared.problems import Problem, ProblemMap, forbidden, unauthorized

from identity.adapters.audit import CheckpointUnavailable
from identity.adapters.oidc import LoginRejected, ProviderUnavailable
from identity.adapters.throttle import Locked
from identity.domain.accounts import AccountNotActive, InvalidAccountChange
from identity.domain.codes import CodeProblem, WrongCode
from identity.domain.members import InvalidMember
from identity.entrypoints.login_methods import method_disabled
from identity.service import csam, dossiers, registration
from identity.service.account_life import NoAccount, WrongCredentials
from identity.service.accounts import AccountExists, UsernameTaken
from identity.service.directory import MAX_BATCH_ROWS, BatchTooLarge, MemberExists
from identity.service.sessions import InvalidCredentials, PasswordRejected, PasswordResetRequired

NO_ACCOUNT = "This member has no My LM account."
BAD_CREDENTIALS = "Unknown username or wrong password."
RESET_REQUIRED = (
    "This account was reported compromised: set a new password with a code sent to the "
    "e-mail address or mobile number on file before logging in (LF-4)."
)
WRONG_CURRENT = "The current password is wrong."
THROTTLED_LOGIN = (
    "Too many failed attempts with this username or from this address: wait the number "
    "of seconds in Retry-After, then try again."
)
THROTTLED_CODES = (
    "Too many requests or wrong codes from this address or for this person: wait the "
    "number of seconds in Retry-After, then try again."
)
CSAM_UNAVAILABLE = "CSAM (the OpenID provider) cannot be reached; retry later."
PROVIDER_RETRY_SECONDS = "5"

_ACTING = "A token exchanged for a dependant's dossier cannot do this; use your own token."
_NOT_A_MEMBER = "Only a member has dossiers."
_NO_ACCESS = "You have no access to this dossier."  # unknown member or no basis alike
_OWN = "Your own dossier needs no exchange: use your own access token (AC-1)."
_NOT_ACTIVE = "Your account is not active (LF-2)."
_NOT_A_DEPENDANT = "You have no titular: there is no titular's access to set (AC-3, AC-5)."
_GONE = {
    "expired": "The code has expired; ask for a new one.",
    "used": "The code has been used; ask for a new one.",
    "superseded": "A newer code was asked for; use the newest one.",
    "attempts-exhausted": "Too many wrong codes; ask for a new one.",
}


def throttled(locked: Locked) -> Problem:
    """429 for a login (or a current password) locked: the minutes to wait."""
    minutes = math.ceil(locked.retry_after / 60)
    return Problem(
        429,
        f"Too many failed attempts. Try again in {minutes} minute{'s' * (minutes != 1)}.",
        title="Too Many Requests",
        headers={"Retry-After": str(locked.retry_after)},
    )


def _throttled_codes(locked: Locked) -> Problem:
    return Problem(
        429,
        THROTTLED_CODES,
        title="Too Many Requests",
        headers={"Retry-After": str(locked.retry_after)},
    )


def _throttled_status(locked: Locked) -> Problem:
    return Problem(
        429,
        "Too many failed attempts: wait the number of seconds in Retry-After.",
        title="Too Many Requests",
        headers={"Retry-After": str(locked.retry_after)},
    )


def _code_problem(problem: CodeProblem) -> Problem:
    if isinstance(problem, WrongCode):
        return Problem(
            422,
            f"The code is not right; {problem.attempts_left} attempts left.",
            reason=problem.reason,
            attempts_left=problem.attempts_left,
        )
    if problem.reason == "unknown":
        return Problem(404, "No such request.", reason=problem.reason)
    detail = _GONE[problem.reason]
    return Problem(410, detail, title="Gone", reason=problem.reason, attempts_left=0)


def _password_problem(error: registration.InvalidPassword) -> Problem:
    return Problem(
        422,
        "The password is not accepted.",
        errors=[
            {"location": ["body", "password"], "message": m, "type": "password_policy"}
            for m in error.problems
        ],
    )


def _password_rejected(rejected: PasswordRejected) -> Problem:
    errors = [
        {"location": ["body", "new_password"], "message": problem, "type": "password_policy"}
        for problem in rejected.problems
    ]
    return Problem(422, " ".join(rejected.problems), errors=errors)


def _signup_refused(refused: csam.SignupRefused) -> Problem:
    if refused.reason == "unknown":
        return Problem(404, "No such pending sign-up.", reason="unknown")
    return Problem(
        410,
        "This sign-up expired or was used: log in with CSAM again.",
        title="Gone",
        reason=refused.reason,
    )


def _csam_account_not_active(inactive: csam.AccountNotActive) -> Problem:
    return Problem(
        403,
        f"Your My LM account is {inactive.status}.",
        reason=f"account-{inactive.status}",
        account_reason=inactive.reason,
    )


PROBLEMS = (
    ProblemMap()
    # Sessions and passwords (issue 7 item 3, LF-4).
    .on(InvalidCredentials, lambda _: unauthorized(BAD_CREDENTIALS))
    .on(PasswordResetRequired, lambda _: forbidden(RESET_REQUIRED))
    .on(PasswordRejected, _password_rejected)
    .on(Locked, throttled)
    # Account life (LF-1..LF-4).
    .on(NoAccount, lambda _: Problem(404, NO_ACCOUNT))
    .on(
        InvalidAccountChange,
        lambda e: Problem(409, f"Not possible for this account now: {e}."),
    )
    .on(WrongCredentials, lambda _: unauthorized(BAD_CREDENTIALS))
    # Registration and password reset by code (RG-1..RG-4).
    .on(registration.TermsNotAccepted, lambda e: Problem(422, str(e)))
    .on(registration.InvalidPassword, _password_problem)
    .on(
        UsernameTaken,
        lambda _: Problem(409, "This username is taken.", reason="username-taken"),
    )
    .on(
        AccountExists,
        lambda _: Problem(409, "You have an account already.", reason="account-exists"),
    )
    .on(CodeProblem, _code_problem)
    # CSAM (RG-5) and the login methods offered (RG-6).
    .on(csam.MethodDisabled, lambda e: method_disabled(e.method))
    .on(
        csam.InvalidReturnTo,
        lambda _: Problem(
            422, "return_to must be a path or a URL on an allowed origin.", reason="return-to"
        ),
    )
    .on(
        ProviderUnavailable,
        lambda _: Problem(503, CSAM_UNAVAILABLE, headers={"Retry-After": PROVIDER_RETRY_SECONDS}),
    )
    .on(csam.LoginFailed, lambda e: Problem(400, str(e), reason=e.reason))
    .on(
        LoginRejected,
        lambda _: Problem(
            400, "The CSAM login could not be verified; start again.", reason="token-rejected"
        ),
    )
    .on(
        csam.NotAMember,
        lambda _: Problem(
            403,
            "You logged in with CSAM, but your national register number is not known to "
            "your mutuality: contact your mutuality.",
            reason="not-a-member",
        ),
    )
    .on(csam.AccountNotActive, _csam_account_not_active)
    .on(csam.SignupRefused, _signup_refused)
    .on(csam.TermsNotAccepted, lambda e: Problem(422, str(e), reason="terms"))
    # Dossier access (AC-1..AC-6).
    .on(dossiers.NotForActingTokens, lambda _: forbidden(_ACTING))
    .on(dossiers.NotAMember, lambda _: forbidden(_NOT_A_MEMBER))
    .on(AccountNotActive, lambda _: forbidden(_NOT_ACTIVE))
    .on(dossiers.OwnDossier, lambda _: forbidden(_OWN))
    .on(dossiers.NotADependant, lambda _: Problem(409, _NOT_A_DEPENDANT))
    .on(dossiers.NoAccess, lambda _: forbidden(_NO_ACCESS))
    # The member directory and the audit trail (LF-5).
    .on(InvalidMember, lambda e: Problem(422, str(e)))
    .on(
        MemberExists,
        lambda _: Problem(409, "A member with this member number or national number exists."),
    )
    .on(BatchTooLarge, lambda _: Problem(422, f"At most {MAX_BATCH_ROWS} rows per batch."))
    .on(
        CheckpointUnavailable,
        lambda _: Problem(
            503, "The audit checkpoints cannot be read; retry.", headers={"Retry-After": "5"}
        ),
    )
)

# Route-level overrides: the same exception, another situation for the user.
# ``GET /v1/me/status``: the caller's own account is gone.
MY_STATUS = PROBLEMS.on(NoAccount, lambda _: Problem(404, "No such account."))
# ``POST /v1/me/status``: proven with a password, throttled like a login (LF-3).
MY_STATUS_BY_PASSWORD = PROBLEMS.on(Locked, _throttled_status)
# ``POST /v1/me/compromised`` and ``DELETE /v1/me/sessions``: the token's account is gone.
OWN_ACCOUNT_GONE = PROBLEMS.on(NoAccount, lambda _: unauthorized()).on(
    InvalidCredentials, lambda _: unauthorized()
)
# Codes asked for and confirmed (registration, password reset): throttled per address.
CODES = PROBLEMS.on(Locked, _throttled_codes)
# ``POST /v1/sessions/refresh``.
REFRESH = PROBLEMS.on(
    InvalidCredentials, lambda _: unauthorized("The refresh token is invalid, used or expired.")
)
# ``PUT /v1/me/password``: the caller is logged in; the current password is what is wrong.
PASSWORD_CHANGE = PROBLEMS.on(InvalidCredentials, lambda _: forbidden(WRONG_CURRENT)).on(
    AccountNotActive, lambda _: forbidden("This account is suspended or ended.")
)
