"""Recommendations: a shopper's words for a quality meet the catalog's words for it."""

from __future__ import annotations

from chalicelib.agent.recommend import Signals, query_terms, recommend
from chalicelib.config.store_config import load_store_config

CATALOG = [{**p.model_dump(), "price": float(p.price)} for p in load_store_config().catalog]


def names(query: str) -> list[str]:
    return [p["name"] for p in recommend(CATALOG, Signals(), query, limit=2)]


def test_a_quality_is_looked_for_in_the_catalogs_words() -> None:
    assert "wool" in query_terms("something cosy") and "linen" in query_terms("for summer")
    assert names("something breathable for a beach holiday")[0].startswith("Linen")
    assert names("a present for a coffee lover")[0] == "Stoneware mug set"


def test_words_no_product_matches_find_nothing_rather_than_anything() -> None:
    assert names("surfboard wax") == []


def test_what_goes_with_a_product_is_not_that_product() -> None:
    picks = names("what goes with the straight jeans")
    assert picks and "Straight jeans (indigo)" not in picks
    assert picks[0] == "Denim jacket"  # of the jeans' kind: denim


def test_a_sum_named_is_the_most_a_pick_costs() -> None:
    # the wool throw (120 USD) is the cosiest, and out of this budget
    assert names("cosy stuff for the home")[0] == "Wool throw (oatmeal)"
    picks = recommend(CATALOG, Signals(), "cosy stuff for the home, I've got about $60", limit=3)
    assert picks and all(float(p["price"]) <= 60 for p in picks)
    assert names("anything cosy under 20 bucks?") == []
