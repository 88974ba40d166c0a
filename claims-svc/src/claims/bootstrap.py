"""Wires claims-svc: the claim store (versioned, with its outbox), evidence files, claim
numbers, policy-svc through its gateway, the cover check and the claim routes."""

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from mylm_shared.events import (
    CLAIM_ACCEPTED,
    CLAIM_CLOSED,
    CLAIM_DECLARED,
    CLAIM_DOCUMENTS_REQUESTED,
    CLAIM_OFFER_ACCEPTED,
    CLAIM_OFFER_MADE,
    CLAIM_PAID,
    CLAIM_PAYOUT_ACCOUNT_CHANGED,
    CLAIM_REJECTED,
)
from mylm_shared.sequences import SEQUENCE_BLOCKS, SEQUENCE_INDEX
from mylm_shared.service import Runtime, ServiceDefinition, create_service_app
from mylm_shared.service_tokens import ClientCredentials

from claims.adapters.documents import CLAIM_FILES, FILE_INDEXES, MongoFiles
from claims.adapters.numbers import YearlyClaimNumbers
from claims.adapters.policy_http import HttpPolicies
from claims.adapters.repository import CLAIMS, INDEXES, claim_store
from claims.entrypoints import api_claims, api_cover_check, api_settlement
from claims.entrypoints.problems import PROBLEMS
from claims.service.handlers import ClaimsService
from claims.service.policies import PolicyGateway
from claims.service.settlement import SettlementService
from claims.settings import ClaimsSettings

POLICY_CLIENT = "policy_client"
TOKENS = "service_tokens"
POLICY_READ = "policy:read"  # the scope policy-svc grants reads with


def service_tokens(settings: ClaimsSettings) -> ClientCredentials:
    """claims-svc's own token for policy-svc (client credentials, scope ``policy:read``)."""
    return ClientCredentials(
        settings.service_token_url,
        settings.service_client_id,
        settings.client_secret,
        scope=POLICY_READ,
    )


def create_app(
    settings: ClaimsSettings | None = None,
    policies: Callable[[ClaimsSettings], PolicyGateway] | None = None,
) -> FastAPI:
    """``policies`` replaces the HTTP gateway to policy-svc (tests)."""
    settings = settings or ClaimsSettings()

    async def start(runtime: Runtime) -> None:
        if policies is not None:
            gateway = policies(settings)
        else:
            tokens = runtime.extras[TOKENS] = service_tokens(settings)
            client = HttpPolicies(settings.policy_url, tokens)
            runtime.extras[POLICY_CLIENT] = client
            gateway = client
        store = claim_store(runtime.db, source=f"/{settings.service_name}")
        runtime.extras["settlement"] = SettlementService(
            claims=store,
            policies=gateway,
            fresh_login=timedelta(seconds=settings.fresh_login_seconds),
        )
        runtime.extras["claims"] = ClaimsService(
            claims=store,
            numbers=YearlyClaimNumbers(runtime.db[SEQUENCE_BLOCKS]),
            policies=gateway,
            files=MongoFiles(runtime.db[CLAIM_FILES]),
            max_file_bytes=settings.max_document_bytes,
        )

    async def stop(runtime: Runtime) -> None:
        client = runtime.extras.get(POLICY_CLIENT)
        if isinstance(client, HttpPolicies):
            await client.aclose()
        tokens = runtime.extras.get(TOKENS)
        if isinstance(tokens, ClientCredentials):
            await tokens.aclose()

    return create_service_app(
        settings,
        ServiceDefinition(
            title="claims-svc",
            description="Private-life accident, assistance and e-protection claims: "
            "declarations, the cover engine deciding with the rule ids and reasons, staff "
            "decisions, documents, deadlines, offers and payouts (PA, AS, LA, CL).",
            routers=[api_cover_check.router, api_claims.router, api_settlement.router],
            problems=PROBLEMS,
            indexes=[*INDEXES, *FILE_INDEXES, SEQUENCE_INDEX],
            produces=[
                CLAIM_DECLARED,
                CLAIM_DOCUMENTS_REQUESTED,
                CLAIM_ACCEPTED,
                CLAIM_REJECTED,
                CLAIM_OFFER_MADE,
                CLAIM_OFFER_ACCEPTED,
                CLAIM_PAID,
                CLAIM_CLOSED,
                CLAIM_PAYOUT_ACCOUNT_CHANGED,
            ],
            outbox_collections=[CLAIMS],
            on_startup=start,
            on_shutdown=stop,
        ),
    )
