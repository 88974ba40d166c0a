"""The services the portal calls (one module per service: its dataclasses, its port, its
HTTP adapter), always with the member's own access token; ``Upstreams`` holds them."""

from dataclasses import dataclass

from portal.upstream.billing import BillingPort
from portal.upstream.identity import IdentityPort


@dataclass(frozen=True)
class Upstreams:
    identity: IdentityPort
    billing: BillingPort
