"""Wires claims-svc (docs/architecture.md "Wiring: bootstrap and use cases").

``bootstrap(settings, *, claims, numbers, policies, files, now)`` wires the use cases
over the ports it is given (unit tests pass ``testkit/fakes``); ``create_app``'s ``live``
builds the claim store (versioned, with its outbox), evidence files, claim numbers and
policy-svc's HTTP gateway with claims-svc's own service token, hands them to
``bootstrap`` and closes the gateway's clients at shutdown.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from fastapi import FastAPI
from mylm_shared.aggregates import AggregateStore
from mylm_shared.auth import utc_now
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
from claims.domain.claim import Claim
from claims.entrypoints import api_claims, api_cover_check, api_settlement
from claims.entrypoints.problems import PROBLEMS
from claims.service.handlers import ClaimNumbers, ClaimsService
from claims.service.policies import PolicyGateway
from claims.service.ports import FileStore
from claims.service.settlement import SettlementService
from claims.service.use_cases import ClaimsUseCases
from claims.settings import ClaimsSettings

POLICY_READ = "policy:read"  # the scope policy-svc grants reads with


def service_tokens(settings: ClaimsSettings) -> ClientCredentials:
    """claims-svc's own token for policy-svc (client credentials, scope ``policy:read``)."""
    return ClientCredentials(
        settings.service_token_url,
        settings.service_client_id,
        settings.client_secret,
        scope=POLICY_READ,
    )


def bootstrap(
    settings: ClaimsSettings,
    *,
    claims: AggregateStore[Claim],
    numbers: ClaimNumbers,
    policies: PolicyGateway,
    files: FileStore,
    now: Callable[[], datetime] = utc_now,
) -> ClaimsUseCases:
    """claims' use cases over these ports; ``now`` is injectable so tests can fix the
    day (deadlines, the fresh login of issue 15 item 7)."""
    return ClaimsUseCases(
        claims=ClaimsService(
            claims=claims,
            numbers=numbers,
            policies=policies,
            files=files,
            max_file_bytes=settings.max_document_bytes,
            now=now,
        ),
        settlement=SettlementService(
            claims=claims,
            policies=policies,
            now=now,
            fresh_login=timedelta(seconds=settings.fresh_login_seconds),
        ),
    )


def create_app(
    settings: ClaimsSettings | None = None,
    policies: Callable[[ClaimsSettings], PolicyGateway] | None = None,
) -> FastAPI:
    """``policies`` replaces the HTTP gateway to policy-svc (tests)."""
    config = settings or ClaimsSettings()

    @asynccontextmanager
    async def live(runtime: Runtime) -> AsyncIterator[ClaimsUseCases]:
        tokens: ClientCredentials | None = None
        client: HttpPolicies | None = None
        gateway: PolicyGateway
        if policies is not None:
            gateway = policies(config)
        else:
            tokens = service_tokens(config)
            gateway = client = HttpPolicies(config.policy_url, tokens)
        try:
            yield bootstrap(
                config,
                claims=claim_store(runtime.db, source=f"/{config.service_name}"),
                numbers=YearlyClaimNumbers(runtime.db[SEQUENCE_BLOCKS]),
                policies=gateway,
                files=MongoFiles(runtime.db[CLAIM_FILES]),
            )
        finally:
            if client is not None:
                await client.aclose()
            if tokens is not None:
                await tokens.aclose()

    return create_service_app(
        config,
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
            bootstrap=live,
        ),
    )
