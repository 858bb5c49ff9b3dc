"""Answering a question from the store's knowledge articles: BM25 (Okapi), a confidence, a passage."""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Protocol

from pydantic import BaseModel

from chalicelib.agent.question_words import (
    ASKED_SPLIT,
    GENERIC,
    GROUP_WORDS,
    PRODUCT_NOUNS,
    QUESTION_START,
    SENTENCES,
    TYPE_WORDS,
    QuestionType,
    asked_part,
    asked_types,
    country_names,
    rewrite,
    stated_types,
)
from chalicelib.runtime.patterns import lazy

K1 = 1.5
B = 0.75
TITLE_WEIGHT = 2  # a word in the title counts as often as this in the body
# Two query words side by side in an article ("express shipping") add this share of their IDFs:
# a phrase outranks the same words apart ("American Express ... we ship").
PHRASE_WEIGHT = 0.5
MIN_SCORE = 1.0
ANSWER_MIN_SCORE = 0.0  # answering relies on the confidence below, not on a BM25 score
# The share of the question's words (weighted by rarity) an article must hold to answer it:
# chosen on the tuning part of training/data/knowledge_questions.yaml (docs/agent.md).
ANSWER_CONFIDENCE = 0.8
UNKNOWN_WEIGHT = 1.0  # a question word no article has: maybe the topic, maybe just phrasing
# The weight of the question's words an answering article must hold at least, in rarest words.
MIN_EVIDENCE = 1.0
DETAIL_WEIGHT = 0.3  # a kind of product ("my linen *tee*"): a detail of a policy question
TITLE_EVIDENCE = 1.0  # a question word in an article's title: evidence by its rarity among titles
NUMBER_WEIGHT = 0.5  # a number ("size 16", "20 minutes ago") is a detail more than a topic
LEAD_WORDS = 4  # a word among a sentence's first words is what the sentence is about
LEAD_BONUS = 0.5
TOPIC_LEAD = 3  # a sentence about an article's whole topic names it among its first words
TITLE_SHARE = 0.01  # a title word: what every sentence is about, so a tie-breaker between them
NEAR_TIE = 0.85  # a second sentence fitting nearly as well is quoted with the best one
SNIPPET_CHARS = 240
FOCUS_AMONG = 2  # a long message's question answers from an article the message ranks this high
FOCUS_SCORE = 0.75  # and scoring at least this share of the first's

_STOPWORD_LIST = """a about above after again all am an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my myself
    no nor not now of off on once only or other our ours out over own same she should so some such
    than that the their them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours hi hello
    hey please thanks thank get got im ive id dont cant ill doesnt didnt isnt arent wasnt wont
    wouldnt couldnt shouldnt havent hasnt whats wheres hows whos thats theres youre pls plz
    youve youd youll weve theyve theyre shes hes itll thatll
    morning afternoon evening"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())
WORD = lazy(r"[a-z0-9]+")
# "which courier do you use?", "what kind of box is it?": the thing asked for
WHICH_THING = lazy(
    r"\b(?:which|what)\s+(?:kind\s+of\s+|type\s+of\s+|sort\s+of\s+)?([a-z]+)\b", re.IGNORECASE
)
POSSESSIVE = lazy(r"['\u2019]s\b")
LEADING_AND = lazy(r"^(?:and|plus|also|so)\s+", re.IGNORECASE)
# Where one question of a message ends and another starts: "..., also can I", "? and do you"
PART_SPLIT = lazy(
    r":\s+|\s[-\u2013\u2014]\s+(?=(?:what|how|when|where|which|can|could|do|does|is|are|will|would)\b)"
    r"|(?:[,;]|\s[-\u2013\u2014])\s*(?:and\s+)?also\b|(?:[,;?]|\s[-\u2013\u2014])?\s*\b(?:and|plus)\s+(?="
    r"(?:what|how|when|where|which|can|could|do|does|is|are|will|would)\b)",
    re.IGNORECASE,
)


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
    confidence: float = 0.0


def _stem(word: str) -> str:
    """A light suffix stripper, so 'returns', 'returned' and 'returning' meet (and size, sizing)."""
    original = word
    if len(word) >= 8 and word.endswith("ally"):
        return word[:-2]  # internationally -> international
    if len(word) >= 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 5 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    for suffix, minimum in (("able", 8), ("ing", 6), ("ed", 5), ("s", 4)):
        if word.endswith(suffix) and len(word) >= minimum and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # shipp -> ship
    elif word.endswith("ell") and len(word) > 5 and word != original:
        word = word[:-1]  # cancelled, cancelling -> cancel (British doubling)
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def terms(text: str) -> list[str]:
    """The content words of a text: lowercase, no stopwords, stemmed."""
    words = WORD.findall(text.lower().replace("'", ""))
    return [_stem(word) for word in words if word not in STOPWORDS]


def question_terms(question: str) -> list[str]:
    """A question's topic words: in the articles' wording, without words that name no topic."""
    words = WORD.findall(POSSESSIVE.sub("", rewrite(question).lower()).replace("'", ""))
    stems = [_stem(w) for w in words if w not in STOPWORDS and w not in GENERIC and len(w) > 1]
    return [stem for stem in stems if stem not in GENERIC_STEMS]  # "buying": as "buy"


DETAILS = frozenset(_stem(word) for word in PRODUCT_NOUNS)
# Kinds of product: an article whose title names one ("*Jeans* hemming") is about that kind only.
KINDS = DETAILS - {_stem(word) for word in ("clothes", "clothing", "outfit", "piece", "pieces")}
GROUPS = frozenset(_stem(word) for word in GROUP_WORDS)  # an article for students is for them
GENERIC_STEMS = frozenset(_stem(word) for word in GENERIC)
TYPE_TERMS: dict[str, QuestionType] = {_stem(word): kind for word, kind in TYPE_WORDS.items()}


@dataclass(frozen=True)
class Passage:
    """One sentence of an article, with its terms."""

    text: str
    terms: tuple[str, ...]
    kinds: frozenset[QuestionType] = frozenset()  # the kinds of fact it states (once, at build)


class KnowledgeIndex:
    """BM25 statistics over a set of articles and their sentences, built once, searched many times."""

    def __init__(self, articles: Sequence[Article], products: Iterable[str] = ()) -> None:
        self.articles = list(articles)
        self.positions = {article.id: i for i, article in enumerate(self.articles)}
        # The store's product names, their kind of product included ("linen tee"): in a policy
        # question, a detail ("pre-order *the wool throw*").
        self.products = [frozenset(terms(name)) for name in products]
        self.documents = [Counter(self._document_terms(article)) for article in self.articles]
        lengths = [sum(document.values()) for document in self.documents]
        self.lengths = lengths
        self.average_length = (sum(lengths) / len(lengths)) if lengths else 0.0
        self.frequency: Counter[str] = Counter(t for doc in self.documents for t in doc)
        self.phrases = [self._pairs(article) for article in self.articles]
        self.passages = [_passages(article.body) for article in self.articles]
        self.titles = [set(terms(article.title)) for article in self.articles]
        self.rarest = self._idf("")  # the weight of a word no article has
        self.kinds = [stated_types(article.body) for article in self.articles]
        # Countries no article names: a detail of a shipping question, which is then international.
        # A name is found whole ("Vatican City"; "a different city" names none) and is one word.
        foreign = [n for n in country_names() if not all(self.frequency[t] for t in terms(n))]
        foreign = [n for n in foreign if not set(terms(n)) <= GENERIC_STEMS]
        longest_first = sorted(foreign, key=len, reverse=True)
        self.foreign_names = lazy(
            r"\b(?:" + "|".join(re.escape(n) for n in longest_first) + r")\b", re.IGNORECASE
        )
        self.foreign = frozenset(_stem(_joined(n)) for n in foreign)
        self.international = frozenset(terms("international")) & self.frequency.keys()

    @staticmethod
    def _document_terms(article: Article) -> list[str]:
        """An article's terms, the title's counted `TITLE_WEIGHT` times."""
        return terms(article.title) * TITLE_WEIGHT + terms(article.body)

    @staticmethod
    def _pairs(article: Article) -> set[tuple[str, str]]:
        """Neighbouring terms of the title and of each sentence of the body."""
        pairs: set[tuple[str, str]] = set()
        for text in (article.title, *SENTENCES.split(article.body)):
            words = terms(text)
            pairs.update(pairwise(words))
        return pairs

    def _idf(self, term: str) -> float:
        """Inverse document frequency, never negative."""
        seen = self.frequency[term]
        return math.log((len(self.documents) - seen + 0.5) / (seen + 0.5) + 1)

    def _title_idf(self, term: str) -> float:
        """How rare a word is among the articles' titles: a title names the article's topic."""
        seen = sum(1 for title in self.titles if term in title)
        return math.log(len(self.titles) / seen) if seen else 0.0

    def _weight(self, term: str) -> float:
        """How much a question word says about its topic: rare words most, unknown ones too."""
        if not self.frequency[term]:
            return DETAIL_WEIGHT if term in DETAILS or _code_like(term) else UNKNOWN_WEIGHT
        weight = self._idf(term)
        return weight * NUMBER_WEIGHT if term.isdigit() else weight

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

    def _holds(self, term: str, index: int) -> bool:
        """Whether an article has a word, or states the kind of fact it asks for ('fee': a price)."""
        return bool(self.documents[index][term]) or TYPE_TERMS.get(term) in self.kinds[index]

    def _named_products(self, wanted: set[str]) -> frozenset[str]:
        """The words of the store's products the question names (two words of a name at least)."""
        named = [name & wanted for name in self.products if len(name & wanted) >= min(2, len(name))]
        return frozenset().union(*named)

    def _implied(self, wanted: set[str]) -> frozenset[str]:
        """The other words of the one product a kind of product names ("can the *mugs* go in the
        dishwasher?": the Stoneware mug set's "stoneware"): what the question is about without
        saying it, so evidence of the article that holds it, never a word asked."""
        kinds = wanted & DETAILS
        picked = [name for name in self.products if name & kinds]
        return picked[0] - wanted if len(picked) == 1 else frozenset()

    def _holds_for(self, wanted: set[str], index: int) -> Callable[[str], bool]:
        """Whether the article holds a question word. Asked about a country no article names
        ("how much is shipping to Mexico?"), the international article answers what is asked:
        it does not ship there, so the price or the time asked for is held by it too."""
        if not (wanted & self.foreign and self.international & self.titles[index]):
            return lambda term: self._holds(term, index)
        return lambda term: term in TYPE_TERMS or self._holds(term, index)

    def confidence(self, query: list[str], index: int) -> float:
        """The share of the question's words (weighted) that the article holds: 0 to 1."""
        wanted = set(query)
        holds = self._holds_for(wanted, index)
        beyond = self._beyond(wanted, index)
        if beyond and not any(holds(term) for term in beyond):
            return 0.0  # "Do loyalty points *expire*?": the loyalty article does not say
        kinds, titled_kinds = wanted & KINDS, self.titles[index] & KINDS
        if kinds and titled_kinds and not kinds & titled_kinds:
            return 0.0  # "can you shorten the *linen shorts*?": "Jeans hemming" is for jeans
        titled_groups = self.titles[index] & GROUPS
        if titled_groups and not wanted & titled_groups:
            return 0.0  # "any discount codes going?": "Student discount" is for students
        product = self._named_products(wanted)
        named = product | (wanted & self.foreign)
        details = self._details(wanted)
        weights = {t: DETAIL_WEIGHT if t in details else self._weight(t) for t in wanted}
        # a product named in several words ("the denim jacket") is one detail, not several
        weights.update(dict.fromkeys(product, DETAIL_WEIGHT / len(product)) if product else {})
        total = sum(weights.values())
        kept = [term for term in wanted if holds(term)]
        held = sum(weights[term] for term in kept)
        titled = wanted & self.titles[index]
        evidence = sum(self._weight(t) if t in named else weights[t] for t in kept)
        evidence += TITLE_EVIDENCE * sum(self._title_idf(term) for term in titled)
        pairs = set(pairwise(query)) & self.phrases[index]  # "express shipping", side by side
        evidence += sum(self._weight(a) + self._weight(b) for a, b in pairs)
        evidence += sum(self._weight(t) for t in self._implied(wanted) if self._holds(t, index))
        enough = evidence >= MIN_EVIDENCE * self.rarest or not beyond  # or asks about the title
        return held / total if total and enough else 0.0

    def _words(self, query: str) -> list[str]:
        """The question's words; "international" too when it names a country no article names."""
        text = self.foreign_names.sub(lambda m: _joined(m.group(0)), query)
        words = question_terms(text)
        unknown = {w for w in words if not self.frequency[w] and w not in self._details(set(words))}
        if unknown:  # "ccan I", "whee can I": a typo of a word that names no topic
            typos = {_stem(w) for w in WORD.findall(text.lower()) if _stem(w) in unknown}
            words = [w for w in words if w not in typos or not _function_typo_of(w, text)]
        return words + sorted(self.international) if set(words) & self.foreign else words

    def search(
        self, query: str, limit: int = 3, min_score: float = MIN_SCORE
    ) -> list[KnowledgeHit]:
        """The best articles for `query`, best first, each with its confidence and passage."""
        words = self._words(query)
        if not words or not self.articles:
            return []
        scored = [(self._score(words, index), index) for index in range(len(self.articles))]
        ranked = sorted((i for i in scored if i[0] >= min_score and i[0] > 0), key=lambda i: -i[0])
        return [self._hit(query, words, score, index) for score, index in ranked[:limit]]

    def answer(self, query: str) -> KnowledgeHit | None:
        """The article passage that answers `query`, or None when no article answers it."""
        hit = self._answer(query)
        asked = asked_part(query)
        return hit if hit is not None or asked is None else self._focused(query, asked)

    def _focused(self, query: str, asked: str) -> KnowledgeHit | None:
        """A long message answered by its question alone ("Bought the jacket 5 months ago and a
        seam has come apart. Is that covered?"): the story around a question lowers every
        article's confidence. Only when the whole message ranks the same article among its first
        (as well as nearly the first: "a wedding on Sunday... which delivery is fastest?" ranks
        the payment article's *American Express* a little higher), and with the passage the
        whole message asks for ("...the money back on my card?": the refund)."""
        # who the customer says they are, anywhere in the message, goes with the question
        # ("uni student here, any discount?")
        groups = sorted(set(self._words(query)) & GROUPS - set(self._words(asked)))
        hit = self._answer(" ".join([asked, *groups]))
        if hit is None:
            return None
        ranked = self.search(query, limit=FOCUS_AMONG, min_score=0)
        same = [h for h in ranked if h.article_id == hit.article_id]
        if not same or same[0].score < FOCUS_SCORE * ranked[0].score:
            return None
        return hit.model_copy(update={"snippet": same[0].snippet})

    def _answer(self, query: str) -> KnowledgeHit | None:
        """The confident answer to the whole of `query`, or None (a product alone, "I like the
        wool throw", asks nothing of the article that names it, nor with a kind of fact asked)."""
        words = self._words(query)
        if not set(words) - self._details(set(words)) - TYPE_TERMS.keys():
            return None  # a product, and what kind of fact is asked ("what *day* will the
            # *jeans* get here?"), name no topic: "Jeans hemming adds 2 business days" is no answer
        if self._asks_for_the_unknown(query):
            return None  # "*which courier* do you use for the UK?": no article names any
        hits = self.search(query, limit=3, min_score=ANSWER_MIN_SCORE)
        confident = [hit for hit in hits if hit.confidence >= ANSWER_CONFIDENCE]
        if QuestionType.REQUIREMENT in asked_types(query):  # "how many points do I need for
            # platinum?": an article stating no threshold to reach does not answer it
            confident = [h for h in confident if QuestionType.REQUIREMENT in self._kinds_of(h)]
        details = self._named_products(set(words))  # "is the *wrap dress* true to size": sizing
        words = [word for word in words if word not in details]
        if self._names_a_topic(words):  # "what's your *returns* address": about returns, or none
            confident = [hit for hit in confident if self._about(words, hit.article_id)]
        return max(confident, key=lambda hit: (hit.confidence, hit.score), default=None)

    def on_topic(
        self, query: str, topic: str, explained: Callable[[str], bool]
    ) -> KnowledgeHit | None:
        """The passage of the article about `topic` (the subject the understanding step says the
        customer asks about), when the question asks nothing the article does not hold beyond
        words that `explained` says customers use for that subject; else None."""
        best = self.search(topic, limit=1)
        if not best:
            return None
        index = self.positions[best[0].article_id]
        words = self._words(query) or question_terms(topic)
        own = self.search(query, limit=1)
        if own and own[0].article_id != best[0].article_id and own[0].confidence > 0:
            return None  # the question's own words answer from another article: not a guess
        unheld = [w for w in self._beyond(set(words), index) if not self._holds(w, index)]
        if own and own[0].article_id != best[0].article_id:
            other = self.positions[own[0].article_id]
            if set(unheld) & self.titles[other]:
                return None  # "do I pay anything for an *exchange*?": the exchanges article's
        if any(not explained(word) for word in unheld):
            return None  # "do you ship to *Australia*?": not what the shipping article says
        return self._hit(query, words, best[0].score, index)

    def _kinds_of(self, hit: KnowledgeHit) -> set[QuestionType]:
        """The kinds of fact the hit's article states."""
        return self.kinds[self.positions[hit.article_id]]

    def _asks_for_the_unknown(self, query: str) -> bool:
        """Whether the question asks "which" or "what" thing of a kind no article names: the
        thing asked for is what no article holds, whatever else it shares with one."""
        found = WHICH_THING.search(rewrite(query))
        if found is None or found.group(1).lower() in STOPWORDS | GENERIC:
            return False
        stem = _stem(found.group(1).lower())
        return not (self.frequency[stem] or stem in DETAILS or stem in TYPE_TERMS)

    def _names_a_topic(self, words: list[str]) -> bool:
        """Whether the question's first topic word, its subject, names an article's topic (a
        word of a title; a kind of product, "*jeans* sizes", is a detail, and "*cost*" only says
        which kind of fact is asked)."""
        if not words or words[0] in DETAILS or words[0] in TYPE_TERMS:
            return False
        return any(words[0] in title for title in self.titles)

    def _about(self, words: list[str], article_id: str) -> bool:
        """Whether the article is about the question's subject: its title names it, or it holds
        the subject with the next word as a phrase ("*gift card*" in the payment article)."""
        index = self.positions[article_id]
        return words[0] in self.titles[index] or tuple(words[:2]) in self.phrases[index]

    def _details(self, wanted: set[str]) -> frozenset[str]:
        """The question's words that are details: a kind of product, a product, a country."""
        return DETAILS | self._named_products(wanted) | (wanted & self.foreign)

    def _beyond(self, wanted: set[str], index: int) -> set[str]:
        """The question's words past the article's title (a product or a number is a detail)."""
        details = self._details(wanted)
        return {
            t
            for t in wanted - self.titles[index]
            if t not in details and not t.isdigit() and not _code_like(t)
        }

    def _hit(self, query: str, words: list[str], score: float, index: int) -> KnowledgeHit:
        """A hit with the article's passage that answers the query as snippet."""
        article = self.articles[index]
        passage = self._passage(query, words, index)
        return KnowledgeHit(
            article_id=article.id,
            version=article.version,
            title=article.title,
            snippet=_cut(passage),
            score=round(score, 4),
            confidence=round(self.confidence(words, index), 4),
        )

    def _passage(self, query: str, words: list[str], index: int) -> str:
        """The sentence that answers: of the kind of fact asked, about the question's words."""
        body = self.articles[index].body
        passages = self.passages[index] or [Passage(body, (), frozenset(stated_types(body)))]
        # the kind of fact the part that asks asks for ("If I pay for gift wrap, *is it a plastic
        # box or something recyclable?*" asks no price), unless it names nothing ("... two weeks
        # ago and still no money. *what's going on?*": the whole message says what it asks)
        asking = asked_part(query)
        asked = asked_types(asking if asking and question_terms(asking) else query)
        places = [p for p in passages if QuestionType.PLACE in p.kinds]
        if set(words) & self.foreign and places:
            # a country no article names: where the store ships comes first (in an article that
            # says where it ships: "measurements in cm? I'm in Germany" asks the size guide)
            return self._foreign_passage(passages, places, asked)
        # of the kind asked, or holding a word of a kind of fact as part of a phrase of the
        # question's ("will the *price tag* show?" asks for no price)
        pairs = {pair for pair in pairwise(words) if set(pair) & TYPE_TERMS.keys()}
        typed = [p for p in passages if asked & p.kinds or pairs & set(pairwise(p.terms))]
        typed = typed or passages
        wanted, title = set(words), self.titles[index]
        # about the article's topic as a whole (a word no article has says nothing of which of
        # its sentences answers: "*uni* student here, any discount?"; a word of the kind of fact
        # asked does: "two *weeks* *ago*"): the sentence leading with it
        if {word for word in wanted if self.frequency[word] or word in TYPE_TERMS} <= title:
            # (within its first words: else the article's opening sentences say what it is about)
            # the subject of the clause that asks ("I sent it back, when do I get my *money
            # back*?": the refund), else of the whole question
            asking = asked_part(query)
            subject = (self._words(asking) if asking else None) or words
            leading = (
                _leading(typed, subject[0], within=TOPIC_LEAD)
                or _leading(typed, words[0], within=TOPIC_LEAD)
                or _leading(typed, *wanted, within=TOPIC_LEAD)
                or typed
            )
            joined = " ".join(p.text for p in leading[:2])
            return joined if len(joined) <= SNIPPET_CHARS else leading[0].text
        fits = [self._fit(passage, wanted, title) for passage in typed]
        best = max(range(len(typed)), key=fits.__getitem__)  # the first of equals
        close = [i for i, f in enumerate(fits) if i != best and f >= NEAR_TIE * fits[best] > 0]
        quoted = sorted([best, *close[:1]])  # two sentences as close to answering: both
        joined = " ".join(typed[i].text for i in quoted)
        return joined if len(joined) <= SNIPPET_CHARS else typed[best].text

    @staticmethod
    def _foreign_passage(
        passages: list[Passage], places: list[Passage], asked: set[QuestionType]
    ) -> str:
        """Asked about a country no article names: the sentence naming where the store ships
        (it may not ship there: "Japan?"; or it may: Ireland is in the European Union), and the
        sentence of the kind asked for ("how long to Ireland?": the time), in the article's order."""
        other = [p for p in passages if asked & p.kinds and p is not places[0]]
        quoted = [p for p in passages if p is places[0] or (other and p is other[0])]
        joined = " ".join(p.text for p in quoted)
        return joined if len(joined) <= SNIPPET_CHARS else places[0].text

    def _fit(self, passage: Passage, wanted: set[str], title: set[str]) -> float:
        """How well a sentence matches the question's words, more when it leads with them."""
        held = wanted & set(passage.terms)
        weights = {t: self._weight(t) * (TITLE_SHARE if t in title else 1) for t in held}
        lead = held & set(passage.terms[:LEAD_WORDS])
        return sum(weights.values()) + LEAD_BONUS * sum(weights[t] for t in lead)


FUNCTION_WORDS = tuple(sorted(w for w in STOPWORDS | GENERIC if len(w) >= 3))
TYPO_CUTOFF = 0.85  # as close as "ccan" to "can", "whee" to "where"


def _function_typo_of(stem: str, text: str) -> bool:
    """Whether the word of `text` stemmed to `stem` is a typo of a stopword or a generic word."""
    return any(_function_typo(word) for word in WORD.findall(text.lower()) if _stem(word) == stem)


@lru_cache(maxsize=4096)
def _function_typo(word: str) -> bool:
    """'ccan' is 'can', 'whee' is 'where': a word this close to one that names no topic."""
    return len(word) >= 3 and bool(
        difflib.get_close_matches(word, FUNCTION_WORDS, n=1, cutoff=TYPO_CUTOFF)
    )


def _code_like(word: str) -> bool:
    """A word of letters and digits ("welcome10", "gold20"): a code or a model number, a detail."""
    return not word.isdigit() and any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def _joined(name: str) -> str:
    """A country's name as one word ("south africa" -> "southafrica"): one detail, found whole."""
    return re.sub(r"\s+", "", name.lower())


def question_parts(message: str) -> list[str]:
    """The separate questions of a message that asks several ("the jeans are too long, also can
    I add gift wrap? and do you ship to canada"): its sentences, split again after a colon ("two
    things: ...") and where a clause starts with "also" or with a question after "and" or a comma;
    of those, the ones that ask (a "?" or
    a question's first word), of three words or more."""
    sentences = [s.strip() for s in ASKED_SPLIT.split(message.strip()) if s.strip()]
    parts = [p.strip(" ,;") for s in sentences for p in PART_SPLIT.split(s)]
    asking = [p for p in parts if p.endswith("?") or QUESTION_START.match(LEADING_AND.sub("", p))]
    return [p for p in asking if len(WORD.findall(p)) > 2]


def _leading(passages: list[Passage], *words: str, within: int = LEAD_WORDS) -> list[Passage]:
    """The sentences that lead with one of `words` (a question's first word is its subject:
    "when do I get my *refund* after I return it" asks about the refund, not the return)."""
    return [p for p in passages if set(words) & set(p.terms[:within])]


def _passages(body: str) -> list[Passage]:
    """An article's sentences."""
    sentences = [s.strip() for s in SENTENCES.split(body.strip()) if s.strip()]
    return [
        Passage(sentence, tuple(terms(sentence)), frozenset(stated_types(sentence)))
        for sentence in sentences
    ]


def _cut(text: str) -> str:
    """A passage cut to `SNIPPET_CHARS`."""
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def snippet(body: str, words: list[str]) -> str:
    """The sentence of `body` sharing most words with the query, cut to `SNIPPET_CHARS`."""
    wanted = set(words)
    sentences = SENTENCES.split(body.strip()) or [body]
    return _cut(max(sentences, key=lambda sentence: len(wanted & set(terms(sentence)))))


@lru_cache(maxsize=4)
def knowledge_index(
    articles: tuple[Article, ...], products: frozenset[str] = frozenset()
) -> KnowledgeIndex:
    """The index of these article versions, built once per warm container while they last."""
    return KnowledgeIndex(articles, products)


def rank_articles(
    query: str, articles: Sequence[Article], limit: int = 3, min_score: float = MIN_SCORE
) -> list[KnowledgeHit]:
    """Rank `articles` for `query` in one call (builds a throwaway index)."""
    return KnowledgeIndex(articles).search(query, limit=limit, min_score=min_score)
