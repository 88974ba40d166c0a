from mylm_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class InboxSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "inbox-svc"
    port: int = 8003
    # The members' languages kept in memory (read-through): a member.updated handled by
    # another replica shows here within the TTL; 0 switches the cache off.
    member_cache_ttl_seconds: float = Field(default=30.0, ge=0)
    member_cache_max_entries: int = Field(default=10_000, ge=0)
