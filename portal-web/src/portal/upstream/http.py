"""What every upstream adapter shares: the bearer header, a problem+json answer as a
``ServiceProblem``, a request that raises it, and a streamed download."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from portal.ports import Download, ServiceProblem


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def problem(response: httpx.Response) -> ServiceProblem:
    detail = ""
    try:
        body = response.json()
        if isinstance(body, dict):
            detail = str(body.get("detail") or body.get("title") or "")
    except ValueError:
        pass
    retry = response.headers.get("Retry-After")
    return ServiceProblem(
        response.status_code, detail, int(retry) if retry and retry.isdigit() else None
    )


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    refused: Callable[[httpx.Response], ServiceProblem] = problem,
    **kw: Any,
) -> httpx.Response:
    """The request; a 4xx/5xx raised as ``refused(response)`` (a service's own richer
    problem, e.g. claims-svc's fields), no answer as a 503."""
    try:
        response = await client.request(method, url, **kw)
    except httpx.HTTPError as error:
        raise ServiceProblem(503, f"not answering: {type(error).__name__}") from error
    if response.status_code >= 400:
        raise refused(response)
    return response


async def download(
    client: httpx.AsyncClient, url: str, access_token: str, media_type: str, disposition: str
) -> Download | None:
    """A file streamed from a service with the member's token; None for a 404."""
    request = client.build_request("GET", url, headers=bearer(access_token))
    try:
        response = await client.send(request, stream=True)
    except httpx.HTTPError as error:
        raise ServiceProblem(503, "not answering") from error
    if response.status_code >= 400:
        await response.aread()
        await response.aclose()
        if response.status_code == 404:
            return None
        raise problem(response)

    async def chunks() -> AsyncIterator[bytes]:
        try:
            async for chunk in response.aiter_bytes():
                yield chunk
        finally:
            await response.aclose()

    return Download(
        media_type=response.headers.get("content-type", media_type),
        disposition=response.headers.get("content-disposition", disposition),
        chunks=chunks(),
    )
