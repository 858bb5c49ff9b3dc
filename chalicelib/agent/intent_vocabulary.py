"""The words customers use when they ask about each intent (trained: `training/vocabulary.py`)."""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path

VOCABULARY_PATH = Path(__file__).with_name("intent_vocabulary.txt")
TYPO_CUTOFF = 0.85  # "termimation" is "termination": a word this close to a known one is it


@cache
def _vocabulary() -> dict[str, tuple[str, ...]]:
    """Label -> its words, sorted (read once per container, when first needed)."""
    lines = VOCABULARY_PATH.read_text(encoding="utf-8").splitlines()
    return {label: tuple(words.split()) for label, _, words in (ln.partition("\t") for ln in lines)}


@cache
def _known(label: str) -> frozenset[str]:
    return frozenset(_vocabulary().get(label, ()))


def explains(label: str, word: str) -> bool:
    """Whether customers asking about `label` use `word` (or a word it is a typo of)."""
    if word in _known(label):
        return True
    words = _vocabulary().get(label, ())
    return bool(difflib.get_close_matches(word, words, n=1, cutoff=TYPO_CUTOFF))
