"""Retrieval methods compared on the knowledge question set (docs/agent.md); `production` ships."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.agent import knowledge
from chalicelib.agent.knowledge import Article, KnowledgeIndex, snippet, terms
from training.knowledge_eval import Answerer, Method, production


def article_bm25(found: Sequence[Article]) -> Answerer:
    """Before: the best article by BM25 over whole articles (score >= 1), its best-overlap sentence."""
    index = KnowledgeIndex(found)

    def answer(question: str) -> tuple[str, str] | None:
        words = terms(question)
        scored = [(index._score(words, i), i) for i in range(len(index.articles))] if words else []
        best = max(scored, default=(0.0, -1))
        if best[0] < knowledge.MIN_SCORE:
            return None
        article = index.articles[best[1]]
        return article.id, snippet(article.body, words)

    return answer


METHODS: dict[str, Method] = {
    "production": production,
    "article_bm25": article_bm25,
}
