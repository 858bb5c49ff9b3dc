"""The words customers use for each intent, from the train split: what lets the rules backend
quote the policy an intent names only when the question asks nothing beyond it.

`python -m training.vocabulary` (and `make train`) rewrites `chalicelib/agent/intent_vocabulary.txt`;
a test checks the committed file is what the train split gives.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from chalicelib.agent.intent_vocabulary import VOCABULARY_PATH
from chalicelib.agent.knowledge import terms
from training.dataset import Example, examples


def vocabulary(found: list[Example]) -> dict[str, list[str]]:
    """Each label's stemmed words, sorted (every word seen in one of its utterances)."""
    words: dict[str, set[str]] = defaultdict(set)
    for example in found:
        words[str(example.label)].update(terms(example.text))
    return {label: sorted(words[label]) for label in sorted(words)}


def render(vocab: dict[str, list[str]]) -> str:
    """One line per label: the label, a tab, its words."""
    return "".join(f"{label}\t{' '.join(words)}\n" for label, words in vocab.items())


def main(argv: list[str] | None = None) -> int:
    """Write the vocabulary file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=VOCABULARY_PATH)
    args = parser.parse_args(argv)
    args.out.write_text(render(vocabulary(examples("train"))), encoding="utf-8")
    print(f"vocabulary -> {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
