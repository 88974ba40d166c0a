"""The benchmarks, in one package (issue 17 item 8): not tests, they report figures.

- ``python -m bench`` (``make bench``): the invoice slice end to end under load, per
  stage, and each consumer against a minimal one (docs/benchmark.md). Its parts:
  ``load`` (closed and open loop generators), ``trace`` (each invoice followed through
  Kafka, the stores and Mailpit), ``seed`` (the grown store), ``consumers`` (service vs
  minimal consumer), ``stats``, ``end_to_end`` (one run, its report).
- ``python -m bench.store_probe``: FerretDB's backends side by side (docs/store.md).
- ``bench/tests``: the bookkeeping checked without servers (part of ``make test``).

It builds on ``testkit`` (platform, service processes, Kafka and Mailpit readers) and
``infra.local`` (the servers), never the other way round.
"""
