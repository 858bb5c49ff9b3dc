"""`make bench`: cold start, AWS calls per message, throughput and cost; a table and JSON results."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench.calls import counted_pipeline, measure_calls, post_sms
from bench.cold_start import APP_WEBHOOK, APP_WORKER, FLOOR, compare, run_child, task_root
from bench.cost import per_conversation, per_thousand
from bench.deployed import deployed_env, put_parameters
from bench.throughput import burst
from bench.world import AVA, SAFE_ENV, TimedTwilioApi, moto_server, sms_form, twilio_api_event
from dev.fakes.openai_api import FakeOpenAI

RESULTS = Path(__file__).resolve().parent / "results"
# Billed durations assumed for Lambda GB-s: the worker waits on the LLM, the API on DynamoDB/SQS.
API_MS, WORKER_MS = 100.0, 4000.0


def child_env(pipeline: Any) -> dict[str, str]:
    """The app's environment for fresh interpreters, without this shell's AWS settings."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TWILIO_"))}
    return {**base, **SAFE_ENV, **pipeline.env, "AGENT_BACKEND": "rules"}


def shopper(pipeline: Any, run: int) -> str:
    """A store customer like the demo's (profile, two orders) with a phone of its own; its phone.

    Each worker run answers a new shopper's first SMS, a plain AI turn: one sender writing again
    and again would be escalated as repeating itself, and the run would time a handoff.
    """
    from dev.seed import DEMO_CUSTOMER_ID, DEMO_EMAIL, DEMO_PHONE, demo_events

    phone = f"+1415800{run:04d}"
    text = json.dumps({"events": demo_events()})
    for old, new in ((DEMO_CUSTOMER_ID, f"bench-{run}"), (DEMO_PHONE, phone)):
        text = text.replace(old, new)
    text = text.replace(DEMO_EMAIL, f"bench-{run}@example.com").replace('"seed-', f'"bench-{run}-')
    text = text.replace('"o-', f'"o-bench-{run}-')
    answer = pipeline.post_json("/events", json.loads(text), {"X-Api-Key": "dev-store-key"})
    assert answer.status_code == 202, answer.body
    return phone


def queued_event(pipeline: Any, sid: str, sender: str = AVA) -> dict[str, Any]:
    """Post a webhook, take its queue record, and shape Lambda's SQS event for it."""
    from dev.emulators import sqs_event

    sqs, url = pipeline.sqs(), pipeline.env["INBOUND_QUEUE_URL"]
    names = {"MessageSystemAttributeNames": ["All"], "MessageAttributeNames": ["All"]}
    # The webhook runs' messages (other senders) wait in the queue too: this run's is alone.
    while stale := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in stale:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    post_sms(pipeline, sid, "where is my order?", sender)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, **names)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return dict(sqs_event(got, arn["QueueArn"]))


def cold_starts(pipeline: Any, runs: int, model: Any) -> list[dict[str, Any]]:
    """Webhook and worker cold starts as deployed (bench/deployed.py), each against its replayed
    floor (the calls its app run made) and its minimal one, interleaved run by run."""
    import boto3

    ssm = boto3.client("ssm", endpoint_url=pipeline.moto_url)
    openai = {"OPENAI_API_KEY": "sk-bench-0000000000", "OPENAI_BASE_URL": model.base_url}
    openai["OPENAI_MODEL"] = "fake-model"
    put_parameters(ssm, pipeline.env, openai)
    env = deployed_env(child_env(pipeline))
    rules_env = {**env, "AGENT_BACKEND": "rules"}  # a value in the environment wins over SSM
    found: dict[str, list[list[dict[str, Any]]]] = {p: [[], [], []] for p in PATHS}
    with task_root() as task:
        for run in range(runs):
            form = sms_form(f"SMc{run:031d}", "where is my order?", f"+1415700{run:04d}")
            event = twilio_api_event(pipeline.env, form, token=f"idem-{run}")
            timed(found["webhook"], run_child(APP_WEBHOOK, event, env, task), task, env, None)
            for path, path_env, offset in (("worker", rules_env, 0), ("worker_openai", env, 500)):
                phone = shopper(pipeline, run + offset)
                event = queued_event(pipeline, f"SMe{run + offset:031d}", phone)
                asked = len(model.requests)
                app_run = run_child(APP_WORKER, event, path_env, task)
                extra: dict[str, Any] = {"twilio": twilio_spec(pipeline, phone)}
                if path == "worker_openai":
                    rounds = len(model.requests) - asked
                    extra["openai_rounds"] = {**openai_spec(openai), "rounds": rounds}
                timed(found[path], app_run, task, path_env, extra)
    return [compare(path, *found[path]) for path in PATHS]


PATHS = ("webhook", "worker", "worker_openai")


def timed(
    found: list[list[dict[str, Any]]],
    app_run: dict[str, Any],
    task: Any,
    env: dict[str, str],
    extra: dict[str, Any] | None,
) -> None:
    """An app run, then its replayed floor and its minimal floor (`extra`: the worker's Twilio
    POST and model rounds, in both floors)."""
    from bench.floor import minimal_calls

    path = "webhook" if extra is None else "worker"
    found[0].append(app_run)
    replayed = {"calls": app_run["calls"], **(extra or {})}
    found[1].append(run_child(FLOOR, replayed, env, task))
    minimal = {"calls": minimal_calls(path, app_run["calls"]), **(extra or {})}
    found[2].append(run_child(FLOOR, minimal, env, task))


def twilio_spec(pipeline: Any, phone: str) -> dict[str, str]:
    """What the floor's Twilio POST sends, and where."""
    return {
        "base_url": pipeline.env["TWILIO_API_BASE_URL"],
        "account_sid": pipeline.env["TWILIO_ACCOUNT_SID"],
        "auth_token": pipeline.env["TWILIO_AUTH_TOKEN"],
        "to": phone,
        "from": pipeline.env["TWILIO_SMS_FROM"],
        "body": "Your order #1001 shipped with UPS on Nov 20 and arrives Nov 26.",
    }


def openai_spec(settings: dict[str, str]) -> dict[str, str]:
    """The floor's openai client settings (the app's, from SSM)."""
    return {
        "api_key": settings["OPENAI_API_KEY"],
        "base_url": settings["OPENAI_BASE_URL"],
        "model": settings["OPENAI_MODEL"],
    }


def measure(
    runs: int, messages: int, conversations: int, only: str | None = None
) -> dict[str, Any]:
    """Every benchmark in one moto server (its own process) and one fake Twilio (or only the
    cold starts)."""
    with moto_server() as moto:
        calls = measure_calls(moto.url)
        twilio = TimedTwilioApi()
        with twilio, FakeOpenAI() as model:
            pipeline, _ = counted_pipeline(moto.url, twilio)
            cold = cold_starts(pipeline, runs, model)
            if only == "cold":
                return {"cold_start": cold, "aws_calls": calls}
            throughput = burst(pipeline, twilio, moto, messages, conversations)
    counts = per_conversation(calls, WORKER_MS, API_MS)
    return {
        "cold_start": cold,
        "aws_calls": calls,
        "throughput": throughput,
        "per_conversation": counts,
        "usd_per_1000_conversations": per_thousand(counts),
    }


def table(results: dict[str, Any]) -> str:
    """The figures as a plain table."""
    rows = [
        f"{'cold start (as deployed)':<26}{'app ms':>9}{'floor ms':>10}{'ratio':>7}"
        f"{'minimal ms':>12}{'ratio':>7}{'cpu ratio':>10}  heavy imports"
    ]
    for c in results["cold_start"]:
        imported = ",".join(c["heavy_imports"]) or "-"
        rows.append(
            f"{c['path']:<26}{c['app_ms']:>9}{c['floor_ms']:>10}{c['ratio']:>7}"
            f"{c['minimal_floor_ms']:>12}{c['ratio_to_minimal']:>7}"
            f"{c['cpu_ratio_to_minimal']:>10}  {imported}"
        )
    for label in ("first", "follow_up"):
        found = results["aws_calls"][label]
        rows.append(f"AWS calls ({label}): webhook {found['webhook']}, worker {found['worker']}")
    if "throughput" not in results:  # --only cold
        return "\n".join(rows)
    t = results["throughput"]
    rows.append(
        f"burst: {t['messages']} msgs across {t['conversations']} convs in {t['seconds']} s: "
        f"{t['messages_per_second']} msg/s, webhook to sent reply p50 {t['latency_ms_p50']} ms, "
        f"p95 {t['latency_ms_p95']} ms; order kept {t['order_kept']}, "
        f"all answered {t['all_answered']} ({t['replies_sent']} replies)"
    )
    rows.append(
        f"  CPU per msg: handler {t['handler_cpu_ms_per_message']} ms (webhook "
        f"{t['webhook_cpu_ms_per_message']}, worker {t['worker_cpu_ms_per_message']}), moto "
        f"{t['moto_cpu_ms_per_message']} ms; moto peak RSS {t['moto_peak_rss_mb']} MB; load "
        f"{t['load_average_1m_at_end']} on {t['cores']} cores"
    )
    rows.append(
        f"AWS cost per 1,000 conversations: ${results['usd_per_1000_conversations']['total']}"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """Run, print the table, write bench/results/<time>.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    # Issue 12's burst (bench/moto_process.py is why moto no longer runs out of memory on it).
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--only", choices=["cold"], default=None, help="only the cold starts")
    args = parser.parse_args(argv)
    results = measure(args.runs, args.messages, args.conversations, args.only)
    print(table(results))
    out = args.out or RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
