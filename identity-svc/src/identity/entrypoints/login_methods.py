"""RG-6: the login methods the mutuality offers (setting ``LOGIN_METHODS``); a route of a
method it does not offer answers 403 problem+json with ``reason: method-disabled``."""

from typing import Any

from fastapi import Depends
from mylm_shared.problems import Problem

from identity.domain.accounts import LoginMethod
from identity.entrypoints.deps import UseCases

LABELS: dict[str, str] = {"password": "username and password", "csam": "CSAM (eID, itsme)"}


def method_disabled(method: str) -> Problem:
    return Problem(
        403,
        f"Logging in with {LABELS.get(method, method)} is not offered by your mutuality.",
        reason="method-disabled",
        method=method,
    )


def require_method(method: LoginMethod) -> Any:
    """``dependencies=[require_method("password")]`` on a route of that method."""

    def offered(use_cases: UseCases) -> None:
        if method not in use_cases.settings.login_methods:
            raise method_disabled(method)

    return Depends(offered)
