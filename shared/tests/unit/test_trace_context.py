"""W3C trace context: a consumer continues the trace whose traceparent came in Kafka headers."""

from mylm_shared.telemetry import consumer_span, current_trace_headers, setup_telemetry


def test_the_consumer_span_joins_the_producers_trace() -> None:
    setup_telemetry("tests")
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    with consumer_span("invoice.issued process", headers) as span:
        assert f"{span.get_span_context().trace_id:032x}" == trace_id
        # and what it would publish next carries the same trace on
        assert current_trace_headers()["traceparent"].split("-")[1] == trace_id
