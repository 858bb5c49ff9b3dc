"""Deterministic guardrails run before the model: they decide whether a human must take over."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from chalicelib.agent import cues
from chalicelib.agent.knowledge import terms
from chalicelib.config.store_config import EscalationRules, ReasonCode

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

if TYPE_CHECKING:
    from chalicelib.agent.understanding import Understanding

SAME_QUESTION_SIMILARITY = 0.5
Detector = Callable[[str, Sequence["PriorMessage"], EscalationRules], "str | None"]


@dataclass(frozen=True)
class PriorMessage:
    """A message earlier in the conversation, as triage needs it."""

    author: str  # customer | ai | human
    text: str
    fallback: bool = False  # an AI reply that could not answer the question


class TriageReason(BaseModel):
    """Why a conversation escalates: a reason code and the words that triggered it."""

    code: ReasonCode
    evidence: str


class TriageResult(BaseModel):
    """The guardrails' verdict: escalate or not, and why."""

    escalate: bool = False
    reasons: list[TriageReason] = Field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        """The reason codes, in the order found."""
        return [reason.code for reason in self.reasons]


def triage(
    texts: Sequence[str],
    recent: Sequence[PriorMessage],
    rules: EscalationRules,
    understood: Understanding | None = None,
) -> TriageResult:
    """Run every enabled guardrail over the customer's new message(s) and the recent conversation;
    with the understanding step's verdict, a confident escalating intent adds its reason."""
    from chalicelib.agent.understood_triage import understood_reasons

    text = "\n".join(texts)
    reasons = [
        TriageReason(code=code, evidence=evidence)
        for code, detect in _DETECTORS.items()
        if getattr(rules.triggers, code) and (evidence := detect(text, recent, rules)) is not None
    ]
    found = {reason.code for reason in reasons}
    if understood is not None:
        reasons += [
            TriageReason(code=code, evidence=evidence)
            for code, evidence in understood_reasons(understood, text, rules)
            if code not in found
        ]
    return TriageResult(escalate=bool(reasons), reasons=reasons)


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    """VADER's analyzer, loaded on first use (its 430 KB lexicon from the package's snapshot)."""
    from chalicelib.runtime.lexicon import sentiment_analyzer

    return sentiment_analyzer()


def sentiment(text: str) -> float:
    """VADER's compound score: -1 (most negative) to 1 (most positive)."""
    return float(_analyzer().polarity_scores(text)["compound"])


def _human_requested(
    text: str, recent: Sequence[PriorMessage], rules: EscalationRules
) -> str | None:
    """'Talk to a human', 'representative', ... unless negated ('I don't need a person') or only
    asking whether a person answers ('are you a real person?': the agent says what it is)."""
    from chalicelib.agent.understood_triage import asks_who

    if asks_who(text):
        return None
    for match in cues.HUMAN_REQUEST.finditer(text):
        if not cues.HUMAN_NEGATION.search(text[: match.start()]):
            return match.group(0).strip()
    return None


def _shouting(text: str) -> list[str]:
    """Exclamation runs and words in capitals (not known acronyms)."""
    runs = cues.EXCLAMATION_RUN.findall(text)
    caps = [word for word in cues.CAPS_WORD.findall(text) if word not in cues.ACRONYMS]
    return runs + caps


def _frustration(text: str, recent: Sequence[PriorMessage], rules: EscalationRules) -> str | None:
    """Negative sentiment, strong phrases ('third time') or shouting that is not praise."""
    score = sentiment(text)
    phrases = [match.group(0) for match in cues.FRUSTRATION_PHRASES.finditer(text)]
    feelings = [match.group(0) for match in cues.FEELINGS.finditer(text)]
    scorn = [match.group(0) for match in cues.SCORN.finditer(text)]
    shouting = _shouting(text)
    threshold = rules.frustration_threshold
    angry = (
        bool(scorn)
        or score <= threshold
        or (bool(phrases) and score <= 0.05)
        # a phrase and a feeling said ("pretty annoyed ... nobody answered my email"), or two
        # phrases: the lexicon's cheerful "pretty" does not outweigh them
        or len(set(phrases)) + min(len(feelings), 1) >= 2
        or (bool(shouting) and score <= threshold / 2)
    )
    evidence = dict.fromkeys([*scorn, *phrases, *feelings, *shouting, f"sentiment {score:.2f}"])
    return "; ".join(evidence) if angry else None


def _profanity(text: str, recent: Sequence[PriorMessage], rules: EscalationRules) -> str | None:
    """Profane words, also lightly obfuscated."""
    return ", ".join(cues.profane_words(text)) or None


def _competitor(text: str, recent: Sequence[PriorMessage], rules: EscalationRules) -> str | None:
    """A competitor the store named, as a whole word, or one the customer does not name."""
    for name in rules.competitors:
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            return name
    unnamed = cues.UNNAMED_COMPETITOR.search(text)
    return unnamed.group(0) if unnamed else None


def _pattern(pattern: re.Pattern[str]) -> Detector:
    """A detector whose evidence is the first match of `pattern`."""

    def detect(text: str, recent: Sequence[PriorMessage], rules: EscalationRules) -> str | None:
        match = pattern.search(text)
        return match.group(0) if match else None

    return detect


def _multi_issue(text: str, recent: Sequence[PriorMessage], rules: EscalationRules) -> str | None:
    """Several distinct kinds of problem in one message (late AND charged AND a return)."""
    found = {
        kind: match.group(0)
        for kind, pattern in cues.ISSUE_KINDS.items()
        if (match := pattern.search(text))
    }
    if len(found) < rules.multi_issue_min:
        return None
    return "; ".join(f"{kind}: {words}" for kind, words in found.items())


def _similar(first: str, second: str) -> bool:
    """Whether two questions share most of their content words."""
    left, right = set(terms(first)), set(terms(second))
    union = left | right
    return bool(union) and len(left & right) / len(union) >= SAME_QUESTION_SIMILARITY


def _trailing_fallbacks(recent: Sequence[PriorMessage]) -> tuple[int, str]:
    """How many AI fallback replies end the conversation, and the question the last one failed."""
    count, question, seen_fallback = 0, "", False
    for message in reversed(recent):
        if message.author == "customer":
            question = message.text if seen_fallback and not question else question
            continue
        if message.author != "ai" or not message.fallback:
            break
        count, seen_fallback = count + 1, True
    return count, question


def _repeated_failure(
    text: str, recent: Sequence[PriorMessage], rules: EscalationRules
) -> str | None:
    """The AI already failed twice in a row, or failed once and the same question comes again."""
    count, question = _trailing_fallbacks(recent)
    if count >= 2:
        return f"{count} fallback replies in a row"
    if count == 1 and question and _similar(text, question):
        return f"asked again: {question[:120]}"
    return None


_DETECTORS: dict[str, Detector] = {
    "human_requested": _human_requested,
    "legal_or_chargeback": _pattern(cues.LEGAL_OR_CHARGEBACK),
    "damaged_item": _pattern(cues.DAMAGED_ITEM),
    "profanity": _profanity,
    "frustration": _frustration,
    "competitor_mention": _competitor,
    "multi_issue": _multi_issue,
    "repeated_failure": _repeated_failure,
}
