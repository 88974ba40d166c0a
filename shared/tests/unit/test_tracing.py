"""Traces through OpenTelemetry's FastAPI instrumentation, exported over OTLP/HTTP when
(and only when) the standard OTEL_* variables say so."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import httpx
import pytest
from fastapi import FastAPI
from mylm_shared.telemetry import current_trace_headers, instrument_http, setup_telemetry
from opentelemetry import trace

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN = "00f067aa0ba902b7"


async def test_a_request_continues_the_callers_trace_in_a_server_span() -> None:
    setup_telemetry("tests")
    app = FastAPI()

    @app.post("/v1/things")
    async def create() -> dict[str, str]:
        span = trace.get_current_span()
        return {
            "traceparent": current_trace_headers()["traceparent"],
            "kind": str(getattr(span, "kind", "")),
        }

    instrument_http(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.post(
            "/v1/things", headers={"traceparent": f"00-{TRACE_ID}-{PARENT_SPAN}-01"}
        )
    _, trace_id, span_id, _ = answer.json()["traceparent"].split("-")
    assert trace_id == TRACE_ID
    assert span_id != PARENT_SPAN  # a span of its own, child of the caller's
    assert answer.json()["kind"] == "SpanKind.SERVER"


class Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def collector() -> Iterator[str]:
    Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


SPAN_IN_A_FRESH_PROCESS = """
from mylm_shared.telemetry import setup_telemetry, tracer
setup_telemetry("billing-svc")
with tracer("tests").start_as_current_span("exported-span"):
    pass
"""  # the provider flushes its batch when the process exits


def run_with(environ: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    subprocess.run(
        [sys.executable, "-c", SPAN_IN_A_FRESH_PROCESS],
        env={**env, **environ},
        check=True,
        timeout=60,
    )


def test_spans_go_to_the_otlp_endpoint_named_by_the_environment(collector: str) -> None:
    run_with({"OTEL_EXPORTER_OTLP_ENDPOINT": collector, "OTEL_SERVICE_NAME": "billing-eu"})
    assert [path for path, _ in Collector.received] == ["/v1/traces"]
    body = Collector.received[0][1]
    assert b"exported-span" in body
    assert b"billing-eu" in body  # OTEL_SERVICE_NAME wins over the service's own name


def test_otel_traces_exporter_none_switches_the_export_off(collector: str) -> None:
    run_with({"OTEL_EXPORTER_OTLP_ENDPOINT": collector, "OTEL_TRACES_EXPORTER": "none"})
    assert Collector.received == []
