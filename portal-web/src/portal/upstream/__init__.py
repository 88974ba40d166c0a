"""The services the portal calls (one module per service: its dataclasses, its port, its
HTTP adapter), always with the member's own access token; ``Upstreams`` holds them."""

from dataclasses import dataclass

from portal.upstream.billing import BillingPort
from portal.upstream.claims import ClaimsPort
from portal.upstream.identity import IdentityPort
from portal.upstream.inbox import InboxPort
from portal.upstream.notify import NotifyPort
from portal.upstream.policy import PolicyPort


@dataclass(frozen=True)
class Upstreams:
    identity: IdentityPort
    billing: BillingPort
    inbox: InboxPort
    policy: PolicyPort
    notify: NotifyPort
    claims: ClaimsPort
