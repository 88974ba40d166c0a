"""JSON logs carrying trace ids, and W3C trace context across HTTP → outbox → Kafka → consumer.

Traces are exported over OTLP/HTTP only when the standard variables ask for it
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, or
``OTEL_TRACES_EXPORTER=otlp``); the exporter itself reads the endpoint, headers and
timeouts from them. ``OTEL_SERVICE_NAME`` overrides the service's name,
``OTEL_TRACES_SAMPLER`` the sampling, ``OTEL_SDK_DISABLED=true`` turns tracing off.
"""

import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from pythonjsonlogger.json import JsonFormatter

_configured = False
# Probes and scrapes every few seconds would drown the traces that matter.
UNTRACED_URLS = "/healthz,/readyz,/metrics"


def setup_telemetry(service_name: str, level: str = "INFO") -> None:
    """Install the tracer provider (with an OTLP exporter if configured) and JSON logging
    once per process."""
    global _configured
    if _configured:
        return
    _configured = True
    if not _env_true("OTEL_SDK_DISABLED"):
        provider = TracerProvider(resource=_resource(service_name))
        if otlp_export_requested():
            # Imported here: only a process that exports needs the exporter's protobuf stack.
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(_TraceIdFilter())
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(trace_id)s %(span_id)s",
            rename_fields={"levelname": "level", "asctime": "time"},
            static_fields={"service": service_name},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("aiokafka", "kafka", "pymongo", "faststream", "httpx"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def otlp_export_requested(environ: Mapping[str, str] = os.environ) -> bool:
    exporters = {e.strip().lower() for e in environ.get("OTEL_TRACES_EXPORTER", "").split(",")}
    if "none" in exporters:
        return False
    return "otlp" in exporters or any(
        environ.get(name)
        for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def _resource(service_name: str) -> Resource:
    """``service.name`` from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, else the service's."""
    detected = Resource.create()
    name = str(detected.attributes.get(SERVICE_NAME, ""))
    if not name or name.startswith("unknown_service"):
        return detected.merge(Resource({SERVICE_NAME: service_name}))
    return detected


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() == "true"


def instrument_http(app: FastAPI) -> None:
    """A server span per request (OpenTelemetry's FastAPI instrumentation), continuing the
    caller's W3C ``traceparent``; what the handler stores or publishes carries it on."""
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls=UNTRACED_URLS, exclude_spans=["receive", "send"]
    )


class _TraceIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        ctx = trace.get_current_span().get_span_context()
        record.trace_id = f"{ctx.trace_id:032x}" if ctx.is_valid else None
        record.span_id = f"{ctx.span_id:016x}" if ctx.is_valid else None
        return True


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def current_trace_headers() -> dict[str, str]:
    """The W3C ``traceparent`` (and ``tracestate``) of the current span, to store with an event."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextmanager
def consumer_span(name: str, headers: Mapping[str, str], **attributes: Any) -> Iterator[trace.Span]:
    """A span that continues the trace whose ``traceparent`` came in Kafka headers."""
    parent = propagate.extract(dict(headers))
    token = otel_context.attach(parent)
    try:
        with tracer("mylm.consumer").start_as_current_span(
            name, kind=trace.SpanKind.CONSUMER, attributes=attributes
        ) as span:
            yield span
    finally:
        otel_context.detach(token)
