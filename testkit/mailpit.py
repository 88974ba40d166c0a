"""Mailpit's HTTP API: the e-mails our SMTP sink accepted."""

from typing import Any

import httpx


class Mailpit:
    def __init__(self, api: str) -> None:
        self._client = httpx.AsyncClient(base_url=api, timeout=10)

    async def messages_to(self, domain_or_address: str) -> list[dict[str, Any]]:
        """Summaries of every message with a recipient containing ``domain_or_address``."""
        found: list[dict[str, Any]] = []
        start = 0
        while True:
            response = await self._client.get(
                "/api/v1/search",
                params={"query": f"to:{domain_or_address}", "start": start, "limit": 500},
            )
            response.raise_for_status()
            page = response.json()
            found.extend(page["messages"])
            start += len(page["messages"])
            if not page["messages"] or start >= page["messages_count"]:
                return found

    async def message(self, message_id: str) -> dict[str, Any]:
        response = await self._client.get(f"/api/v1/message/{message_id}")
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def raw(self, message_id: str) -> bytes:
        """The message as it arrived (headers and every MIME part)."""
        response = await self._client.get(f"/api/v1/message/{message_id}/raw")
        response.raise_for_status()
        return response.content

    async def aclose(self) -> None:
        await self._client.aclose()
