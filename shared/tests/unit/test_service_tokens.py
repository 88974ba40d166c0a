"""The client credentials client (RFC 6749 §4.4) against a fake token endpoint:
client_secret_basic, caching until shortly before expiry, one refresh under concurrency,
§5.2 errors."""

import asyncio
import base64
from urllib.parse import parse_qs

import httpx
import pytest
from mylm_shared.service_tokens import ClientCredentials, TokenRequestFailed

from testkit.fakes.shared import MovableClock

URL = "http://identity/v1/oauth/token"


class TokenEndpoint:
    """Answers each request with a new token ``t1``, ``t2`` … valid ``expires_in`` s."""

    def __init__(self, expires_in: int = 300, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.expires_in = expires_in
        self.status = status
        self.received = asyncio.Event()  # a request is in flight
        self.release = asyncio.Event()  # cleared: the answer is held back
        self.release.set()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.received.set()
        await self.release.wait()
        if self.status != 200:
            return httpx.Response(self.status, json={"error": "invalid_client"})
        return httpx.Response(
            200,
            json={
                "access_token": f"t{len(self.requests)}",
                "token_type": "Bearer",
                "expires_in": self.expires_in,
            },
        )


def client_for(
    endpoint: TokenEndpoint,
    clock: MovableClock,
    secret: str = "s3cret",  # noqa: S107
) -> ClientCredentials:
    http = httpx.AsyncClient(transport=httpx.MockTransport(endpoint))
    return ClientCredentials(
        URL, "claims-svc", secret, scope="policy:read", http=http, monotonic=clock
    )


async def test_the_request_is_a_client_credentials_grant_with_basic_auth() -> None:
    endpoint = TokenEndpoint()
    credentials = client_for(endpoint, MovableClock(), secret="a:b&c d")
    assert await credentials.bearer() == "t1"
    (request,) = endpoint.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {
        "grant_type": ["client_credentials"],
        "scope": ["policy:read"],
    }
    scheme, encoded = request.headers["authorization"].split(" ")
    assert scheme == "Basic"
    # RFC 6749 §2.3.1: form-urlencoded id and secret, then base64.
    assert base64.b64decode(encoded).decode() == "claims-svc:a%3Ab%26c+d"


async def test_the_token_is_cached_until_shortly_before_it_expires() -> None:
    endpoint = TokenEndpoint(expires_in=300)
    clock = MovableClock()
    credentials = client_for(endpoint, clock)
    assert await credentials.bearer() == "t1"
    clock.now += 269  # 300 s lifetime, refreshed 30 s ahead
    assert await credentials.bearer() == "t1"
    assert len(endpoint.requests) == 1
    clock.now += 1
    assert await credentials.bearer() == "t2"
    assert len(endpoint.requests) == 2


async def test_concurrent_callers_share_one_refresh() -> None:
    endpoint = TokenEndpoint()
    clock = MovableClock()
    credentials = client_for(endpoint, clock)

    async def fifty_callers_during_one_refresh() -> set[str]:
        endpoint.received.clear()
        endpoint.release.clear()
        callers = [asyncio.create_task(credentials.bearer()) for _ in range(50)]
        await endpoint.received.wait()  # the first refresh is in flight, the rest queue
        endpoint.release.set()
        return set(await asyncio.gather(*callers))

    assert await fifty_callers_during_one_refresh() == {"t1"}
    clock.now += 300
    assert await fifty_callers_during_one_refresh() == {"t2"}
    assert len(endpoint.requests) == 2


async def test_forget_drops_the_cached_token() -> None:
    endpoint = TokenEndpoint()
    credentials = client_for(endpoint, MovableClock())
    await credentials.bearer()
    credentials.forget()
    assert await credentials.bearer() == "t2"


async def test_a_refusal_names_the_rfc_6749_error() -> None:
    credentials = client_for(TokenEndpoint(status=401), MovableClock())
    with pytest.raises(TokenRequestFailed) as failed:
        await credentials.bearer()
    assert failed.value.error == "invalid_client"


async def test_an_unreachable_endpoint_is_a_token_request_failure() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    credentials = ClientCredentials(URL, "claims-svc", "s", http=http)
    with pytest.raises(TokenRequestFailed, match="unreachable"):
        await credentials.bearer()
