"""The kernel: the pure part of ``mylm_shared`` (issue 17 item 8).

Domain base classes, calendar periods, money and its formatting, masking, idempotency
fingerprints. Nothing here imports FastAPI, Kafka, MongoDB or an HTTP client, so a
service's ``domain/`` package can depend on it (and only on it, the event schemas and
the member-facing texts) and stay testable without servers. The import contracts in the
root ``pyproject.toml`` (``[tool.importlinter]``) keep it that way.
"""
