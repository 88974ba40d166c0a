"""The My LM platform's own library, used by every service.

- ``settings``   — pydantic-settings base for every service
- ``events``     — CloudEvents envelope and the versioned event contracts
- ``outbox``     — transactional outbox (pending events inside the changed document) + relay
- ``consumer``   — idempotent Kafka consumer with retries and a dead-letter topic
- ``kafka``      — broker/producer factories and explicit topic creation
- ``mongo``      — AsyncMongoClient factory and index bootstrap
- ``auth``       — JWT verification against identity-svc's JWKS
- ``problems``   — RFC 9457 problem+json errors
- ``web``        — FastAPI app factory with /healthz and /readyz
- ``telemetry``  — JSON logs with trace ids, W3C trace context HTTP → Kafka → consumer
- ``texts``      — what members read (inbox titles, letters, e-mails) per kind and language,
                   the language fallbacks; ``masking`` — the IBAN mask
"""
