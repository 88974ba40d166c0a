from mylm_shared.settings import ServiceSettings
from pydantic import model_validator
from pydantic_settings import SettingsConfigDict


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "identity-svc"
    port: int = 8001
    access_token_seconds: int = 900
    refresh_token_days: int = 30
    # Seed the demo accounts (dev profile only; `make run`). Never in production.
    seed_demo_data: bool | None = None
    # Path of the Ed25519 signing key's PEM (a mounted secret in production). Without it,
    # the dev/test profiles generate one and keep it in the service's own database; prod
    # (the default) refuses to start.
    signing_key_file: str | None = None

    # --- passwords and sessions (issue 7 item 3) ---

    # --- registration codes, password reset, SMS (issue 7 item 2) ---

    # --- CSAM login (issue 7 item 4) ---

    # --- dossier access and account life (issue 7 items 5, 6) ---

    @property
    def seeds_demo_data(self) -> bool:
        if self.seed_demo_data is None:
            return self.profile == "dev"
        return self.seed_demo_data and self.profile != "prod"

    @model_validator(mode="after")
    def _production_needs_a_mounted_key(self) -> "IdentitySettings":
        if self.profile == "prod" and not self.signing_key_file:
            raise ValueError(
                "SIGNING_KEY_FILE (an Ed25519 PEM) is required in the prod profile, the "
                "default without PROFILE; PROFILE=dev or test generates a key instead"
            )
        return self
