"""Benchmarks: they print figures and compare the harness with the raw backend in the same run."""
