"""Triage from the understanding step: a confident escalating intent, unless the words say otherwise."""

from __future__ import annotations

import pytest

from chalicelib.agent.intent_labels import Label
from chalicelib.agent.understanding import Understanding
from chalicelib.agent.understood_triage import understood_reasons
from chalicelib.config.store_config import EscalationRules


@pytest.mark.parametrize(
    ("label", "text"),
    [
        (Label.DAMAGED_ITEM, "the sand tee is so nice"),
        (Label.COMPLAINT, "cheers, you've been really helpful"),
        (Label.HUMAN_REQUEST, "I don't need a person, just the tracking link"),
    ],
)
def test_words_that_contradict_the_model_do_not_escalate(label: Label, text: str) -> None:
    assert understood_reasons(Understanding(text, label, 0.9), text, EscalationRules()) == []


@pytest.mark.parametrize(
    ("label", "text", "code"),
    [
        (Label.DAMAGED_ITEM, "the mug came with a chip in it", "damaged_item"),
        (Label.COMPLAINT, "I want to file a complaint", "frustration"),
        (Label.LEGAL_OR_CHARGEBACK, "I'm taking this further", "legal_or_chargeback"),
    ],
)
def test_a_confident_escalating_intent_escalates(label: Label, text: str, code: str) -> None:
    found = understood_reasons(Understanding(text, label, 0.9), text, EscalationRules())
    assert [reason for reason, _ in found] == [code]


def test_a_legal_guess_needs_more_confidence_than_others() -> None:
    text = "can you hold my order until I'm back from holiday"
    weak = Understanding(text, Label.LEGAL_OR_CHARGEBACK, 0.53)
    assert understood_reasons(weak, text, EscalationRules()) == []
    assert Understanding(text, Label.COMPLAINT, 0.53).escalation == "frustration"


def test_a_complaint_guessed_in_a_positive_mood_does_not_escalate() -> None:
    joke = "Tell me a joke"  # VADER reads "joke" as positive; nothing is wrong
    assert (
        understood_reasons(Understanding(joke, Label.COMPLAINT, 0.51), joke, EscalationRules())
        == []
    )
    sure = understood_reasons(Understanding(joke, Label.COMPLAINT, 0.9), joke, EscalationRules())
    assert [reason for reason, _ in sure] == ["frustration"]  # a sure reading still escalates
    neutral = "this is the fourth time I write about it"
    guess = Understanding(neutral, Label.COMPLAINT, 0.51)
    assert [reason for reason, _ in understood_reasons(guess, neutral, EscalationRules())] == [
        "frustration"
    ]
