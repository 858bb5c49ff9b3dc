"""The benchmarks run end to end on tiny sizes (their figures are not asserted: no timed tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run
from bench.throughput import Thread, check_order


def test_bench_runs_on_tiny_sizes_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    run.main(["--runs", "1", "--messages", "12", "--conversations", "3", "--out", str(out)])
    results = json.loads(out.read_text())
    paths = {c["path"]: c for c in results["cold_start"]}
    assert set(paths) == {"webhook", "worker", "worker_openai"}
    assert paths["worker_openai"]["heavy_imports"] == ["openai"]  # the reply: twilio/rest_api.py
    assert all(c["minimal_floor_ms"] > 0 for c in paths.values())
    assert results["aws_calls"]["first"]["webhook"] == 2
    burst = results["throughput"]
    assert burst["order_kept"] and burst["all_answered"] and burst["replies_sent"] > 0
    assert burst["latency_ms_p95"] >= burst["latency_ms_p50"] > 0
    assert burst["moto_cpu_ms_per_message"] > 0 and burst["moto_peak_rss_mb"] > 0
    assert results["usd_per_1000_conversations"]["total"] > 0
    webhook = next(c for c in results["cold_start"] if c["path"] == "webhook")
    assert webhook["heavy_imports"] == []  # neither twilio.rest nor openai on the webhook path


def test_replies_answering_questions_in_the_order_sent_keep_order() -> None:
    threads = [
        Thread([0, 1, 2], [("SMa", [0]), ("SMb", [1, 2])]),
        Thread([0, 1], [("SMc", [0, 1])]),
    ]
    verdict = check_order(threads, messages=5, conversations=2)
    assert verdict["order_kept"] and verdict["all_answered"]


def test_a_reply_to_an_earlier_question_sent_after_a_later_ones_breaks_order() -> None:
    threads = [Thread([0, 1, 2], [("SMa", [1]), ("SMb", [0, 2])])]
    verdict = check_order(threads, messages=3, conversations=1)
    assert not verdict["order_kept"] and verdict["conversations_out_of_order"] == [0]


def test_questions_stored_out_of_the_order_sent_break_order() -> None:
    threads = [Thread([1, 0], [("SMa", [0, 1])])]
    assert not check_order(threads, messages=2, conversations=1)["order_kept"]


def test_a_question_no_reply_answers_is_counted() -> None:
    threads = [Thread([0, 1], [("SMa", [0])])]
    verdict = check_order(threads, messages=2, conversations=1)
    assert verdict["order_kept"] and not verdict["all_answered"] and verdict["unanswered"] == 1


def test_reply_extraction_bench_times_every_corpus_case(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import email_replies

    email_replies.main(["1"])
    assert "cpu: cases 161" in capsys.readouterr().out


def test_a_long_conversation_s_turn_reads_a_window_not_its_history() -> None:
    from bench.conversation_growth import measure
    from chalicelib.store.conversations import WINDOW

    found = measure([5, 45], turns=1)
    short, long = found["points"]
    assert found["state_at_end"] == "ai"  # every timed turn was the AI's
    # The window (its newest messages), then META by key: the same reads at both points.
    assert f"Query:{WINDOW}" in long["calls_of_last_turn"]
    assert long["calls_of_last_turn"] == short["calls_of_last_turn"]
    assert long["read_units_median"] == short["read_units_median"] > 0


def test_interleaved_points_are_twin_conversations_read_alike() -> None:
    from bench.conversation_growth import measure

    found = measure([5, 25], turns=1, interleave=True)
    short, long = found["points"]
    assert found["state_at_end"] == "ai"
    assert long["calls_of_last_turn"] == short["calls_of_last_turn"]
    assert long["read_units_median"] == short["read_units_median"] > 0
