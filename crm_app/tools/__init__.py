"""Command-line tools (bulk data generation for benchmarks)."""
