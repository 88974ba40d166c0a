from mylm_shared.settings import ServiceSettings
from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "notify-svc"
    port: int = 8006
    # smtp://host:port (plain, local sink), smtp+starttls://user:pass@host:587, smtps://…:465
    smtp_url: SecretStr = SecretStr("smtp://127.0.0.1:1025")
    mail_from: str = "My LM <no-reply@lm.be>"
    smtp_timeout_seconds: float = 10.0
