from datetime import time

from mylm_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class BillingSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "billing-svc"
    port: int = 8002
    # Issue 18 item 4 (EI-5): the daily dunning job runs at start-up and then each day at
    # this Belgian time; the scheduler looks every ``dunning_check_seconds`` whether it is
    # due (one replica, the lease's holder, runs it).
    dunning_daily_at: time = time(6, 0)
    dunning_check_seconds: float = Field(default=60.0, gt=0)
    # Days after the overdue day (the day after the due date) of reminders 1 and 2.
    dunning_first_reminder_days: int = Field(default=15, ge=1)
    dunning_second_reminder_days: int = Field(default=30, ge=2)
