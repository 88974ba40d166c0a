"""The portal's settings (environment, pydantic-settings), on the services' common ones:
``PROFILE`` (``Secure`` cookie in prod), ``HOST``/``PORT``, ``MONGODB_URI``,
``FORWARDED_ALLOW_IPS`` (the gateway's address)."""

from mylm_shared.settings import ServiceSettings
from pydantic import Field


class PortalSettings(ServiceSettings):
    service_name: str = "portal"
    port: int = 8010
    # Identity at its own port (README "Login and the gateway"), the others through the
    # gateway (in Kubernetes: each service's in-cluster URL).
    identity_url: str = "http://127.0.0.1:8001"
    billing_url: str = "http://127.0.0.1:8080/api/billing"
    inbox_url: str = "http://127.0.0.1:8080/api/inbox"
    notify_url: str = "http://127.0.0.1:8080/api/notify"
    policy_url: str = "http://127.0.0.1:8080/api/policy"
    claims_url: str = "http://127.0.0.1:8080/api/claims"
    session_idle_seconds: int = Field(default=1800, ge=60)
    # identity ends a session 12 hours after its login, however often it is refreshed
    session_absolute_seconds: int = Field(default=12 * 3600, ge=300)
    # refresh the access token when it has less than this left
    refresh_margin_seconds: int = Field(default=30, ge=0)
    # The local address the portal calls identity from: a proxy address identity trusts
    # (FORWARDED_ALLOW_IPS; locally the gateway's 127.0.0.2), so the member's address in
    # X-Forwarded-For counts for identity's per-address login budget. Unset: the system's
    # choice (identity then counts the portal's own address).
    source_address: str | None = None
    http_timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def secure_cookies(self) -> bool:
        return self.profile == "prod"
