"""identity-svc's own token verifier (AC-3..AC-6, LF-2): an exchanged token is checked
again against identity's own store at every request."""

from collections.abc import Awaitable, Callable
from typing import Any

from mylm_shared.auth import Principal, TokenVerifier
from mylm_shared.problems import unauthorized

Recheck = Callable[[Principal], Awaitable[str | None]]


class DossierCheckingVerifier(TokenVerifier):
    """identity-svc's token verifier: the shared checks (signature, expiry, AC-6's
    ``access_until``, the revocation list), then ``recheck`` against identity's own store,
    so an exchanged token stops working at identity the moment its basis goes."""

    def __init__(self, *args: Any, recheck: Recheck, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._recheck = recheck

    async def verify(self, token: str) -> Principal:
        principal = await super().verify(token)
        refusal = await self._recheck(principal)
        if refusal is not None:
            raise unauthorized(refusal)
        return principal
