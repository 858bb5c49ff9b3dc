"""Ranking the store's knowledge articles for a question with BM25 (Okapi), written small."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol

from pydantic import BaseModel

K1 = 1.5
B = 0.75
TITLE_WEIGHT = 2  # a word in the title counts as often as this in the body
# Two query words side by side in an article ("express shipping") add this share of their IDFs:
# a phrase outranks the same words apart ("American Express ... we ship").
PHRASE_WEIGHT = 0.5
MIN_SCORE = 1.0
SNIPPET_CHARS = 240

_STOPWORD_LIST = """a about above after again all am an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my myself
    no nor not now of off on once only or other our ours out over own same she should so some such
    than that the their them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours hi hello
    hey please thanks thank get got im ive id dont cant ill"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())
WORD = re.compile(r"[a-z0-9]+")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


class Article(Protocol):
    """What ranking needs of a knowledge article."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def version(self) -> int: ...


class KnowledgeHit(BaseModel):
    """An article that answers a question: recorded as a source of the reply."""

    article_id: str
    version: int
    title: str
    snippet: str
    score: float


def _stem(word: str) -> str:
    """A light suffix stripper, so 'returns', 'returned' and 'returning' meet (and size, sizing)."""
    if len(word) >= 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 5 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    for suffix, minimum in (("ing", 6), ("ed", 5), ("s", 4)):
        if word.endswith(suffix) and len(word) >= minimum and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # shipp -> ship
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def terms(text: str) -> list[str]:
    """The content words of a text: lowercase, no stopwords, stemmed."""
    words = WORD.findall(text.lower().replace("'", ""))
    return [_stem(word) for word in words if word not in STOPWORDS]


class KnowledgeIndex:
    """BM25 statistics over a set of articles, built once and searched many times."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self.documents = [Counter(self._document_terms(article)) for article in self.articles]
        lengths = [sum(document.values()) for document in self.documents]
        self.lengths = lengths
        self.average_length = (sum(lengths) / len(lengths)) if lengths else 0.0
        self.frequency: Counter[str] = Counter(t for doc in self.documents for t in doc)
        self.phrases = [self._pairs(article) for article in self.articles]

    @staticmethod
    def _document_terms(article: Article) -> list[str]:
        """An article's terms, the title's counted `TITLE_WEIGHT` times."""
        return terms(article.title) * TITLE_WEIGHT + terms(article.body)

    @staticmethod
    def _pairs(article: Article) -> set[tuple[str, str]]:
        """Neighbouring terms of the title and of each sentence of the body."""
        pairs: set[tuple[str, str]] = set()
        for text in (article.title, *SENTENCE.split(article.body)):
            words = terms(text)
            pairs.update(pairwise(words))
        return pairs

    def _idf(self, term: str) -> float:
        """Inverse document frequency, never negative."""
        seen = self.frequency[term]
        return math.log((len(self.documents) - seen + 0.5) / (seen + 0.5) + 1)

    def _score(self, query: list[str], index: int) -> float:
        """The BM25 score of one article for the query's terms."""
        document, length = self.documents[index], self.lengths[index]
        norm = K1 * (1 - B + B * length / self.average_length)
        words = sum(
            self._idf(term) * document[term] * (K1 + 1) / (document[term] + norm)
            for term in set(query)
            if document[term]
        )
        pairs = set(pairwise(query)) & self.phrases[index]
        return words + PHRASE_WEIGHT * sum(self._idf(a) + self._idf(b) for a, b in pairs)

    def search(
        self, query: str, limit: int = 3, min_score: float = MIN_SCORE
    ) -> list[KnowledgeHit]:
        """The best articles for `query`, best first; none when nothing is relevant enough."""
        words = terms(query)
        if not words or not self.articles:
            return []
        scored = [(self._score(words, index), index) for index in range(len(self.articles))]
        ranked = sorted((i for i in scored if i[0] >= min_score and i[0] > 0), key=lambda i: -i[0])
        return [self._hit(self.articles[index], words, score) for score, index in ranked[:limit]]

    @staticmethod
    def _hit(article: Article, words: list[str], score: float) -> KnowledgeHit:
        """A hit with the article's sentence that best matches the query as snippet."""
        return KnowledgeHit(
            article_id=article.id,
            version=article.version,
            title=article.title,
            snippet=snippet(article.body, words),
            score=round(score, 4),
        )


def snippet(body: str, words: list[str]) -> str:
    """The sentence of `body` sharing most words with the query, cut to `SNIPPET_CHARS`."""
    wanted = set(words)
    sentences = SENTENCE.split(body.strip()) or [body]
    best = max(sentences, key=lambda sentence: len(wanted & set(terms(sentence))))
    return best if len(best) <= SNIPPET_CHARS else best[: SNIPPET_CHARS - 1].rstrip() + "…"


def rank_articles(
    query: str, articles: Sequence[Article], limit: int = 3, min_score: float = MIN_SCORE
) -> list[KnowledgeHit]:
    """Rank `articles` for `query` in one call (builds a throwaway index)."""
    return KnowledgeIndex(articles).search(query, limit=limit, min_score=min_score)
