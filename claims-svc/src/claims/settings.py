from mylm_shared.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class ClaimsSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "claims-svc"
    port: int = 8005
