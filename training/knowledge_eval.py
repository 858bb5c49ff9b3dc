"""The knowledge question set, measured: right article, honest 'I don't know', or a wrong answer.

`python -m training.knowledge_eval [--split heldout|tune|all] [--method NAME] [--json FILE]`
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from chalicelib.agent.knowledge import Article, KnowledgeIndex
from chalicelib.config.store_config import KnowledgeArticle, load_store_config

QUESTIONS = Path(__file__).parent / "data" / "knowledge_questions.yaml"
NO_ARTICLE = "(no article)"  # what a method gives for a reply that quotes no article
SPLITS = (
    "tune",
    "heldout",
    "heldout_fresh",
    "heldout_s3",
    "heldout_s4",
    "heldout_s5",
    "heldout_s6",
    "heldout_s7",
    "heldout_s8",
    "heldout_s9",
    "heldout_s10",
    "heldout_s11",
    "heldout_s12",
    "heldout_s13",
    "heldout_s14",
    "heldout_s15",
    "heldout_s16",
    "heldout_s17",
    "heldout_s18",
)
# What a method gives for a question: (article id, quoted passage), or None for "I don't know".
Answerer = Callable[[str], "tuple[str, str] | None"]
Method = Callable[[Sequence[Article]], Answerer]


@dataclass(frozen=True)
class Question:
    """A question, the article that answers it (None: no article does), accepted passages."""

    text: str
    article: str | None
    passage: tuple[str, ...]


@cache
def question_set() -> dict[str, Any]:
    """The question file, parsed."""
    return dict(yaml.safe_load(QUESTIONS.read_text(encoding="utf-8")))


def articles() -> list[KnowledgeArticle]:
    """The demo store's articles and the question set's own."""
    extra = [KnowledgeArticle.model_validate(a) for a in question_set()["articles"]]
    return [*load_store_config().knowledge, *extra]


def product_names() -> list[str]:
    """The demo store's product names (the agent's index knows the store's catalog)."""
    return [product.name for product in load_store_config().catalog]


def questions(split: str) -> list[Question]:
    """The questions of a split (`tune`, `heldout` or `all`)."""
    if split not in (*SPLITS, "all"):
        raise ValueError(f"split must be one of {', '.join(SPLITS)} or all, not {split!r}")
    chosen = SPLITS if split == "all" else (split,)
    rows = [row for name in chosen for row in question_set()[name]]
    return [Question(r["question"], r["article"], tuple(r.get("passage") or ())) for r in rows]


def production(found: Sequence[Article]) -> Answerer:
    """The agent's own retrieval: `KnowledgeIndex.answer`."""
    index = KnowledgeIndex(found, product_names())

    def answer(question: str) -> tuple[str, str] | None:
        hit = index.answer(question)
        return (hit.article_id, hit.snippet) if hit else None

    return answer


def outcome(question: Question, given: tuple[str, str] | None) -> str:
    """right | wrong_passage | wrong_article | abstained | missed (abstained on an answerable
    one) | otherwise (answered without quoting an article: the order, products, the hours)."""
    if given is None:
        return "missed" if question.article else "abstained"
    article, passage = given
    if article == NO_ARTICLE:
        return "otherwise"
    if article != question.article:
        return "wrong_article"
    return "right" if any(p in passage for p in question.passage) else "wrong_passage"


def evaluate(split: str = "heldout", method: Method = production) -> dict[str, Any]:
    """The figures of one split: counts, rates, and every question that was not right."""
    answer = method(articles())
    rows = [(q, answer(q.text)) for q in questions(split)]
    kinds = ("right", "wrong_passage", "wrong_article", "abstained", "missed", "otherwise")
    counts = dict.fromkeys(kinds, 0)
    misses = []
    for question, given in rows:
        kind = outcome(question, given)
        counts[kind] += 1
        if kind not in {"right", "abstained"}:
            misses.append(
                {
                    "question": question.text,
                    "expected": question.article,
                    "outcome": kind,
                    "given": list(given) if given else None,
                }
            )
    return _figures(split, len(rows), counts, rows, misses)


def _figures(
    split: str, total: int, counts: dict[str, int], rows: list[Any], misses: list[Any]
) -> dict[str, Any]:
    """Counts turned into the reported rates."""
    answerable = sum(1 for q, _ in rows if q.article)
    answered = sum(counts[k] for k in ("right", "wrong_passage", "wrong_article", "otherwise"))
    honest = counts["right"] + counts["abstained"] + counts["missed"]
    return {
        "split": split,
        "questions": total,
        "answerable": answerable,
        "answered_right": counts["right"],
        "honestly_abstained": counts["abstained"] + counts["missed"],
        "abstained_unanswerable": counts["abstained"],
        "abstained_answerable": counts["missed"],
        "answered_wrong_article": counts["wrong_article"],
        "answered_wrong_passage": counts["wrong_passage"],
        "answered_without_article": counts["otherwise"],
        "answer_rate": _rate(answered, total),
        "abstention_rate": _rate(total - answered, total),
        "right_of_answerable": _rate(counts["right"], answerable),
        "right_or_honest_rate": _rate(honest, total),
        "misses": misses,
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def format_table(result: dict[str, Any]) -> str:
    """The figures as a small text table (misses listed under it)."""
    keys = [k for k in result if k not in {"misses", "split"}]
    width = max(len(k) for k in keys)
    lines = [f"knowledge questions ({result['split']})"]
    lines += [f"  {k.ljust(width)}  {result[k]}" for k in keys]
    for miss in result["misses"]:
        given = miss["given"][0] if miss["given"] else "-"
        lines.append(
            f"  {miss['outcome']:<14} {miss['question']!r} -> {given} (expected {miss['expected']})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures of a split (and write them as JSON when asked)."""
    parser = argparse.ArgumentParser(prog="python -m training.knowledge_eval")
    parser.add_argument("--split", default="heldout", choices=[*SPLITS, "all"])
    parser.add_argument("--method", default="production")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from training.knowledge_methods import METHODS

    result = evaluate(args.split, METHODS[args.method])
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
