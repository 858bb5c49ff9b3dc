"""One understanding step for both backends: the message's intent, its entities, confidences.

The intent comes from the trained classifier (`intent_model.py`); a few deterministic rules stay
where they beat a model (a message that names an order is about that order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from chalicelib.agent.cues import DAMAGED_ITEM
from chalicelib.agent.entities import CatalogName, Entity, extract
from chalicelib.agent.intent_labels import ESCALATING, Label
from chalicelib.agent.intent_model import load_model
from chalicelib.agent.question_words import SENTENCES, asked_part, question_sentences
from chalicelib.runtime.patterns import lazy

# Below this the top intent is a guess: ask, don't answer (tuned on the validation split).
CLARIFY_BELOW = 0.35
# An escalating intent hands over only when the model is at least this sure (validation split).
ESCALATE_FROM = 0.4
# "Several issues at once" from the model alone needs more: a short "and a second question" is not.
ESCALATE_FROM_BY_LABEL = {Label.MULTI_ISSUE: 0.6, Label.LEGAL_OR_CHARGEBACK: 0.6}
NO_WORDS = lazy(r"^\W*$")
ALTERNATIVES = 3
# A story's one question, classified alone, names the intent when the model is this sure of it.
ASKED_FROM = 0.6
# What a clause alone never asks for: something done on the customer's behalf (a reminder set,
# interest recorded), read without the rest of its sentence
ACTS = frozenset({Label.REMINDER, Label.INTEREST})
# "wheres the package": a question asking where or when something is reports no damage unless it
# says what is wrong (the model learnt "the package" from "the package was damaged")
WHERE_OR_WHEN = lazy(r"^\W*(?:where|wheres|where['\u2019]s|when|whens|when['\u2019]s)\b", re.I)
MISSING = lazy(r"\bmissing\b", re.IGNORECASE)


@dataclass(frozen=True)
class Understanding:
    """What a customer's message is about: intent, confidence, runner-ups and entities."""

    text: str
    intent: Label
    confidence: float
    alternatives: tuple[tuple[Label, float], ...] = ()
    entities: tuple[Entity, ...] = field(default_factory=tuple)

    def entity(self, kind: str) -> Entity | None:
        """The most confident entity of a kind, if any."""
        found = [e for e in self.entities if e.kind == kind]
        return max(found, key=lambda e: e.confidence) if found else None

    @property
    def order_number(self) -> str | None:
        """The order number the message names, if any."""
        found = self.entity("order_number")
        return found.value if found else None

    @property
    def unsure(self) -> bool:
        """Whether the model's best guess is too weak to act on."""
        return self.confidence < CLARIFY_BELOW

    @property
    def escalation(self) -> str | None:
        """The contract's reason code when the message asks for a person, confidently enough."""
        code = ESCALATING.get(self.intent)
        threshold = ESCALATE_FROM_BY_LABEL.get(self.intent, ESCALATE_FROM)
        return code if code and self.confidence >= threshold else None

    def summary(self) -> str:
        """One line for a prompt or a log: intent, confidence and entities (no free text)."""
        parts = [f"intent {self.intent.value} ({self.confidence:.2f})"]
        parts += [f"{e.kind} {e.value} ({e.confidence:.2f})" for e in self.entities]
        return "; ".join(parts)


def understand(text: str, catalog: Iterable[CatalogName] = ()) -> Understanding:
    """Classify one message (or several joined) and pull out what it names."""
    entities = tuple(extract(text, catalog))
    if NO_WORDS.match(text):
        return Understanding(text, Label.SMALL_TALK, 0.0, (), entities)
    prediction = load_model().predict(text)
    ranked = [(Label(label), p) for label, p in prediction.ranked()[:ALTERNATIVES]]
    intent, confidence = ranked[0]
    asked = _asked_intent(text, unsure=confidence < CLARIFY_BELOW)
    if asked and asked[0] != intent and intent not in ESCALATING and asked[0] not in ESCALATING:
        # "I need a present by Friday, it's Tuesday now. What's the quickest delivery you've
        # got?": the story says delivery, the question asks for the shipping options
        ranked = [asked, *[(label, p) for label, p in ranked if label != asked[0]]][:ALTERNATIVES]
        intent, confidence = asked
    if intent is Label.DAMAGED_ITEM and len(ranked) > 1 and _asks_where_or_when(text):
        ranked = ranked[1:]
        intent, confidence = ranked[0]
    names_order = any(e.kind == "order_number" and e.confidence > 0.9 for e in entities)
    if names_order and intent in (Label.SMALL_TALK, Label.OUT_OF_SCOPE):
        intent, confidence = Label.ORDER_STATUS, max(confidence, CLARIFY_BELOW)
    return Understanding(text, intent, confidence, tuple(ranked), entities)


def _asks_where_or_when(text: str) -> bool:
    """Whether the message asks where or when something is, and names nothing wrong with it."""
    return bool(WHERE_OR_WHEN.match(text)) and not (
        DAMAGED_ITEM.search(text) or MISSING.search(text)
    )


def _asked_intent(text: str, unsure: bool) -> tuple[Label, float] | None:
    """The intent of a message's one question, when the message tells more around it and the
    model is sure of the question alone; else None. Of one sentence, the clause that asks, when
    the whole is a guess ("the tee fits kinda weird on me, *how do I send it back?*": a reminder
    at 0.31); a surer whole keeps what the clause alone loses ("If I swap my tee for the sand one,
    *when does the new one get sent out?*")."""
    asked = question_sentences(text)
    clause = len(SENTENCES.split(text.strip())) < 2
    if clause:
        part = asked_part(text) if unsure else None
        asked = [part] if part and not SENTENCES.search(part) else []
    if len(asked) != 1:
        return None
    prediction = load_model().predict(asked[0])
    label = Label(prediction.label)
    if clause and label in ACTS:  # "..., when does the new one get sent out?": no reminder asked
        return None
    return (label, prediction.confidence) if prediction.confidence >= ASKED_FROM else None


class Named(Protocol):
    """A catalog product: anything with a SKU and a name."""

    @property
    def sku(self) -> str:
        """The product's SKU."""
        ...

    @property
    def name(self) -> str:
        """The product's display name."""
        ...


def catalog_names(products: Iterable[Named]) -> list[CatalogName]:
    """The catalog as the extractor needs it."""
    return [CatalogName(product.sku, product.name) for product in products]
