"""The intents' vocabulary file: what the train split gives, and nothing held out in it."""

from __future__ import annotations

from chalicelib.agent.intent_vocabulary import VOCABULARY_PATH
from chalicelib.agent.knowledge import terms
from training.dataset import Example, examples
from training.vocabulary import render, vocabulary


def test_the_committed_vocabulary_is_what_the_train_split_gives() -> None:
    assert VOCABULARY_PATH.read_text(encoding="utf-8") == render(vocabulary(examples("train")))


def test_a_word_only_held_out_text_uses_is_in_no_intents_vocabulary() -> None:
    trained = {w for e in examples("train") for w in terms(e.text)}
    held_only = {w for e in examples("heldout") for w in terms(e.text)} - trained
    listed = {w for line in VOCABULARY_PATH.read_text().splitlines() for w in line.split()[1:]}
    assert held_only and not held_only & listed


def test_a_word_seen_in_one_utterance_of_an_intent_is_a_detail_not_its_vocabulary() -> None:
    found = [
        Example("what delivery options do you have", "shipping_options", "own"),
        Example("which delivery options are there", "shipping_options", "own"),
        Example("can you deliver to a po box", "shipping_options", "own"),
    ]
    words = vocabulary(found)["shipping_options"]
    assert {"delivery", "option"} <= set(words)
    assert not {"po", "box"} & set(words)  # one customer's detail: the policy may not cover it
