from mylm_shared.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "policy-svc"
    port: int = 8004
