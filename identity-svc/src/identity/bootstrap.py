"""Wires identity-svc: Mongo repositories, signing key, demo seed, HTTP routes."""

from datetime import timedelta

from fastapi import FastAPI
from mylm_shared.auth import TokenVerifier
from mylm_shared.events import MEMBER_REGISTERED
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app

from identity.adapters.keys import load_signing_key
from identity.adapters.refresh_tokens import RefreshTokens
from identity.adapters.repository import INDEXES, MEMBERS, IdentityRepository
from identity.demo import seed_demo_data
from identity.entrypoints.api import router
from identity.service.handlers import IdentityService
from identity.settings import IdentitySettings


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()

    async def on_startup(runtime: Runtime) -> None:
        repository = IdentityRepository(runtime.db, source=f"/{settings.service_name}")
        identity = IdentityService(
            repository=repository,
            refresh_tokens=RefreshTokens(runtime.db, timedelta(days=settings.refresh_token_days)),
            signing_key=await load_signing_key(
                runtime.db,
                settings.signing_key_file,
                generate_if_missing=settings.profile != "prod",
            ),
            settings=settings,
        )
        runtime.extras["identity"] = identity
        # identity-svc checks its own tokens with the key it holds, not over HTTP.
        runtime.token_verifier = TokenVerifier(
            settings.jwt_issuer, settings.jwt_audience, key=identity.signing_key.public_key
        )
        if settings.seeds_demo_data:
            await seed_demo_data(runtime.db, repository)

    definition = ServiceDefinition(
        title="identity-svc",
        description="Members, accounts, passwords, tokens and JWKS of My LM.",
        routers=[router],
        indexes=INDEXES,
        produces=[MEMBER_REGISTERED],
        outbox_collections=[MEMBERS],
        on_startup=on_startup,
    )
    return create_service_app(settings, definition)
