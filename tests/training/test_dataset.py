"""The training data's split: reproducible from the rule, and held-out text never trains."""

from __future__ import annotations

from collections import Counter

from training.dataset import (
    OWN_HELDOUT,
    OWN_TRAIN,
    bitext_examples,
    bitext_label,
    bitext_rows,
    compute_bitext_split,
    examples,
    own_examples,
    own_split,
    read_bitext_split,
)


def test_the_committed_split_is_what_the_rule_gives() -> None:
    assert compute_bitext_split(bitext_rows()) == read_bitext_split()


def test_about_a_fifth_of_each_bitext_intent_is_held_out() -> None:
    rows, splits = bitext_rows(), read_bitext_split()
    total = Counter(row["intent"] for row in rows)
    held = Counter(row["intent"] for row, s in zip(rows, splits, strict=True) if s == "heldout")
    assert all(0.18 <= held[intent] / count <= 0.25 for intent, count in total.items())


def test_no_held_out_text_is_trained_or_validated_on() -> None:
    held = {e.text.strip().lower() for e in bitext_examples("heldout") + own_split("heldout")}
    seen = examples("train") + examples("validation")
    assert held and not held & {e.text.strip().lower() for e in seen}


def test_our_validation_is_carved_from_train_and_disjoint() -> None:
    train = {e.text for e in own_split("train")}
    validation = {e.text for e in own_split("validation")}
    assert validation and not train & validation
    assert train | validation == {e.text for e in own_examples(OWN_TRAIN)}
    assert len(own_examples(OWN_HELDOUT)) >= 15 * 20


def test_contact_customer_service_asking_for_hours_is_about_hours() -> None:
    text = "what hours can I contact customer service?"
    assert bitext_label("contact_customer_service", text) == "store_hours"
    assert bitext_label("contact_customer_service", "I need to call customer service") == (
        "human_request"
    )
