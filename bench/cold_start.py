"""Cold start as Lambda pays it: a fresh interpreter imports the app and handles one event."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.bytecode import compile_tree, compiled_patterns, vader_lexicons
from infra.checked_config import check_store_configs

ROOT = Path(__file__).resolve().parent.parent
# Each child prints {"ms": ..., "calls": [...], "modules": {...}}: init plus first invoke, measured
# inside it.
# The app's AWS calls are recorded (service, operation, parameters) as it makes them, so its floor
# in the same run makes exactly those calls (bench/floor.py).
RECORD = """
import app
from chalicelib.runtime.session import aws_session
_calls = []
aws_session().register(
    "provide-client-params.*.*",
    lambda params, model, **_: _calls.append([model.service_model.service_name, model.name, params]),
)
"""
# Before the clock: the child imports only what the Lambda package ships (bench/deployed.py).
DEPLOYED = """
from bench.deployed import hide_unshipped
hide_unshipped()
"""
# The Lambda context stands in for what Lambda passes in: imported before the clock starts.
APP_WEBHOOK = (
    DEPLOYED
    + """
import json, sys, time
from dev.emulators import LambdaContext
start, cpu_start = time.perf_counter(), time.process_time()
"""
    + RECORD
    + """
answer = app.app(json.loads(sys.argv[1]), LambdaContext("api"))
assert answer["statusCode"] == 200, answer
"""
)
APP_WORKER = (
    DEPLOYED
    + """
import json, sys, time
from dev.emulators import LambdaContext
start, cpu_start = time.perf_counter(), time.process_time()
"""
    + RECORD
    + """
answer = app.inbound_worker(json.loads(sys.argv[1]), LambdaContext("inbound_worker"))
assert answer["batchItemFailures"] == [], answer
"""
)
# The floor: boto3 and chalice imported, the clients created, the recorded calls made again (reads
# as they were; writes in a key space of their own, so their conditions hold as the app's did), and
# for a worker the reply's Twilio POST (requests, as twilio's client sends it), and for the openai
# backend its client and each model round. It imports what the app's runs import before their
# clock too (LambdaContext and its stdlib). Its argument: {"calls", "twilio", "openai_rounds"}.
FLOOR = (
    DEPLOYED
    + """
import json, os, sys, time
from dev.emulators import LambdaContext
start, cpu_start = time.perf_counter(), time.process_time()
import boto3, chalice
from bench.floor import replay, send_sms, openai_rounds
given = json.loads(sys.argv[1])
session = boto3.session.Session()
clients = {name: session.client(name, endpoint_url=os.environ["AWS_ENDPOINT_URL"])
           for name in sorted({call[0] for call in given["calls"]})}
replay(clients, given["calls"], os.environ["HELPDESK_QUEUE_URL"])
if given.get("twilio"):
    send_sms(given["twilio"])
if given.get("openai_rounds"):
    openai_rounds(given["openai_rounds"])
_calls = []
"""
)
# "cpu_ms": the child's CPU over the same span (all its threads): on a shared machine a loaded
# core stretches the wall clock, much less the CPU a cold start needs.
REPORT = """
print(json.dumps({"ms": (time.perf_counter() - start) * 1000, "calls": _calls,
                  "cpu_ms": (time.process_time() - cpu_start) * 1000,
                  "modules": {m: m in sys.modules for m in ("twilio.rest", "openai")},
                  "app_file": getattr(sys.modules.get("app"), "__file__", None)}))
"""


@contextmanager
def task_root() -> Iterator[Path]:
    """What Lambda unpacks of the app, in a temporary folder: app.py and chalicelib/ as `chalice
    package` zips them, with the bytecode, the checked store configs and the marshalled snapshots
    (VADER's lexicons, the assembled patterns) the package ships (infra/bytecode.py,
    infra/checked_config.py)."""
    with tempfile.TemporaryDirectory(prefix="tandem-task-") as scratch:
        root = Path(scratch)
        shutil.copy2(ROOT / "app.py", root / "app.py")
        shutil.copytree(
            ROOT / "chalicelib", root / "chalicelib", ignore=shutil.ignore_patterns("__pycache__")
        )
        compile_tree(root)
        check_store_configs(root)
        vader_lexicons(root)
        compiled_patterns(root)
        yield root


def run_child(code: str, argument: Any, env: dict[str, str], task: Path) -> dict[str, Any]:
    """Run one fresh interpreter in the task root `task` (the repository importable after it, for
    dev/ and bench/); its own measurement."""
    command = [sys.executable, "-c", code + REPORT, json.dumps(argument)]
    env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))}
    done = subprocess.run(command, cwd=task, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-1000:])
    result = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    if result["app_file"] and Path(result["app_file"]).parent != task:
        raise RuntimeError(f"the app ran from {result['app_file']}, not the task root {task}")
    return result


def median_ms(runs: list[dict[str, Any]], key: str = "ms") -> float:
    """The median of the runs' times (wall clock, or `cpu_ms`)."""
    return round(statistics.median(run[key] for run in runs), 1)


def compare(
    name: str,
    app_runs: list[dict[str, Any]],
    floor_runs: list[dict[str, Any]],
    minimal_runs: list[dict[str, Any]],
) -> dict[str, Any]:
    """One path's result: medians, ratios to the replayed floor and to the design's minimal one,
    heavy modules seen."""
    app_ms, floor_ms = median_ms(app_runs), median_ms(floor_runs)
    minimal_ms = median_ms(minimal_runs)
    imported = sorted({m for run in app_runs for m, seen in run["modules"].items() if seen})
    calls = Counter(f"{service}.{operation}" for service, operation, _ in app_runs[-1]["calls"])
    return {
        "path": name,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 2),
        "minimal_floor_ms": minimal_ms,
        "ratio_to_minimal": round(app_ms / minimal_ms, 2),
        "app_cpu_ms": median_ms(app_runs, "cpu_ms"),
        "minimal_floor_cpu_ms": median_ms(minimal_runs, "cpu_ms"),
        "cpu_ratio_to_minimal": round(
            median_ms(app_runs, "cpu_ms") / median_ms(minimal_runs, "cpu_ms"), 2
        ),
        "heavy_imports": imported,
        "aws_calls": dict(calls),  # the last run's; its replayed floor made the same
    }
