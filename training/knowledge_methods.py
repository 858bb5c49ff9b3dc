"""Retrieval methods compared on the knowledge question set (docs/agent.md); `production` ships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chalicelib.agent import knowledge
from chalicelib.agent.knowledge import (
    SENTENCES,
    Article,
    KnowledgeIndex,
    question_terms,
    snippet,
    terms,
)
from training.knowledge_eval import NO_ARTICLE, Answerer, Method, production

PASSAGE_MIN_SCORE = 6.0  # chosen on the tune split: no bar gives 0 wrong answers (docs/agent.md)


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


@dataclass(frozen=True)
class _Sentence:
    """One sentence as a document of its own (the article's title kept with it)."""

    id: str
    title: str
    body: str
    version: int = 1


def passage_bm25(found: Sequence[Article], min_score: float = PASSAGE_MIN_SCORE) -> Answerer:
    """BM25 over sentences (each with its article's title), answering when the score clears a bar."""
    sentences = [
        _Sentence(article.id, article.title, sentence)
        for article in found
        for sentence in SENTENCES.split(article.body.strip())
    ]
    index = KnowledgeIndex(sentences)

    def answer(question: str) -> tuple[str, str] | None:
        words = question_terms(question)
        scored = [(index._score(words, i), i) for i in range(len(sentences))] if words else []
        best = max(scored, default=(0.0, -1))
        if best[0] < min_score:
            return None
        return sentences[best[1]].id, sentences[best[1]].body

    return answer


def ranking_without_confidence(found: Sequence[Article]) -> Answerer:
    """Today's ranking and passage choice, answering with the top article whatever its confidence."""
    index = KnowledgeIndex(found)

    def answer(question: str) -> tuple[str, str] | None:
        hits = index.search(question, limit=1)
        return (hits[0].article_id, hits[0].snippet) if hits else None

    return answer


def agent(found: Sequence[Article]) -> Answerer:
    """What a shopper gets: the rules agent's whole turn (understanding, the index, the policy
    its intent names), its cited article and reply; "I don't know" or a question back abstains."""
    from training.agent_run import AgentRun

    run = AgentRun(articles=found)

    def answer(question: str) -> tuple[str, str] | None:
        turn = run.answer(question)
        if turn.fallback or turn.escalation is not None:
            return None
        cited = turn.sources[0].split("@")[0] if turn.sources else NO_ARTICLE
        return cited, turn.reply

    return answer


METHODS: dict[str, Method] = {
    "production": production,
    "agent": agent,
    "article_bm25": article_bm25,
    "passage_bm25": passage_bm25,
    "ranking_without_confidence": ranking_without_confidence,
}
