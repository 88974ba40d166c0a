"""Wires claims-svc: for now the cover check alone (the engine, nothing stored, no events)."""

from fastapi import FastAPI
from mylm_shared.service import ServiceDefinition, create_service_app

from claims.entrypoints import api_cover_check
from claims.settings import ClaimsSettings


def create_app(settings: ClaimsSettings | None = None) -> FastAPI:
    settings = settings or ClaimsSettings()
    return create_service_app(
        settings,
        ServiceDefinition(
            title="claims-svc",
            description="Private-life accident, assistance and e-protection claims: the cover "
            "engine deciding with the rule ids and reasons (PA, AS, LA, CL).",
            routers=[api_cover_check.router],
        ),
    )
