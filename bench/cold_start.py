"""Cold start as Lambda pays it: a fresh interpreter imports the app and handles one event."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Each child prints {"ms": ..., "calls": [...], "modules": {...}}: init plus first invoke, measured
# inside it.
# The app's AWS calls are recorded (service, operation, parameters) as it makes them, so its floor
# in the same run makes exactly those calls (bench/floor.py).
RECORD = """
import app
_calls = []
_session = app.services()._boto3_session
_session.events.register(
    "provide-client-params.*.*",
    lambda params, model, **_: _calls.append([model.service_model.service_name, model.name, params]),
)
"""
# The Lambda context stands in for what Lambda passes in: imported before the clock starts.
APP_WEBHOOK = (
    """
import json, sys, time
from dev.emulators import LambdaContext
start = time.perf_counter()
"""
    + RECORD
    + """
answer = app.app(json.loads(sys.argv[1]), LambdaContext("api"))
assert answer["statusCode"] == 200, answer
"""
)
APP_WORKER = (
    """
import json, sys, time
from dev.emulators import LambdaContext
start = time.perf_counter()
"""
    + RECORD
    + """
answer = app.inbound_worker(json.loads(sys.argv[1]), LambdaContext("inbound_worker"))
assert answer["batchItemFailures"] == [], answer
"""
)
# The floor: boto3 and chalice imported, the clients created, the app's recorded calls made again
# (reads as they were; writes in a key space of their own, so their conditions hold as the app's did).
FLOOR = """
import json, os, sys, time
start = time.perf_counter()
import boto3, chalice
from bench.floor import replay
session = boto3.session.Session()
clients = {name: session.client(name, endpoint_url=os.environ["AWS_ENDPOINT_URL"])
           for name in ("dynamodb", "sqs")}
replay(clients, json.loads(sys.argv[1]), os.environ["HELPDESK_QUEUE_URL"])
_calls = []
"""
REPORT = """
print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "calls": _calls,
                  "modules": {m: m in sys.modules for m in ("twilio.rest", "openai")}}))
"""


def run_child(code: str, argument: Any, env: dict[str, str]) -> dict[str, Any]:
    """Run one fresh interpreter; its own measurement."""
    command = [sys.executable, "-c", code + REPORT, json.dumps(argument)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-1000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def median_ms(runs: list[dict[str, Any]]) -> float:
    """The median of the runs' times."""
    return round(statistics.median(run["ms"] for run in runs), 1)


def compare(
    name: str, app_runs: list[dict[str, Any]], floor_runs: list[dict[str, Any]]
) -> dict[str, Any]:
    """One path's result: medians, their ratio, heavy modules seen."""
    app_ms, floor_ms = median_ms(app_runs), median_ms(floor_runs)
    imported = sorted({m for run in app_runs for m, seen in run["modules"].items() if seen})
    calls = Counter(f"{service}.{operation}" for service, operation, _ in app_runs[-1]["calls"])
    return {
        "path": name,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 2),
        "heavy_imports": imported,
        "aws_calls": dict(calls),  # the last run's; its floor made the same
    }
