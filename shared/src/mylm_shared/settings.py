"""Settings every service shares, read from the environment (pydantic-settings).

The same code runs against the local platform and against managed Kafka / MongoDB:
only ``KAFKA_BOOTSTRAP_SERVERS``, ``MONGODB_URI`` (and ``SMTP_URL`` for notify-svc) change.
"""

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

Profile = Literal["dev", "test", "prod"]


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="")

    service_name: str = "service"
    profile: Profile = "dev"
    host: str = "127.0.0.1"
    port: int = 8000

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Prepended to every topic name; lets a test run use its own topics on a shared broker.
    topic_prefix: str = ""
    # Create the topics this service uses at start-up (local platform); in production
    # topics are declared as Strimzi KafkaTopic resources instead.
    create_topics: bool = True
    topic_partitions: int = 6
    consumer_group: str = ""

    mongodb_uri: str = "mongodb://127.0.0.1:27017/"
    mongodb_database: str = ""

    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "mylm-identity"
    jwt_audience: str = "mylm"

    outbox_poll_seconds: float = 0.05
    # Off only to simulate a crash between the database write and the publish (tests).
    outbox_relay_enabled: bool = True
    # Kafka consumers per subscription, each taking a share of the partitions.
    consumer_workers: int = 3
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2

    log_level: str = "INFO"

    def topic(self, name: str) -> str:
        """The physical topic name of a logical topic (``invoice.issued``)."""
        return f"{self.topic_prefix}{name}"

    @property
    def group_id(self) -> str:
        return self.consumer_group or self.service_name

    @property
    def database_name(self) -> str:
        return self.mongodb_database or self.service_name.removesuffix("-svc")
