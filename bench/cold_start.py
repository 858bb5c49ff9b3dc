"""Cold start as Lambda pays it: a fresh interpreter imports the app and handles one event."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Each child prints {"ms": ..., "modules": {...}}: init plus first invoke, measured inside it.
APP_WEBHOOK = """
import json, sys, time
start = time.perf_counter()
import app
from dev.emulators import LambdaContext
answer = app.app(json.loads(sys.argv[1]), LambdaContext("api"))
assert answer["statusCode"] == 200, answer
"""
APP_WORKER = """
import json, sys, time
start = time.perf_counter()
import app
from dev.emulators import LambdaContext
answer = app.inbound_worker(json.loads(sys.argv[1]), LambdaContext("inbound_worker"))
assert answer["batchItemFailures"] == [], answer
"""
FLOOR = """
import json, os, sys, time
start = time.perf_counter()
import boto3, chalice
calls = json.loads(sys.argv[1])
session = boto3.session.Session()
ddb = session.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
sqs = session.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
key = {"PK": {"S": "BENCH#floor"}, "SK": {"S": str(time.time())}}
for call in calls:
    if call.startswith("sqs."):
        sqs.send_message(QueueUrl=os.environ["HELPDESK_QUEUE_URL"], MessageBody="{}",
                         MessageGroupId="floor", MessageDeduplicationId=str(time.time_ns()))
    elif call.endswith(("GetItem", "Query")):
        ddb.get_item(TableName=os.environ["TABLE_NAME"], Key=key, ConsistentRead=True)
    else:
        ddb.put_item(TableName=os.environ["TABLE_NAME"], Item=key)
"""
REPORT = """
print(json.dumps({"ms": (time.perf_counter() - start) * 1000,
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
    return {
        "path": name,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 2),
        "heavy_imports": imported,
    }
