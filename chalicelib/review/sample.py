"""A sample of the AI's ordinary conversations for periodic review: AI-handled and never flagged."""

from __future__ import annotations

import random
from typing import Any

from chalicelib.domain.errors import BadRequestError
from chalicelib.domain.vocabulary import iso
from chalicelib.review import params
from chalicelib.review.metrics import group_of
from chalicelib.store import keys
from chalicelib.store.review import ReviewRepository

TRUE, FALSE = ("1", "true", "yes"), ("", "0", "false", "no")


def random_param(query: dict[str, str]) -> bool:
    """`random`: true for a random sample instead of the newest."""
    raw = (query.get("random") or "").lower()
    if raw not in TRUE + FALSE:
        raise BadRequestError("random must be true or false", field="random")
    return raw in TRUE


def conversation_id_of(facts: dict[str, Any]) -> str:
    """The conversation a META item belongs to."""
    return str(
        facts.get("conversation_id") or str(facts["PK"]).removeprefix(keys.conversation_pk(""))
    )


def unflagged_ai(
    started: list[dict[str, Any]], reviews: ReviewRepository, query: dict[str, str]
) -> list[str]:
    """Ids of AI-handled, unflagged conversations: the newest `limit`, or `limit` at random."""
    limit = params.limit_param(query, default=10)
    handled = [f for f in started if group_of(f) == "ai"]
    handled.sort(key=lambda f: str(f.get("created_at") or ""), reverse=True)
    if random_param(query):
        random.Random(query.get("seed")).shuffle(handled)  # a sample, not a secret
    chosen: list[str] = []
    for facts in handled:  # flags are read only until the sample is full
        conversation_id = conversation_id_of(facts)
        if not reviews.flags_of(conversation_id):
            chosen.append(conversation_id)
        if len(chosen) == limit:
            break
    return chosen


def window_of(query: dict[str, str]) -> tuple[str, str]:
    """The window to sample (default: the last 7 days)."""
    since, until = params.window(query, days=7)
    return iso(since), iso(until)
