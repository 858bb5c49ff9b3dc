"""Triage from the understanding step: a confident escalating intent hands over to a person.

The keyword guardrails (`triage.py`) still run first; these add what they miss ("How can I contact
an agent?", "I want to file a complaint"). Deterministic rules keep the last word where they are
better than a model: an explicit "I don't need a person" is never a request for one.
"""

from __future__ import annotations

import re

from chalicelib.agent.intent_labels import Label
from chalicelib.agent.understanding import Understanding
from chalicelib.config.store_config import EscalationRules
from chalicelib.runtime.patterns import lazy

PRAISE = 0.5  # VADER compound at or above which a message reads as praise (chosen on validation)
# Below this, a complaint or damaged item is a guess: a message in a positive mood is not one.
SURE_OF_A_COMPLAINT = 0.6
PERSON = r"(?:human|person|people|agent|someone|somebody|representative|manager|staff)"
NO_PERSON_WANTED = lazy(
    rf"\b(?:don'?t|do\s+not|no|never)\s+(?:need|want)\b[^.?!]{{0,25}}\b{PERSON}\b"
    rf"|\bno\s+need\s+(?:to|for)\b[^.?!]{{0,25}}\b{PERSON}\b"
    rf"|\bwithout\s+(?:a\s+|an\s+|any\s+)?{PERSON}\b",
    re.IGNORECASE,
)

# "Are you a bot?", "who am I talking to?": a question about the agent, answered (the agent says it
# is one), not a request for a person unless one is asked for ("are you a bot? I want a human").
ASKS_WHO = lazy(
    r"\bare\s+(?:you|u)\s+(?:a\s+|an\s+)?(?:bot|robot|ai|machine|computer|human|real(?:\s+person)?)\b"
    r"|\bwho\s+am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)\b"
    r"|\b(?:am\s+i|are\s+we)\s+(?:talking|speaking|chatting)\s+(?:to|with)\s+(?:a\s+|an\s+)?"
    r"(?:human|person|bot|robot|machine|ai|real\s+person)\b"
    r"|\bis\s+this\s+(?:a\s+)?(?:bot|robot|ai|automated|a\s+real\s+person)\b",
    re.IGNORECASE,
)
WANTS_PERSON = lazy(
    rf"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+|the\s+)?(?:real\s+)?{PERSON}\b"
    rf"|\b(?:want|need|get|give)\s+(?:me\s+)?(?:a\s+|an\s+)?(?:real\s+)?{PERSON}\b",
    re.IGNORECASE,
)


def asks_who(text: str) -> bool:
    """Whether the message asks if it talks to a bot, and asks for no person."""
    return bool(ASKS_WHO.search(text)) and not WANTS_PERSON.search(text)


def understood_reasons(
    understood: Understanding, text: str, rules: EscalationRules
) -> list[tuple[str, str]]:
    """The reason code (and evidence) a confident escalating intent gives, if its trigger is on."""
    code = understood.escalation
    if code is None or not getattr(rules.triggers, code, False):
        return []
    if code == "human_requested" and (NO_PERSON_WANTED.search(text) or asks_who(text)):
        return []
    from chalicelib.agent.triage import sentiment  # triage imports this module

    if understood.intent in (Label.COMPLAINT, Label.DAMAGED_ITEM):
        mood = sentiment(text)
        if mood >= PRAISE or (mood > 0 and understood.confidence < SURE_OF_A_COMPLAINT):
            # "cheers, you've been really helpful", "the sand tee is so nice": praise, not a
            # complaint or a damaged item (a real one says what is wrong: the keyword
            # guardrails); "tell me a joke", read as a complaint by a guess: nothing is wrong
            return []
    return [(code, f"understood: {understood.intent.value} ({understood.confidence:.2f})")]
