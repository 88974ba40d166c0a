"""Safe defaults: no PROFILE means production; secrets stay masked; the replication factor
and partition count reach topic creation; OTLP export only when the OTEL_* variables ask."""

import pytest
from aiokafka.errors import InvalidReplicationFactorError
from mylm_shared.kafka import create_missing_topics
from mylm_shared.settings import ServiceSettings, load_settings
from mylm_shared.telemetry import otlp_export_requested

from testkit.fakes.shared import FakeTopicAdmin

TOPIC_ALREADY_EXISTS = 36
INVALID_REPLICATION_FACTOR = 38


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PROFILE", "TOPIC_PARTITIONS", "TOPIC_REPLICATION_FACTOR", "MONGODB_URI"):
        monkeypatch.delenv(name, raising=False)


def test_without_profile_a_service_runs_as_in_production() -> None:
    settings = ServiceSettings()
    assert settings.profile == "prod"
    assert settings.replication_factor == 3


@pytest.mark.parametrize("profile", ["dev", "test"])
def test_the_local_profiles_replicate_once(profile: str) -> None:
    assert ServiceSettings(profile=profile).replication_factor == 1


def test_replication_and_partitions_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPIC_REPLICATION_FACTOR", "2")
    monkeypatch.setenv("TOPIC_PARTITIONS", "12")
    settings = ServiceSettings()
    assert (settings.replication_factor, settings.topic_partitions) == (2, 12)


def test_credentials_in_uris_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_URI", "mongodb://app:hunter2@db.example/")
    settings = ServiceSettings()
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.model_dump())
    assert settings.mongodb_uri.get_secret_value() == "mongodb://app:hunter2@db.example/"


def test_a_bad_environment_stops_the_process_naming_the_variable_not_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOPIC_PARTITIONS", "hunter2")
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert "TOPIC_PARTITIONS" in str(stopped.value)
    assert "hunter2" not in str(stopped.value)


async def test_missing_topics_are_created_with_the_configured_replicas_and_partitions() -> None:
    admin = FakeTopicAdmin(existing=["a"])
    created = await create_missing_topics(admin, ["a", "b", "b.dlq"], 12, 3)
    assert created == ["b", "b.dlq"]
    assert [(t.name, t.num_partitions, t.replication_factor) for t in admin.created] == [
        ("b", 12, 3),
        ("b.dlq", 12, 3),
    ]


async def test_a_topic_the_broker_refuses_stops_the_start_up() -> None:
    admin = FakeTopicAdmin(existing=[], error_codes={"b": INVALID_REPLICATION_FACTOR})
    with pytest.raises(InvalidReplicationFactorError, match="cannot create topic b"):
        await create_missing_topics(admin, ["b"], 6, 3)


async def test_a_topic_another_service_created_first_is_fine() -> None:
    admin = FakeTopicAdmin(existing=[], error_codes={"b": TOPIC_ALREADY_EXISTS})
    assert await create_missing_topics(admin, ["b"], 6, 1) == ["b"]


@pytest.mark.parametrize(
    ("environ", "exported"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, False),
    ],
)
def test_traces_are_exported_only_when_the_otel_variables_ask(
    environ: dict[str, str], exported: bool
) -> None:
    assert otlp_export_requested(environ) is exported
