from mylm_shared.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class BillingSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "billing-svc"
    port: int = 8002
