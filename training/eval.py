"""`make eval`: the committed model and the real rules agent on the held-out split. Trains nothing.

Prints, for Bitext's held-out utterances, ours, and both together: accuracy, per-intent precision
and recall, the confusion table, escalation precision and recall (the rules agent's triage on each
utterance as a verified customer's first message), the "not sure" rate on in-scope messages, and the
cost of understanding (model load, CPU per message); writes the same as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import statistics
import time
from pathlib import Path
from typing import Any

from chalicelib.agent.intent_labels import ESCALATING, Label
from chalicelib.agent.intent_model import MODEL_PATH, IntentModel, load_model
from chalicelib.agent.understanding import understand
from training.agent_run import AgentRun
from training.dataset import Example, bitext_examples, own_examples, own_split
from training.metrics import accuracy, confusion, per_label

DEFAULT_JSON = Path("artifacts/eval/intent_eval.json")
ESCALATING_LABELS = {label.value for label in ESCALATING}
ORDER_LABELS = {Label.ORDER_STATUS.value, Label.DELIVERY_TIME.value}


def judge(examples: list[Example], run: AgentRun) -> list[dict[str, Any]]:
    """Each example with the model's intent and what the rules agent did with it."""
    judged = []
    for example in examples:
        started = time.process_time()
        understood = understand(example.text)
        understanding_cpu = time.process_time() - started
        started = time.process_time()
        result = run.answer(example.text)
        turn_cpu = time.process_time() - started
        judged.append(
            {
                "text": example.text,
                "source": example.source,
                "truth": example.label,
                "predicted": understood.intent.value,
                "confidence": round(understood.confidence, 4),
                "escalated": result.escalation is not None,
                "reasons": [r.code for r in result.escalation.reasons] if result.escalation else [],
                "not_sure": result.fallback and result.escalation is None,
                "reply": result.reply[:300],
                "understanding_ms": understanding_cpu * 1000,
                "turn_ms": turn_cpu * 1000,
            }
        )
    return judged


def _rate(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy, per-intent figures, confusion, escalation and 'not sure' for some judged rows."""
    truth = [r["truth"] for r in rows]
    predicted = [r["predicted"] for r in rows]
    should = [r["truth"] in ESCALATING_LABELS for r in rows]
    did = [r["escalated"] for r in rows]
    true_pos = sum(s and d for s, d in zip(should, did, strict=True))
    in_scope = [r for r in rows if r["truth"] != Label.OUT_OF_SCOPE.value]
    answerable = [r for r in in_scope if r["truth"] not in ESCALATING_LABELS]
    orders = [r for r in rows if r["truth"] in ORDER_LABELS]
    return {
        "examples": len(rows),
        "accuracy": accuracy(truth, predicted),
        "per_intent": per_label(truth, predicted),
        "confusion": confusion(truth, predicted),
        "escalation": {
            "should": sum(should),
            "did": sum(did),
            "precision": _rate(true_pos, sum(did)),
            "recall": _rate(true_pos, sum(should)),
        },
        "not_sure": {
            "in_scope": len(in_scope),
            "count": sum(r["not_sure"] for r in in_scope),
            "rate": _rate(sum(r["not_sure"] for r in in_scope), len(in_scope)),
            "rate_of_answerable": _rate(sum(r["not_sure"] for r in answerable), len(answerable)),
        },
        "order_answered": {
            "questions": len(orders),
            "with_the_order": sum("1001" in r["reply"] for r in orders),
        },
    }


def costs(rows: list[dict[str, Any]], path: Path = MODEL_PATH) -> dict[str, float]:
    """Model file size and load time, CPU per message for understanding and for the whole turn."""
    started = time.perf_counter()
    IntentModel.from_bytes(path.read_bytes())
    load_ms = (time.perf_counter() - started) * 1000
    return {
        "model_bytes": path.stat().st_size,
        "model_load_ms": round(load_ms, 2),
        "understanding_cpu_ms_median": round(
            statistics.median(r["understanding_ms"] for r in rows), 3
        ),
        "turn_cpu_ms_median": round(statistics.median(r["turn_ms"] for r in rows), 3),
    }


def evaluate(examples: list[Example], run: AgentRun | None = None) -> dict[str, Any]:
    """The whole report for a held-out set: by source and together, plus costs."""
    rows = judge(examples, run or AgentRun())
    sources = {"bitext": "bitext", "own": "own"}
    report: dict[str, Any] = {"model": load_model().meta}
    for name, source in sources.items():
        chosen = [r for r in rows if r["source"] == source]
        if chosen:
            report[name] = summarize(chosen)
    report["all"] = summarize(rows)
    report["costs"] = costs(rows)
    report["misses"] = [
        {k: r[k] for k in ("source", "truth", "predicted", "confidence", "text")}
        for r in rows
        if r["truth"] != r["predicted"]
    ]
    return report


def format_report(report: dict[str, Any]) -> str:
    """The report as text tables."""
    lines = []
    for name in ("bitext", "own", "all"):
        if name in report:
            lines += _section(name, report[name])
    c = report["costs"]
    lines.append(
        f"model {c['model_bytes'] / 1000:.0f} KB, loads in {c['model_load_ms']:.1f} ms; CPU per "
        f"message: understanding {c['understanding_cpu_ms_median']:.2f} ms, whole rules turn "
        f"{c['turn_cpu_ms_median']:.2f} ms (medians)"
    )
    return "\n".join(lines)


def _section(name: str, figures: dict[str, Any]) -> list[str]:
    esc, unsure, orders = figures["escalation"], figures["not_sure"], figures["order_answered"]
    lines = [
        f"== {name}: {figures['examples']} utterances",
        f"intent accuracy {figures['accuracy']:.3f}",
        f"escalation precision {esc['precision']:.3f} recall {esc['recall']:.3f} "
        f"(should {esc['should']}, did {esc['did']})",
        f"'not sure' {unsure['count']} of {unsure['in_scope']} in-scope ({unsure['rate']:.3f})",
        f"order questions answered with the order: {orders['with_the_order']} of {orders['questions']}",
        f"{'intent':20} {'precision':>9} {'recall':>7} {'n':>5}",
    ]
    for label, row in figures["per_intent"].items():
        lines.append(
            f"{label:20} {row['precision']:9.3f} {row['recall']:7.3f} {int(row['support']):5d}"
        )
    lines.append("confusion (true -> predicted: count), misses only:")
    for label, row in figures["confusion"].items():
        wrong = {p: n for p, n in row.items() if p != label}
        if wrong:
            lines.append(f"  {label} -> " + ", ".join(f"{p}: {n}" for p, n in wrong.items()))
    return lines


def knowledge_report() -> tuple[dict[str, Any], str] | None:
    """The knowledge set's evaluation, when `training.knowledge_eval` exists."""
    if importlib.util.find_spec("training.knowledge_eval") is None:
        return None
    module = importlib.import_module("training.knowledge_eval")
    result = module.evaluate()
    return result, module.format_table(result)


def held_out(own: Path | None, bitext: bool, split: str = "heldout") -> list[Example]:
    """The held-out examples: Bitext's (unless turned off) and ours (or another file of ours)."""
    found = bitext_examples(split) if bitext else []
    return found + (own_examples(own) if own else own_split(split))


def main(argv: list[str] | None = None) -> int:
    """Evaluate, print, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where the JSON goes")
    parser.add_argument("--own", type=Path, help="another file of our utterances (tests)")
    parser.add_argument("--no-bitext", action="store_true", help="only our utterances")
    parser.add_argument(
        "--split", default="heldout", choices=["heldout", "validation"], help="tuning: validation"
    )
    args = parser.parse_args(argv)
    report = evaluate(held_out(args.own, not args.no_bitext, args.split))
    print(format_report(report))
    knowledge = knowledge_report()
    if knowledge:
        report["knowledge"] = knowledge[0]
        print(knowledge[1])
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, sort_keys=True))
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
