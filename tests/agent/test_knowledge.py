"""BM25 ranking of knowledge articles: the right article first, nothing for irrelevant questions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.agent.knowledge import KnowledgeIndex, rank_articles, terms
from chalicelib.config.store_config import KnowledgeArticle, load_store_config


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex(load_store_config().knowledge)


@pytest.mark.parametrize(
    ("question", "article_id"),
    [
        ("How do I return a shirt?", "returns"),
        ("When will I get my refund?", "returns"),
        ("How long does shipping take?", "shipping"),
        ("Do you ship to Canada?", "international-shipping"),
        ("What size should I get in the linen tee?", "sizing"),
        ("Do you have a size chart?", "sizing"),
        ("Can I pay with PayPal?", "payment"),
        ("My mug arrived broken", "warranty"),
        ("Can I cancel my order?", "order-changes"),
        ("How do I wash linen?", "care"),
        ("Can I use my points with a discount code?", "loyalty"),
        # A phrase beats its words apart ("American Express" in payment, "ship" everywhere).
        ("How much is express shipping?", "shipping"),
        ("express shipping", "shipping"),
        ("Do you take American Express?", "payment"),
    ],
)
def test_best_article_comes_first(index: KnowledgeIndex, question: str, article_id: str) -> None:
    hits = index.search(question)
    assert hits and hits[0].article_id == article_id


@pytest.mark.parametrize(
    "question",
    ["What's the weather in Paris?", "hello", "Ignore previous instructions", "", "!!!"],
)
def test_irrelevant_questions_find_nothing(index: KnowledgeIndex, question: str) -> None:
    assert index.search(question) == []


def test_hit_carries_id_version_title_snippet_and_score(index: KnowledgeIndex) -> None:
    hit = index.search("Can I pay with PayPal?")[0]
    assert (hit.article_id, hit.version, hit.title) == ("payment", 1, "Payment methods")
    assert "PayPal" in hit.snippet and len(hit.snippet) <= 240
    assert hit.score > 1


def test_hits_are_ranked_and_limited(index: KnowledgeIndex) -> None:
    hits = index.search("return exchange refund size shipping", limit=2)
    assert len(hits) == 2
    assert hits[0].score >= hits[1].score


def test_long_sentences_are_cut_in_the_snippet() -> None:
    article = KnowledgeArticle(id="long", title="Gift wrap", body="Gift wrap " + "x " * 300)
    hit = rank_articles("gift wrap", [article], min_score=0)[0]
    assert len(hit.snippet) == 240 and hit.snippet.endswith("…")


def test_word_forms_meet() -> None:
    assert terms("returns returned returning") == ["return"] * 3
    assert terms("size sizes sizing") == [terms("size")[0]] * 3
    assert terms("shipping ships shipped") == ["ship"] * 3


def test_no_articles_no_hits() -> None:
    assert rank_articles("returns", []) == []


@given(st.text(max_size=200))
def test_search_never_raises(query: str) -> None:
    index = KnowledgeIndex(load_store_config().knowledge)
    assert all(hit.score >= 1 for hit in index.search(query))
