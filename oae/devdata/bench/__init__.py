"""Benchmarks for `make bench` (contract: BENCH.md of the project's brief)."""
