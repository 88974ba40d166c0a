"""Settings every service shares, read from the environment (pydantic-settings).

The same code runs against the local platform and against managed Kafka / MongoDB:
only ``KAFKA_BOOTSTRAP_SERVERS``, ``MONGODB_URI`` (and ``SMTP_URL`` for notify-svc) change.

Without ``PROFILE`` a service runs as in production (``prod``): no demo data, no generated
keys, topics replicated three times. `make run` sets ``PROFILE=dev``, the tests ``test``.
Values carrying credentials are ``SecretStr``: masked in reprs, logs and error messages.
"""

from typing import Literal, TypeVar

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

Profile = Literal["dev", "test", "prod"]
S = TypeVar("S", bound="ServiceSettings")


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", env_prefix="")

    service_name: str = "service"
    profile: Profile = "prod"
    host: str = "127.0.0.1"
    port: int = 8000
    # Issue 15 item 2: the proxies (comma-separated addresses or networks, e.g. the
    # gateway's) whose X-Forwarded-For / X-Forwarded-Proto are believed. Unset (the
    # default): none, the client address is the socket's, whatever headers say.
    forwarded_allow_ips: str | None = None

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Prepended to every topic name; lets a test run use its own topics on a shared broker.
    topic_prefix: str = ""
    # Create the topics this service uses at start-up (local platform); in production
    # topics are declared as Strimzi KafkaTopic resources instead.
    create_topics: bool = True
    topic_partitions: int = Field(default=6, ge=1)
    # Replicas of each topic this service creates; unset: 3 in prod, 1 on a local
    # single-broker platform (dev, test).
    topic_replication_factor: int | None = Field(default=None, ge=1)
    consumer_group: str = ""

    # May carry a user and password (mongodb+srv://user:pass@…).
    mongodb_uri: SecretStr = SecretStr("mongodb://127.0.0.1:27017/")
    mongodb_database: str = ""

    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwt_issuer: str = "mylm-identity"
    jwt_audience: str = "mylm"
    # How far back the revocation list reads account.status_changed / access.changed at
    # start and how long it keeps an entry: at least the longest access-token lifetime.
    revocation_horizon_seconds: int = Field(default=3600, ge=60)
    # Issue 15 item 7 (fail closed): the list stops counting as current (tokens answered
    # 503 + Retry-After) when its reader has not completed a read of the bus for this long.
    revocation_stale_seconds: float = Field(default=30.0, gt=0)

    # Issue 15 item 5: the largest request body a route reads (413 beyond it, checked
    # while reading, before parsing): file uploads (multipart; a 10 MiB file plus the
    # envelope) and every other route (JSON).
    max_upload_body_bytes: int = Field(default=10 * 1024 * 1024 + 64 * 1024, ge=1024)
    max_json_body_bytes: int = Field(default=256 * 1024, ge=1024)

    outbox_poll_seconds: float = 0.05
    # The sweep re-hints documents whose hint a crash lost (and measures the backlog).
    # On FerretDB it scans every stored document of the outbox collections (no pushdown
    # of the array query), which grows with the store: rare, since a lost hint is rare;
    # a relay taking the lease sweeps at once.
    outbox_sweep_seconds: float = Field(default=300.0, gt=0)
    # Off only to simulate a crash between the database write and the publish (tests).
    outbox_relay_enabled: bool = True
    # Each subscription polls batches of up to consumer_batch_max_records (waiting up to
    # consumer_batch_timeout_ms for the first) and commits once per batch; within a
    # batch, one key's events run in order and up to consumer_batch_concurrency keys
    # at once.
    consumer_batch_max_records: int = Field(default=500, ge=1)
    consumer_batch_timeout_ms: int = Field(default=50, ge=1)
    consumer_batch_concurrency: int = Field(default=16, ge=1)
    # A failing effect: attempts before the DLQ (bugs, refused data); backoff doubles
    # up to its cap. Outages (SMTP, MongoDB, Kafka down) are retried without limit and a
    # missing dependency (member not known yet) for consumer_dependency_wait_seconds.
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    consumer_backoff_max_seconds: float = 30.0
    consumer_dependency_wait_seconds: float = 900.0

    log_level: str = "INFO"

    def topic(self, name: str) -> str:
        """The physical topic name of a logical topic (``invoice.issued``)."""
        return f"{self.topic_prefix}{name}"

    @property
    def replication_factor(self) -> int:
        if self.topic_replication_factor is not None:
            return self.topic_replication_factor
        return 3 if self.profile == "prod" else 1

    @property
    def group_id(self) -> str:
        return self.consumer_group or self.service_name

    @property
    def database_name(self) -> str:
        return self.mongodb_database or self.service_name.removesuffix("-svc")


def load_settings(kind: type[S]) -> S:
    """The settings of a service process, or exit with what is wrong in the environment.

    Only the variable names and pydantic's messages are shown, never the values given
    (a malformed URI may carry a password)."""
    try:
        return kind()
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in e['loc']).upper() or 'settings'}: {e['msg']}"
            for e in error.errors()
        ]
        raise SystemExit(
            f"invalid configuration of {kind.__name__}: {'; '.join(problems)}"
        ) from None
