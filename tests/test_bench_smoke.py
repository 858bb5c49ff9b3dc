"""The benchmarks run end to end on tiny sizes (their figures are not asserted: no timed tests)."""

from __future__ import annotations

import json
from pathlib import Path

from bench import run


def test_bench_runs_on_tiny_sizes_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run.main(["--runs", "1", "--messages", "12", "--conversations", "3", "--out", str(out)])
    results = json.loads(out.read_text())
    assert {c["path"] for c in results["cold_start"]} == {"webhook", "worker"}
    assert results["aws_calls"]["first"]["webhook"] == 2
    assert results["throughput"]["order_kept"] and results["throughput"]["all_answered"]
    assert results["usd_per_1000_conversations"]["total"] > 0
    webhook = next(c for c in results["cold_start"] if c["path"] == "webhook")
    assert webhook["heavy_imports"] == []  # neither twilio.rest nor openai on the webhook path
