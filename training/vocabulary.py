"""The words customers use for each intent, from the train split: what lets the rules backend
quote the policy an intent names only when the question asks nothing beyond it.

`python -m training.vocabulary` (and `make train`) rewrites `chalicelib/agent/intent_vocabulary.txt`;
a test checks the committed file is what the train split gives.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

from chalicelib.agent.intent_vocabulary import VOCABULARY_PATH
from chalicelib.agent.knowledge import terms
from training.dataset import Example, examples

# A word customers use for an intent: seen in this many of its utterances. A word seen once is a
# detail of that one question ("can you deliver to a *po box*?", "pick up *in store*?"), not a
# way of asking about the intent: the policy the intent names may not cover it.
MIN_UTTERANCES = 2


def vocabulary(found: list[Example]) -> dict[str, list[str]]:
    """Each label's stemmed words seen in `MIN_UTTERANCES` of its utterances at least, sorted."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for example in found:
        seen[str(example.label)].update(set(terms(example.text)))
    return {
        label: sorted(w for w, n in seen[label].items() if n >= MIN_UTTERANCES)
        for label in sorted(seen)
    }


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
