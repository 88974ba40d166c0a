from mylm_shared.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

# identity-svc's demo client of the dev and test profiles (public, like the demo accounts).
DEV_CLIENT_SECRET = "claims-svc-dev-secret"  # noqa: S105


class ClaimsSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "claims-svc"
    port: int = 8005
    # policy-svc: the contracts' state on an event date (PC-2/3, PC-4, PC-8).
    policy_url: str = "http://127.0.0.1:8004"
    # claims-svc's own token for policy-svc (client credentials at identity-svc).
    service_token_url: str = "http://127.0.0.1:8001/v1/oauth/token"  # noqa: S105 (a URL)
    service_client_id: str = "claims-svc"
    # Unset: the dev/test profiles use identity-svc's public demo client secret; prod
    # refuses to start without one.
    service_client_secret: SecretStr = SecretStr("")
    # Evidence files (PDF, JPEG, PNG): the largest accepted, in bytes.
    max_document_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=15 * 1024 * 1024)
    # Issue 15 item 7: setting or changing a claim's payout IBAN needs a login (the access
    # token's ``auth_time``) at most this many seconds old.
    fresh_login_seconds: int = Field(default=300, ge=30, le=3600)

    @model_validator(mode="after")
    def _secret_in_prod(self) -> "ClaimsSettings":
        if self.profile == "prod" and not self.service_client_secret.get_secret_value():
            raise ValueError("SERVICE_CLIENT_SECRET is required in the prod profile")
        return self

    @property
    def client_secret(self) -> str:
        secret = self.service_client_secret.get_secret_value()
        return secret or DEV_CLIENT_SECRET
