"""Which words customers use for an intent: the vocabulary the train split gives."""

from __future__ import annotations

from chalicelib.agent.intent_vocabulary import explains
from chalicelib.agent.knowledge import KnowledgeIndex, terms
from chalicelib.config.store_config import load_store_config


def test_words_customers_use_for_an_intent_and_their_typos_are_explained() -> None:
    assert explains("cancel_or_change", terms("termination")[0])
    assert explains("cancel_or_change", "termimation")  # a typo of a known word
    assert not explains("shipping_options", terms("japan")[0])
    assert not explains("no_such_intent", "ship")


def test_the_policy_an_intent_names_is_quoted_only_for_what_it_explains() -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    topic = "shipping costs standard express"
    generic = index.on_topic("what are my delivery choices", topic, lambda word: True)
    assert generic is not None and generic.article_id == "shipping"
    beyond = index.on_topic("do you deliver by drone", topic, lambda word: word != "dron")
    assert beyond is None  # a drone: a question the shipping article does not answer


def test_a_detail_one_customer_asked_about_is_not_what_the_shipping_policy_explains() -> None:
    assert explains("shipping_options", "delivery")
    assert not explains("shipping_options", "po")  # "can you deliver to a po box?"
    assert not explains("shipping_options", "stor")  # "can I pick it up in store?"
