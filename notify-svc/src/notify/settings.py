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
    # Issue 19 item 6: deliveries after a temporary SMTP failure (4xx, refused) are tried
    # again by one replica's job every ``delivery_check_seconds``, after a pause doubling
    # from ``delivery_backoff_seconds`` up to ``delivery_backoff_max_seconds``. A new
    # delivery belongs to its first attempt for ``delivery_claim_seconds`` (more than an
    # SMTP timeout): the job takes it over after that only if a crash interrupted it.
    delivery_check_seconds: float = Field(default=2.0, gt=0)
    delivery_backoff_seconds: float = Field(default=5.0, gt=0)
    delivery_backoff_max_seconds: float = Field(default=900.0, gt=0)
    delivery_claim_seconds: float = Field(default=30.0, gt=0)
    # Issue 19 item 4: the HMAC secret of the address-confirmation codes (a mounted file,
    # at least 32 bytes); dev/test generate one and keep it in the database.
    code_secret_file: str | None = None
    # EI-4 / issue 19 item 4: code e-mails for a new notification address, per member: at
    # most ``address_codes_per_hour`` in any hour, ``address_code_interval_seconds`` apart
    # (more: 429 + Retry-After). Counted in the database: across restarts and replicas.
    address_codes_per_hour: int = Field(default=5, ge=1)
    address_code_interval_seconds: float = Field(default=60.0, ge=0)
