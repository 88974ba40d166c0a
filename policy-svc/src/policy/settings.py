from decimal import Decimal

from mylm_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class PolicySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "policy-svc"
    port: int = 8004
    # PC-8: admin costs per formal notice = 2.5 × bpost's official registered-letter
    # tariff (EUR, national, one item). The default is an assumed 2026 tariff: set
    # REGISTERED_LETTER_TARIFF to the tariff bpost publishes for the year.
    registered_letter_tariff: Decimal = Field(default=Decimal("8.50"), gt=0)
    # How often the scheduler looks for dated events that have come (renewals,
    # suspensions, terminations for non-payment; other capabilities' periodic tasks).
    scheduler_interval_seconds: float = Field(default=60.0, gt=0)
