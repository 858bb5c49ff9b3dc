"""Guardrails shared by both backends: triage before answering, checks on what goes out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from chalicelib.agent.base import Escalation, Reason, TurnContext
from chalicelib.agent.triage import PriorMessage, triage
from chalicelib.config.store_config import EscalationRules

if TYPE_CHECKING:
    from chalicelib.agent.understanding import Understanding

PROMISES_HUMAN = re.compile(
    r"\b(?:a|our)\s+(?:person|human|team\s+member|colleague|specialist|support\s+team|agent)\b"
    r"[^.?!]{0,40}\b(?:will|shall|is\s+going\s+to)\b"
    r"|\b(?:escalat\w+|hand(?:ed|ing)?\s+(?:this|you)\s+over|pass(?:ed|ing)?\s+(?:this|it)\s+(?:on|to))\b"
    r"|\bsomeone\s+(?:will|from\s+our\s+team)\b",
    re.IGNORECASE,
)
SHINGLE_WORDS = 8


def prior_messages(context: TurnContext) -> list[PriorMessage]:
    """The conversation before the new messages, as triage reads it (AI fallbacks marked)."""
    return [
        PriorMessage(m.author.value, m.text, bool(m.meta.get("fallback")))
        for m in context.history()
    ]


def triage_turn(
    context: TurnContext, rules: EscalationRules, understood: Understanding | None = None
) -> Escalation | None:
    """Escalate before any answer when a guardrail trips, with every reason found."""
    if understood is None:
        from chalicelib.agent.understanding import understand

        understood = understand(context.text)
    texts = [m.text for m in context.new_messages]
    verdict = triage(texts, prior_messages(context), rules, understood)
    if not verdict.escalate:
        return None
    reasons = [Reason(reason.code, reason.evidence) for reason in verdict.reasons]
    summary = f"Triage: {', '.join(verdict.codes)}. Customer wrote: {context.text[:300]}"
    return Escalation(reasons, summary, "Read the transcript and answer the customer directly.")


def promises_human(reply: str) -> bool:
    """Whether a reply tells the customer a person will follow up."""
    return bool(PROMISES_HUMAN.search(reply))


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def reveals(reply: str, secrets: Iterable[str], instructions: str) -> bool:
    """Whether a reply quotes a secret or a run of the system prompt's words."""
    if any(secret and len(secret) >= 8 and secret in reply for secret in secrets):
        return True
    return bool(_shingles(reply) & _shingles(instructions))
