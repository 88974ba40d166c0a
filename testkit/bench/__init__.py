"""The benchmark behind `make bench` (tests-e2e/bench.py): load generators, per-stage
tracing of each invoice, the grown-store seed and the per-consumer comparison."""
