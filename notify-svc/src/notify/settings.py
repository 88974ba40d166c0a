from mylm_shared.settings import ServiceSettings
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "notify-svc"
    port: int = 8006
    # smtp://host:port (plain, local sink), smtp+starttls://user:pass@host:587, smtps://…:465
    smtp_url: SecretStr = SecretStr("smtp://127.0.0.1:1025")
    mail_from: str = "My LM <no-reply@lm.be>"
    smtp_timeout_seconds: float = 10.0
    # Recipients kept in memory (read-through): a member.updated handled by another
    # replica shows here within the TTL; 0 switches the cache off.
    member_cache_ttl_seconds: float = Field(default=30.0, ge=0)
    member_cache_max_entries: int = Field(default=10_000, ge=0)
