"""Prometheus metrics without servers: HTTP latency by route, the delivery metrics the
consumer and relay feed, and several apps in one process (as in the tests)."""

import httpx
from fastapi import FastAPI
from mylm_shared.metrics import (
    ServiceMetrics,
    observe_handler,
    record_dead_letter,
    set_outbox_backlog,
)
from mylm_shared.scheduler import Scheduler
from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def instrumented_app() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    ServiceMetrics("tests-svc", "127.0.0.1:9").instrument(app)
    return app


async def scrape(app: FastAPI, *paths: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for path in paths:
            assert (await client.get(path)).status_code == 200
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


async def test_http_latency_is_measured_per_route_template() -> None:
    found = await scrape(instrumented_app(), "/v1/things/a", "/v1/things/b")
    counts = {
        (labels["handler"], labels["method"], labels["status"]): value
        for labels, value in found["http_requests_total"]
    }
    assert counts[("/v1/things/{thing_id}", "GET", "2xx")] == 2
    latency = [
        value
        for labels, value in found["http_request_duration_seconds_count"]
        if labels["handler"] == "/v1/things/{thing_id}"
    ]
    assert latency == [2]
    assert not any(labels["handler"] == "/metrics" for labels, _ in found["http_requests_total"])


async def test_the_delivery_metrics_appear_in_every_apps_registry() -> None:
    record_dead_letter("t.invoice.issued", "malformed")
    observe_handler("notify-invoices", 0.02, "ok")
    set_outbox_backlog("invoices", 7)
    for app in (instrumented_app(), instrumented_app()):  # no duplicate registration
        found = await scrape(app)
        assert any(  # module-level: other tests in this process may add to it
            labels == {"topic": "t.invoice.issued", "reason": "malformed"} and value >= 1
            for labels, value in found["mylm_dead_letters_total"]
        )
        assert ({"collection": "invoices"}, 7.0) in found["mylm_outbox_backlog"]
        assert any(
            labels == {"consumer": "notify-invoices", "outcome": "ok"} and value >= 1
            for labels, value in found["mylm_handler_duration_seconds_count"]
        )


async def test_no_lag_is_reported_for_a_service_without_consumers() -> None:
    found = await scrape(instrumented_app())
    assert "mylm_consumer_lag" not in found  # and no Kafka call was attempted


async def test_a_scheduler_pass_sets_its_last_success_and_counts_failures() -> None:
    """Issue 21 item 6: the SchedulerNotRunning alert reads the last successful pass and
    the interval; a failing task leaves the last success where it was and is counted."""

    async def fine(today: object) -> None:
        return None

    async def broken(today: object) -> None:
        raise RuntimeError("the job failed")

    name = "tests-scheduler-metrics"
    await Scheduler([fine], interval_seconds=42, name=name).tick()
    found = await scrape(instrumented_app())
    assert ({"scheduler": name}, 42.0) in found["mylm_scheduler_interval_seconds"]
    (succeeded,) = [
        v
        for labels, v in found["mylm_scheduler_last_success_timestamp_seconds"]
        if labels == {"scheduler": name}
    ]
    assert succeeded > 1_700_000_000

    await Scheduler([broken, fine], interval_seconds=42, name=name).tick()
    found = await scrape(instrumented_app())
    assert ({"scheduler": name}, succeeded) in found[
        "mylm_scheduler_last_success_timestamp_seconds"
    ]
    assert ({"scheduler": name}, 1.0) in found["mylm_scheduler_task_failures_total"]


async def test_the_outbox_backlog_carries_the_age_of_its_oldest_event() -> None:
    """Issue 21 item 6: the OutboxBacklogOld alert's metric, set with the backlog."""
    set_outbox_backlog("tests-outbox-age", 3, 125.5)
    found = await scrape(instrumented_app())
    assert ({"collection": "tests-outbox-age"}, 3.0) in found["mylm_outbox_backlog"]
    assert ({"collection": "tests-outbox-age"}, 125.5) in found["mylm_outbox_oldest_age_seconds"]
