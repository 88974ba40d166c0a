from mylm_shared.settings import ServiceSettings
from pydantic_settings import SettingsConfigDict


class InboxSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "inbox-svc"
    port: int = 8003
