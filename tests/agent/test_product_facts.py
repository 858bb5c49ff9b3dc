"""What the catalog says about a product the customer names (chalicelib/agent/product_facts.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.agent.product_facts import answer, summary
from chalicelib.config.store_config import load_store_config


@pytest.fixture(scope="module")
def catalog() -> list[dict[str, Any]]:
    return [product.model_dump() for product in load_store_config().catalog]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("what's the price of the straight jeans", "The Straight jeans (indigo) are 78 USD."),
        ("how much is the linen tee", "The Linen tee is 30 USD."),
        ("what colours does the linen tee come in", "The Linen tee comes in white and sand."),
        ("is the wool throw in stock", "Yes, the Wool throw (oatmeal) is in stock."),
        ("how big is the cushion cover", "50 x 50 cm"),
        ("what material is the denim jacket", "organic denim"),
    ],
)
def test_a_fact_the_catalog_holds_is_answered(
    catalog: list[dict[str, Any]], question: str, said: str
) -> None:
    fact = answer(question, catalog)
    assert fact is not None and said in fact.text
    assert fact.offer is None  # in stock: nothing to remind about


def test_an_item_out_of_stock_is_said_so_with_a_reminder_to_offer(
    catalog: list[dict[str, Any]],
) -> None:
    fact = answer("are the shorts back in stock?", catalog)
    assert fact is not None and "Linen shorts (navy) are out of stock" in fact.text
    assert fact.offer == {
        "kind": "reminder",
        "sku": "SHORTS-LIN-NVY",
        "name": "Linen shorts (navy)",
    }
    assert not fact.unknown and "can't see when" not in fact.text


@pytest.mark.parametrize(
    "question",
    ["when will the navy linen shorts be back in stock?", "linen shorts restocking soon?"],
)
def test_when_an_item_comes_back_is_said_to_be_unknown(
    catalog: list[dict[str, Any]], question: str
) -> None:
    fact = answer(question, catalog)
    assert fact is not None and "out of stock" in fact.text
    assert "I can't see when they'll be back." in fact.text
    assert fact.unknown and fact.offer is not None  # no date, but the reminder still offered


@pytest.mark.parametrize(
    "question",
    [
        "is the oxford shirt slim fit",  # the entry does not say: not half an answer
        "how much is shipping for the wool throw",  # the shipping policy's question
        "could I swap my tee for the sand colour",  # an exchange
        "how much are your prices",  # no product named
        "is the wrap dress nice",  # nothing these facts hold is asked
        "how much is a mug or a bowl",  # two products: which one?
        "I have a $25 gift card and the jacket is $98, can I pay the rest by visa?",  # payment
    ],
)
def test_no_answer_when_the_catalog_does_not_answer_the_question(
    catalog: list[dict[str, Any]], question: str
) -> None:
    assert answer(question, catalog) is None


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_gets_a_fact_from_the_catalog_or_none(
    catalog: list[dict[str, Any]], text: str
) -> None:
    fact = answer(text, catalog)
    if fact is not None:
        assert any(str(p["name"]).split(" (")[0] in fact.text for p in catalog)


def test_the_summary_is_the_entry_of_the_one_product_named(catalog: list[dict[str, Any]]) -> None:
    assert summary("is the wool throw itchy?", catalog) == (
        "Wool throw (oatmeal) (120 USD): Soft lambswool throw blanket 130 x 170 cm."
    )
    assert summary("is the linen tee see-through?", catalog) == (  # white or sand: both
        "Linen tee (white or sand) (30 USD): Breathable relaxed-fit linen tee."
    )
    assert summary("is it itchy?", catalog) is None


def test_a_colour_the_product_does_not_come_in_is_said_so(catalog: list[dict[str, Any]]) -> None:
    black = answer("is the denim jacket available in black", catalog)
    assert black is not None
    assert black.text == (
        "Sorry, the Denim jacket doesn't come in black. The Denim jacket comes in one colour only."
    )
    other = answer("does the denim jacket come in other colours", catalog)
    assert other is not None and other.text.startswith("The Denim jacket comes in one colour only.")
    white = answer("is the linen tee in stock in white", catalog)  # a colour it has: the stock
    assert white is not None and white.text.startswith("Yes, the Linen tee (white) is in stock.")


def test_what_a_story_around_the_question_says_is_not_asked(
    catalog: list[dict[str, Any]],
) -> None:
    story = "I sent the wool throw back as the colour was off. When will I get my money?"
    assert answer(story, catalog) is None
    asked = answer("I love the wool throw. What colour is it?", catalog)
    assert asked is not None and "oatmeal" in asked.text
