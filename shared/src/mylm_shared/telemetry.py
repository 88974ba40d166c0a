"""JSON logs carrying trace ids, and W3C trace context across HTTP → outbox → Kafka → consumer."""

import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from pythonjsonlogger.json import JsonFormatter
from starlette.types import ASGIApp, Receive, Scope, Send

_configured = False


def setup_telemetry(service_name: str, level: str = "INFO") -> None:
    """Install the tracer provider and JSON logging once per process."""
    global _configured
    if _configured:
        return
    _configured = True
    trace.set_tracer_provider(
        TracerProvider(resource=Resource.create({"service.name": service_name}))
    )
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


class TraceMiddleware:
    """Continue (or start) a trace for each HTTP request (W3C ``traceparent`` header)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        token = otel_context.attach(propagate.extract(headers))
        try:
            name = f"{scope.get('method', '')} {scope.get('path', '')}"
            with tracer("mylm.http").start_as_current_span(name, kind=trace.SpanKind.SERVER):
                await self.app(scope, receive, send)
        finally:
            otel_context.detach(token)
