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
    # Issue 18 items 5 and 6 (EI-6, EI-7): the notices to every e-invoicing member go out
    # in batches of about ``notice_batch_size`` members, ``notice_batch_pause_seconds``
    # apart (the bus and notify's SMTP stay steady); the fan-out looks every
    # ``notice_check_seconds`` for a notice due. Member requests read the maintenance
    # window through a cache of ``maintenance_cache_seconds``.
    notice_batch_size: int = Field(default=200, ge=1)
    notice_batch_pause_seconds: float = Field(default=1.0, ge=0)
    notice_check_seconds: float = Field(default=5.0, gt=0)
    maintenance_cache_seconds: float = Field(default=2.0, ge=0)
